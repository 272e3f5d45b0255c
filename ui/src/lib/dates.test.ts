import { describe, expect, it } from "vitest";
import { dayLabel, dayRange, maskDate, maskTime, parseDay, parseTime, shiftDay, todayIso } from "./dates";

describe("days", () => {
  it("writes days day-first and ranges with an en dash", () => {
    expect(dayLabel("2026-11-21")).toBe("21/11/2026");
    expect(dayLabel("1990-11-21")).toBe("21/11/1990");
    expect(dayLabel("garbage")).toBe("garbage");
    expect(dayRange("2026-11-21", "2026-12-05")).toBe("21/11/2026 – 05/12/2026");
    expect(dayRange("2026-11-21", "2026-11-21"), "a one-day project shows one day").toBe("21/11/2026");
  });

  it("reads typed days that exist, future ones included", () => {
    expect(parseDay("21/11/2026")).toBe("2026-11-21");
    expect(parseDay("03/12/2026")).toBe("2026-12-03");
    expect(parseDay("29/02/2028"), "a leap day").toBe("2028-02-29");
    expect(parseDay("29/02/2027"), "not a leap year").toBeNull();
    expect(parseDay("31/02/2026")).toBeNull();
    expect(parseDay("21/13/2026")).toBeNull();
    expect(parseDay("21/11/26"), "the year is written in full").toBeNull();
    expect(parseDay(" 2026-12-03 "), "a pasted ISO day is taken as is").toBe("2026-12-03");
  });

  it("gives today in local time", () => {
    expect(todayIso(new Date(2026, 0, 5, 23, 59))).toBe("2026-01-05");
  });

  it("moves across months and years", () => {
    expect(shiftDay("2026-11-30", 1)).toBe("2026-12-01");
    expect(shiftDay("2026-01-01", -1)).toBe("2025-12-31");
  });
});

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

describe("times", () => {
  it("tidies what is typed into HH:MM", () => {
    expect(maskTime("0730")).toBe("07:30");
    expect(maskTime("7h30")).toBe("07:30");
    expect(maskTime("7:3")).toBe("07:3");
    expect(maskTime("14")).toBe("14");
    expect(maskTime("1")).toBe("1");
    expect(maskTime("14:05")).toBe("14:05");
  });

  it("accepts times of day only", () => {
    expect(parseTime("7:30")).toBe("07:30");
    expect(parseTime("23:59")).toBe("23:59");
    expect(parseTime("24:00")).toBeNull();
    expect(parseTime("12:60")).toBeNull();
    expect(parseTime("midi")).toBeNull();
  });
});
