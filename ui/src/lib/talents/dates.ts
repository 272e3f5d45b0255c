//! Birth dates as people write them in French-speaking Africa — JJ/MM/AAAA — and as the backend stores them,
//! YYYY-MM-DD. The field masks what is typed (digits, slashes added), and the date is checked before it is sent.

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

export type DateProblem = "required" | "incomplete" | "invalid" | "future" | "tooOld";
export type ParsedDate = { ok: true; iso: string } | { ok: false; problem: DateProblem };

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `21/11/1990` → `1990-11-21`, checking that the day exists and, for a birth date, that it is plausible. */
export function parseFrenchDate(text: string, today: Date = new Date()): ParsedDate {
  const value = text.trim();
  if (!value) return { ok: false, problem: "required" };
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  if (!m) return { ok: false, problem: /^\d{1,2}(\/\d{0,2}(\/\d{0,3})?)?$/.test(value) ? "incomplete" : "invalid" };
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return { ok: false, problem: "invalid" };
  const iso = `${m[3]}-${m[2]}-${m[1]}`;
  const todayIso = isoDay(today);
  if (iso > todayIso) return { ok: false, problem: "future" };
  if (year < today.getFullYear() - 120) return { ok: false, problem: "tooOld" };
  return { ok: true, iso };
}

/** `1990-11-21` → `21/11/1990`; anything else is returned unchanged. */
export function isoToFrench(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** A local calendar day as `YYYY-MM-DD`. */
export function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Full years between a `YYYY-MM-DD` birth date and `today`. */
export function ageOn(iso: string, today: Date = new Date()): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = today.getFullYear() - y;
  if (today.getMonth() + 1 < mo || (today.getMonth() + 1 === mo && today.getDate() < d)) age--;
  return age;
}
