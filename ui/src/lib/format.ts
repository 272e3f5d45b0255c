//! Dates, times, numbers and money in the user's language, always through Intl.
//! French: 21/11/2026, 14:05, 12 345,50 (narrow no-break space), 150 000 F CFA.
//! English uses the day-first, 24-hour British conventions common in anglophone Africa.
import type { Locale } from "./ipc";

const TAGS: Record<Locale, string> = { fr: "fr-FR", en: "en-GB" };

type Formatter = Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat;

// Building an Intl formatter is slow next to using one: each kind is built once per language.
const cache = new Map<string, Formatter>();

function cached<T extends Formatter>(id: string, make: () => T): T {
  let f = cache.get(id);
  if (!f) {
    f = make();
    cache.set(id, f);
  }
  return f as T;
}

function toDate(value: Date | string): Date | null {
  const d = typeof value === "string" ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDate(value: Date | string, locale: Locale): string {
  const d = toDate(value);
  if (!d) return "";
  return cached(`d:${locale}`, () =>
    new Intl.DateTimeFormat(TAGS[locale], { day: "2-digit", month: "2-digit", year: "numeric" }),
  ).format(d);
}

export function formatTime(value: Date | string, locale: Locale): string {
  const d = toDate(value);
  if (!d) return "";
  return cached(`t:${locale}`, () =>
    new Intl.DateTimeFormat(TAGS[locale], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
  ).format(d);
}

/** `21/11/2026 14:05` in both languages. */
export function formatDateTime(value: Date | string, locale: Locale): string {
  const d = toDate(value);
  if (!d) return "";
  return `${formatDate(d, locale)} ${formatTime(d, locale)}`;
}

/** The short weekday of a `YYYY-MM-DD` day: `lun.` in French, `Mon` in English. */
export function formatWeekday(day: string, locale: Locale): string {
  const [y, m, d] = day.split("-").map(Number);
  if (!y || !m || !d) return "";
  return cached(`w:${locale}`, () => new Intl.DateTimeFormat(TAGS[locale], { weekday: "short" })).format(new Date(y, m - 1, d, 12));
}

/** "il y a 3 min", "hier": `value` units from now (negative in the past), as each language says it. */
export function formatRelative(value: number, unit: Intl.RelativeTimeFormatUnit, locale: Locale): string {
  return cached(`r:${locale}`, () => new Intl.RelativeTimeFormat(TAGS[locale], { numeric: "auto", style: "short" })).format(value, unit);
}

/** Hours on set to the minute: `9 h 30` in French, `9h 30m` in English; a dash when unknown. */
export function formatHours(hours: number | null | undefined, locale: Locale): string {
  if (hours == null || hours < 0) return "—";
  const total = Math.round(hours * 60);
  const [h, m] = [Math.floor(total / 60), String(total % 60).padStart(2, "0")];
  return locale === "fr" ? `${h} h ${m}` : `${h}h ${m}m`;
}

export function formatNumber(value: number, locale: Locale, fractionDigits?: number): string {
  const id = `n:${locale}:${fractionDigits ?? "auto"}`;
  return cached(id, () =>
    new Intl.NumberFormat(
      TAGS[locale],
      fractionDigits === undefined
        ? {}
        : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits },
    ),
  ).format(value);
}

/** A share out of 100 as a percentage: `70 %` in French, `70%` in English. */
export function formatPercent(outOf100: number, locale: Locale): string {
  return cached(`p:${locale}`, () => new Intl.NumberFormat(TAGS[locale], { style: "percent", maximumFractionDigits: 0 })).format(outOf100 / 100);
}

/** Money in the talent's currency (ISO 4217 code), with that currency's usual decimals. */
export function formatCurrency(amount: number, currency: string, locale: Locale): string {
  return cached(`c:${locale}:${currency}`, () =>
    new Intl.NumberFormat(TAGS[locale], { style: "currency", currency }),
  ).format(amount);
}

/** A countdown such as `4:05` or `1:02:05` (hours only when needed). */
export function formatCountdown(totalSecs: number): string {
  const s = Math.max(0, Math.ceil(totalSecs));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}
