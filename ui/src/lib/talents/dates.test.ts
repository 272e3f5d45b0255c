import { describe, expect, it } from "vitest";
import { ageOn, isoToFrench, maskDate, parseFrenchDate } from "./dates";

const today = new Date(2026, 10, 21); // 21/11/2026

describe("typing a date as JJ/MM/AAAA", () => {
  it("adds the slashes people do not type", () => {
    expect(maskDate("21111990")).toBe("21/11/1990");
    expect(maskDate("211")).toBe("21/1");
    expect(maskDate("21")).toBe("21");
  });

  it("keeps the slashes people do type, without doubling them", () => {
    expect(maskDate("21/11/1990")).toBe("21/11/1990");
    expect(maskDate("21//11")).toBe("21/11");
    expect(maskDate("21/")).toBe("21/");
  });

  it("pads a one-digit day or month when a separator follows, and accepts dots and dashes", () => {
    expect(maskDate("2/3/1990")).toBe("02/03/1990");
    expect(maskDate("2.3.1990")).toBe("02/03/1990");
    expect(maskDate("02-03-1990")).toBe("02/03/1990");
  });

  it("drops letters and anything past the year", () => {
    expect(maskDate("a2b1/1x1/19901234")).toBe("21/11/1990");
    expect(maskDate("/12")).toBe("12");
  });
});

describe("reading a birth date", () => {
  it("turns JJ/MM/AAAA into the ISO date the backend stores", () => {
    expect(parseFrenchDate("21/11/1990", today)).toEqual({ ok: true, iso: "1990-11-21" });
    expect(parseFrenchDate(" 29/02/2024 ", today)).toEqual({ ok: true, iso: "2024-02-29" });
  });

  it("says what is wrong so the field can explain it", () => {
    expect(parseFrenchDate("", today)).toEqual({ ok: false, problem: "required" });
    expect(parseFrenchDate("21/11/19", today)).toEqual({ ok: false, problem: "incomplete" });
    expect(parseFrenchDate("31/04/1990", today), "April has 30 days").toEqual({ ok: false, problem: "invalid" });
    expect(parseFrenchDate("29/02/2023", today), "2023 is not a leap year").toEqual({ ok: false, problem: "invalid" });
    expect(parseFrenchDate("01/13/1990", today)).toEqual({ ok: false, problem: "invalid" });
    expect(parseFrenchDate("1990-11-21", today)).toEqual({ ok: false, problem: "invalid" });
    expect(parseFrenchDate("22/11/2026", today)).toEqual({ ok: false, problem: "future" });
    expect(parseFrenchDate("01/01/1900", today)).toEqual({ ok: false, problem: "tooOld" });
  });

  it("accepts today", () => {
    expect(parseFrenchDate("21/11/2026", today)).toEqual({ ok: true, iso: "2026-11-21" });
  });

  it("writes stored dates back day first and computes ages in full years", () => {
    expect(isoToFrench("1990-11-21")).toBe("21/11/1990");
    expect(isoToFrench("garbage")).toBe("garbage");
    expect(ageOn("1990-11-21", today)).toBe(36);
    expect(ageOn("1990-11-22", today), "the birthday is tomorrow").toBe(35);
    expect(ageOn("", today)).toBeNull();
  });
});
