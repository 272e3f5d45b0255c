import { describe, expect, it } from "vitest";
import { formatCountdown, formatCurrency, formatDate, formatDateTime, formatHours, formatNumber, formatPercent, formatRelative, formatTime, formatWeekday } from "./format";

const NNBSP = "\u202f"; // narrow no-break space: Intl's French group separator
const NBSP = "\u00a0";
// Built from local components so the test does not depend on the machine's time zone.
const moment = new Date(2026, 10, 21, 14, 5, 9);

describe("French formatting", () => {
  it("writes dates day first with slashes", () => {
    expect(formatDate(moment, "fr")).toBe("21/11/2026");
  });

  it("writes times on 24 hours", () => {
    expect(formatTime(moment, "fr")).toBe("14:05");
    expect(formatTime(new Date(2026, 0, 2, 0, 7), "fr")).toBe("00:07");
  });

  it("joins date and time", () => {
    expect(formatDateTime(moment, "fr")).toBe("21/11/2026 14:05");
  });

  it("groups thousands with a narrow no-break space and uses a decimal comma", () => {
    expect(formatNumber(12345.5, "fr", 2)).toBe(`12${NNBSP}345,50`);
    expect(formatNumber(1650, "fr")).toBe(`1${NNBSP}650`);
  });

  it("formats money through Intl with the currency's own decimals", () => {
    // CFA francs have no decimals; Intl writes the sign "F CFA" after the amount.
    // (ICU versions differ on which no-break space sits inside "F CFA", so either is accepted.)
    expect(formatCurrency(150000, "XOF", "fr")).toMatch(/^150\u202f000\u00a0F[\u00a0\u202f]CFA$/);
    expect(formatCurrency(1200, "MAD", "fr")).toBe(`1${NNBSP}200,00${NBSP}MAD`);
    expect(formatCurrency(1200, "MAD", "fr")).toBe(
      new Intl.NumberFormat("fr-FR", { style: "currency", currency: "MAD" }).format(1200),
    );
  });

  it("accepts the backend's ISO timestamps and ignores garbage", () => {
    const iso = moment.toISOString();
    expect(formatDate(iso, "fr")).toBe("21/11/2026");
    expect(formatDate("not a date", "fr")).toBe("");
  });
});

describe("English formatting", () => {
  it("keeps day-first dates and 24-hour times", () => {
    expect(formatDate(moment, "en")).toBe("21/11/2026");
    expect(formatTime(moment, "en")).toBe("14:05");
  });

  it("groups with commas and uses a decimal point", () => {
    expect(formatNumber(12345.5, "en", 2)).toBe("12,345.50");
  });

  it("formats money through Intl", () => {
    expect(formatCurrency(1200, "MAD", "en")).toBe(
      new Intl.NumberFormat("en-GB", { style: "currency", currency: "MAD" }).format(1200),
    );
    expect(formatCurrency(150000, "NGN", "en")).toBe("NGN 150,000.00".replace(" ", NBSP));
  });
});

describe("percentages", () => {
  it("follow each language's spacing", () => {
    expect(formatPercent(70, "fr"), "a no-break space (ICU versions differ on which one)").toMatch(/^70[\u00a0\u202f]%$/);
    expect(formatPercent(70, "en")).toBe("70%");
  });
});

describe("countdown", () => {
  it("shows minutes and seconds, hours only when needed", () => {
    expect(formatCountdown(287)).toBe("4:47");
    expect(formatCountdown(59.2)).toBe("1:00");
    expect(formatCountdown(3725)).toBe("1:02:05");
    expect(formatCountdown(-3)).toBe("0:00");
  });
});

describe("hours on set", () => {
  it("shows them to the minute, in each language's way", () => {
    expect(formatHours(9.5, "fr")).toBe("9 h 30");
    expect(formatHours(10 + 5 / 60, "fr")).toBe("10 h 05");
    expect(formatHours(9.5, "en")).toBe("9h 30m");
    expect(formatHours(null, "fr")).toBe("—");
    expect(formatHours(null, "en")).toBe("—");
  });
});

describe("weekdays and relative times", () => {
  it("name the weekday of a day in each language", () => {
    expect(formatWeekday("2026-11-23", "fr")).toBe("lun.");
    expect(formatWeekday("2026-11-23", "en")).toBe("Mon");
    expect(formatWeekday("garbage", "fr")).toBe("");
  });

  it("say how long ago in each language", () => {
    expect(formatRelative(-1, "day", "fr")).toBe("hier");
    expect(formatRelative(-1, "day", "en")).toBe("yesterday");
    expect(formatRelative(-3, "minute", "en")).toBe("3 min ago");
  });
});
