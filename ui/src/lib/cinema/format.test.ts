import { describe, expect, it } from "vitest";
import { badgeFileName, badgeState, dayLabel, dayRange, maskTime, parseDay, parseTime, progressPercent, todayIso } from "./format";

describe("days", () => {
  it("writes days day-first and ranges with an en dash", () => {
    expect(dayLabel("2026-11-21")).toBe("21/11/2026");
    expect(dayRange("2026-11-21", "2026-12-05")).toBe("21/11/2026 – 05/12/2026");
    expect(dayRange("2026-11-21", "2026-11-21"), "a one-day project shows one day").toBe("21/11/2026");
  });

  it("reads typed days that exist, future ones included", () => {
    expect(parseDay("21/11/2026")).toBe("2026-11-21");
    expect(parseDay("29/02/2028"), "a leap day").toBe("2028-02-29");
    expect(parseDay("29/02/2027"), "not a leap year").toBeNull();
    expect(parseDay("21/13/2026")).toBeNull();
    expect(parseDay("21/11/26"), "the year is written in full").toBeNull();
  });

  it("gives today in local time", () => {
    expect(todayIso(new Date(2026, 0, 5, 23, 59))).toBe("2026-01-05");
  });
});

describe("call times", () => {
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

describe("badges", () => {
  it("tells a valid badge from an expired one, the last day included", () => {
    expect(badgeState(null, "2026-11-21")).toBe("none");
    expect(badgeState({ validUntil: "2026-11-21" }, "2026-11-21")).toBe("valid");
    expect(badgeState({ validUntil: "2026-11-20T23:00:00Z" }, "2026-11-21")).toBe("expired");
  });

  it("names the file after the project and paper", () => {
    expect(badgeFileName("SNFSI001", "a4")).toBe("SNFSI001-badges-a4.pdf");
    expect(badgeFileName("../x", "card")).toBe("x-badges-card.pdf");
  });

  it("turns progress into a bounded percentage", () => {
    expect(progressPercent(0, 0)).toBe(0);
    expect(progressPercent(1, 3)).toBe(33);
    expect(progressPercent(5, 3)).toBe(100);
  });
});
