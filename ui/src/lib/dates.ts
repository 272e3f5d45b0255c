//! Days and times as people type and read them, in both languages: days `21/11/2026` (day first), times `14:05`
//! (24-hour). Days travel to and from the backend as `YYYY-MM-DD` in local time and compare as text.

const pad = (n: number) => String(n).padStart(2, "0");

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A local calendar day as `YYYY-MM-DD` (today by default). */
export function todayIso(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** `2026-11-21` → `21/11/2026`; anything else unchanged. */
export function dayLabel(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** `21/11/2026 – 05/12/2026`, or one day when both ends are the same. */
export function dayRange(startIso: string, endIso: string): string {
  if (!endIso || startIso === endIso) return dayLabel(startIso);
  return `${dayLabel(startIso)} – ${dayLabel(endIso)}`;
}

/** `JJ/MM/AAAA` split into numbers when it has that shape and the day exists (any year); null otherwise. */
export function dayParts(text: string): { day: number; month: number; year: number; iso: string } | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text.trim());
  if (!m) return null;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { day, month, year, iso: `${m[3]}-${m[2]}-${m[1]}` };
}

/**
 * A typed day → `YYYY-MM-DD` when that day exists; null otherwise. Takes `21/11/2026` (any year from 2000 to 2100:
 * shoots, presence, exports) and, pasted as is, `2026-11-21`.
 */
export function parseDay(text: string): string | null {
  const typed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(typed)) return parseDay(dayLabel(typed));
  const parts = dayParts(typed);
  if (!parts || parts.year < 2000 || parts.year > 2100) return null;
  return parts.iso;
}

/** Moves a `YYYY-MM-DD` day by whole days (`-1` the day before). */
export function shiftDay(day: string, by: number): string {
  const [y, m, d] = day.split("-").map(Number);
  return todayIso(new Date(y!, m! - 1, d! + by, 12));
}

const SEPARATOR = /[/.\-\s]/;

/**
 * Tidies what was typed into `JJ/MM/AAAA`: digits only, a slash after the day and the month (typed or not), a
 * one-digit day or month padded when a separator follows it ("2/3/1990" → "02/03/1990"), at most 10 characters.
 */
export function maskDate(raw: string): string {
  let out = "";
  let segment = 0; // 0 day, 1 month, 2 year
  let length = 0;
  for (const ch of raw) {
    if (ch >= "0" && ch <= "9") {
      if (segment < 2 && length === 2) {
        out += "/";
        segment++;
        length = 0;
      }
      if (segment === 2 && length === 4) break;
      out += ch;
      length++;
    } else if (SEPARATOR.test(ch) && segment < 2 && length > 0) {
      if (length === 1) out = `${out.slice(0, -1)}0${out.slice(-1)}`;
      out += "/";
      segment++;
      length = 0;
    }
  }
  return out;
}

/** Tidies a time as it is typed: digits, a colon after the hour (`7h30`, `0730`, `7:30` → `07:30`). */
export function maskTime(raw: string): string {
  const cleaned = raw.trim().toLowerCase().replace(/h/g, ":").replace(/[.\s]/g, ":");
  const m = /^(\d{1,2}):(\d{0,2})/.exec(cleaned);
  if (m) {
    const hour = m[1]!.padStart(m[2]!.length > 0 || cleaned.length > m[1]!.length ? 2 : m[1]!.length, "0");
    return `${hour}:${m[2]}`;
  }
  const digits = cleaned.replace(/\D/g, "").slice(0, 4);
  return digits.length <= 2 ? digits : `${digits.slice(0, 2)}:${digits.slice(2)}`;
}

/** `7:30` or `07:30` → `07:30` when it is a time of day; null otherwise. */
export function parseTime(text: string): string | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (h > 23 || min > 59) return null;
  return `${pad(h)}:${m[2]}`;
}
