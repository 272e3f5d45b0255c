import { describe, expect, it } from "vitest";
import { generatePassword, MIN_PASSWORD_LENGTH, passwordStrength } from "./password";

describe("password strength hint", () => {
  it("says nothing before typing", () => {
    expect(passwordStrength("")).toEqual({ score: 0, level: "empty", hints: [] });
  });

  it("calls anything under 12 characters too short, matching the backend's minimum", () => {
    expect(MIN_PASSWORD_LENGTH).toBe(12);
    const s = passwordStrength("Ab3$efgh");
    expect(s.level).toBe("tooShort");
    expect(s.hints).toContain("addLength");
  });

  it("flags common words and keyboard runs whatever the length", () => {
    const s = passwordStrength("Azertyuiop2026!");
    expect(s.level, "a keyboard row stays weak even when long").toBe("weak");
    expect(s.hints).toContain("avoidCommon");
    expect(passwordStrength("motdepasse-Fort-99").hints).toContain("avoidCommon");
  });

  it("flags repeated characters", () => {
    expect(passwordStrength("Aaaaaaa-bbbbbbb-1").hints).toContain("avoidRepeat");
  });

  it("flags the person's own name, e-mail or agency", () => {
    const s = passwordStrength("Oladele#Lagos-2026", ["Adétòkunbọ̀ Oladele", "tokunbo@sahel.sn"]);
    expect(s.hints).toContain("avoidPersonal");
  });

  it("rewards long, varied passphrases", () => {
    expect(passwordStrength("Baobab-sous-la-pluie-77").level).toBe("strong");
    expect(passwordStrength("kora balafon djembe").level, "one class only, but long").not.toBe("strong");
  });

  it("counts accented letters and other scripts as characters, not as bytes", () => {
    expect(passwordStrength("Ọ̀ṣun-Ẹ̀kọ́-2026").level).not.toBe("tooShort");
  });
});

describe("generated passwords", () => {
  it("are four dash-separated groups of unambiguous characters with every class", () => {
    for (let i = 0; i < 500; i++) {
      const pw = generatePassword();
      expect(pw).toMatch(/^[a-km-np-zA-HJ-NP-Z2-9]{4}(-[a-km-np-zA-HJ-NP-Z2-9]{4}){3}$/);
      expect(pw).toMatch(/[a-z]/);
      expect(pw).toMatch(/[A-Z]/);
      expect(pw).toMatch(/[0-9]/);
      expect(pw.length).toBeGreaterThanOrEqual(MIN_PASSWORD_LENGTH);
      expect(passwordStrength(pw).level, `${pw}: the generator must not contradict the hint`).toBe("strong");
    }
  });

  it("retries until every class is present", () => {
    const draws = [new Uint8Array(16).fill(0), Uint8Array.from({ length: 16 }, (_, i) => i * 7)];
    let call = 0;
    const pw = generatePassword(() => draws[Math.min(call++, 1)]!);
    expect(call, "an all-lowercase draw must be rejected").toBe(2);
    expect(pw).toMatch(/[A-Z]/);
  });
});
