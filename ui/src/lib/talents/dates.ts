//! Birth dates: typed JJ/MM/AAAA (as people write them in French-speaking Africa, masked by the shared DateField),
//! checked for plausibility before they are sent, and turned into ages.
import { dayParts, todayIso } from "../dates";

export type DateProblem = "required" | "incomplete" | "invalid" | "future" | "tooOld";
export type ParsedDate = { ok: true; iso: string } | { ok: false; problem: DateProblem };

/** `21/11/1990` → `1990-11-21`, checking that the day exists and, for a birth date, that it is plausible. */
export function parseBirthDate(text: string, today: Date = new Date()): ParsedDate {
  const value = text.trim();
  if (!value) return { ok: false, problem: "required" };
  if (!/^\d{2}\/\d{2}\/\d{4}$/.test(value)) {
    return { ok: false, problem: /^\d{1,2}(\/\d{0,2}(\/\d{0,3})?)?$/.test(value) ? "incomplete" : "invalid" };
  }
  const parts = dayParts(value);
  if (!parts) return { ok: false, problem: "invalid" };
  if (parts.iso > todayIso(today)) return { ok: false, problem: "future" };
  if (parts.year < today.getFullYear() - 120) return { ok: false, problem: "tooOld" };
  return { ok: true, iso: parts.iso };
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
