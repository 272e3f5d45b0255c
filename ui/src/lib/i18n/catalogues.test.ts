import { describe, expect, it } from "vitest";
import en from "./en.json";
import fr from "./fr.json";
import { flatten, interpolate, lookup, pluralForm } from "./translate";

const frFlat = flatten(fr);
const enFlat = flatten(en);
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("catalogues", () => {
  it("have exactly the same keys in French and English", () => {
    const frKeys = Object.keys(frFlat).sort();
    const enKeys = Object.keys(enFlat).sort();
    const onlyFr = frKeys.filter((k) => !(k in enFlat));
    const onlyEn = enKeys.filter((k) => !(k in frFlat));
    expect(onlyFr, "keys present in fr.json but missing from en.json: every string needs its English twin").toEqual([]);
    expect(onlyEn, "keys present in en.json but missing from fr.json: French is the reference language").toEqual([]);
  });

  it("contain no empty strings", () => {
    const empty = [...Object.entries(frFlat), ...Object.entries(enFlat)].filter(([, v]) => v.trim() === "");
    expect(empty.map(([k]) => k), "an empty message would render as a blank label").toEqual([]);
  });

  it("use the same {placeholders} in both languages", () => {
    const mismatched = Object.keys(frFlat).filter(
      (k) => k in enFlat && placeholders(frFlat[k]!).join() !== placeholders(enFlat[k]!).join(),
    );
    expect(mismatched, "a placeholder missing in one language shows raw braces to the user").toEqual([]);
  });

  it("follow French typography: no-break space before : ; ? ! and inside « »", () => {
    const bad = Object.entries(frFlat).filter(([, v]) => / [:;?!]/.test(v) || /« | »/.test(v) || /\S[;?!]/.test(v.replace(/\{\w+\}/g, "")));
    expect(bad.map(([k, v]) => `${k}: ${v}`), "French puts a no-break space (U+00A0) before double punctuation").toEqual([]);
  });

  it("use the typographic apostrophe", () => {
    const straight = [...Object.entries(frFlat), ...Object.entries(enFlat)].filter(([, v]) => v.includes("'"));
    expect(straight.map(([k]) => k), "use ’ (U+2019), not the typewriter apostrophe").toEqual([]);
  });

  it("translate every role, security event kind, permission and reference list the backend sends", () => {
    const roles = ["admin", "recruiter", "presence", "talent"];
    const kinds = [
      "login_succeeded", "login_failed", "account_locked", "account_unlocked", "logout", "session_expired",
      "password_changed", "password_reset", "user_created", "user_deactivated", "user_reactivated",
    ];
    const actions = [
      "users_view", "users_manage", "logs_view", "settings_manage", "reference_view", "talents_view", "talents_edit",
      "personal_data_view", "cinema_manage", "badges_print", "presence_scan", "presence_view", "sync_run", "backup_run",
    ];
    const lists = [
      "countries", "cities", "currencies", "talent_categories", "talents", "cinema_talent_types", "languages",
      "physical_traits", "availability", "work_modes",
    ];
    const expected = [
      ...roles.map((r) => `roles.${r}`),
      ...roles.map((r) => `roleHelp.${r}`),
      ...kinds.map((k) => `securityLog.kinds.${k}`),
      ...actions.map((a) => `permissions.${a}`),
      ...lists.map((l) => `reference.lists.${l}`),
    ];
    expect(expected.filter((k) => !(k in frFlat)), "backend values shown to users need a French label").toEqual([]);
  });
});

describe("translate helpers", () => {
  it("looks up dotted keys and misses cleanly", () => {
    expect(lookup(fr, "nav.home")).toBe("Accueil");
    expect(lookup(fr, "nav.nope.deeper")).toBeUndefined();
  });

  it("interpolates parameters and leaves unknown ones visible", () => {
    expect(interpolate("Bonjour, {name} ({code})", { name: "Ọlá", code: "ADM-7K3QX" })).toBe("Bonjour, Ọlá (ADM-7K3QX)");
    expect(interpolate("{missing} reste", {})).toBe("{missing} reste");
  });

  it("picks CLDR plural forms: French counts 0 and 1 as singular, English only 1", () => {
    expect(pluralForm("fr", 0)).toBe("one");
    expect(pluralForm("fr", 1)).toBe("one");
    expect(pluralForm("fr", 2)).toBe("other");
    expect(pluralForm("en", 0)).toBe("other");
    expect(pluralForm("en", 1)).toBe("one");
  });
});
