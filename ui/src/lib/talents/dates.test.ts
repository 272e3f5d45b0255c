import { describe, expect, it } from "vitest";
import { ageOn, parseBirthDate } from "./dates";

const today = new Date(2026, 10, 21); // 21/11/2026

describe("reading a birth date", () => {
  it("turns JJ/MM/AAAA into the ISO date the backend stores", () => {
    expect(parseBirthDate("21/11/1990", today)).toEqual({ ok: true, iso: "1990-11-21" });
    expect(parseBirthDate(" 29/02/2024 ", today)).toEqual({ ok: true, iso: "2024-02-29" });
  });

  it("says what is wrong so the field can explain it", () => {
    expect(parseBirthDate("", today)).toEqual({ ok: false, problem: "required" });
    expect(parseBirthDate("21/11/19", today)).toEqual({ ok: false, problem: "incomplete" });
    expect(parseBirthDate("31/04/1990", today), "April has 30 days").toEqual({ ok: false, problem: "invalid" });
    expect(parseBirthDate("29/02/2023", today), "2023 is not a leap year").toEqual({ ok: false, problem: "invalid" });
    expect(parseBirthDate("01/13/1990", today)).toEqual({ ok: false, problem: "invalid" });
    expect(parseBirthDate("1990-11-21", today)).toEqual({ ok: false, problem: "invalid" });
    expect(parseBirthDate("22/11/2026", today)).toEqual({ ok: false, problem: "future" });
    expect(parseBirthDate("01/01/1900", today)).toEqual({ ok: false, problem: "tooOld" });
  });

  it("accepts today", () => {
    expect(parseBirthDate("21/11/2026", today)).toEqual({ ok: true, iso: "2026-11-21" });
  });

  it("computes ages in full years", () => {
    expect(ageOn("1990-11-21", today)).toBe(36);
    expect(ageOn("1990-11-22", today), "the birthday is tomorrow").toBe(35);
    expect(ageOn("", today)).toBeNull();
  });
});
