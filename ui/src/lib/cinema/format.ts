//! How the cinema screens write days, call times, statuses and badge states. Days travel as `YYYY-MM-DD` and are shown
//! `21/11/2026` (day first in both languages); call times are `HH:MM`, 24-hour.

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

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `21/11/2026` → `2026-11-21` when that day exists; null otherwise (any year from 2000 to 2100). */
export function parseDay(text: string): string | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text.trim());
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 2000 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return null;
  return `${m[3]}-${m[2]}-${m[1]}`;
}

/** Tidies a call time as it is typed: digits, a colon after the hour (`7h30`, `0730`, `7:30` → `07:30`). */
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
  return `${String(h).padStart(2, "0")}:${m[2]}`;
}

export type ProjectStatusKey = "preparation" | "shooting" | "post_production" | "finished" | "cancelled";

/** The pill of each status: amber while preparing, green while shooting, neutral once over, red when cancelled. */
export const STATUS_TONE: Record<ProjectStatusKey, string> = {
  preparation: "badge-warning",
  shooting: "badge-success",
  post_production: "badge-brand",
  finished: "badge-neutral",
  cancelled: "badge-danger",
};

export type BadgeState = "none" | "valid" | "expired";

/** Whether an assignment's current badge is still good on `today` (`YYYY-MM-DD`); validity ends are inclusive. */
export function badgeState(badge: { validUntil: string } | null | undefined, today: string): BadgeState {
  if (!badge) return "none";
  return badge.validUntil.slice(0, 10) >= today ? "valid" : "expired";
}

/** Today as `YYYY-MM-DD` in local time. */
export function todayIso(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A safe file name for "Save as…" from a project code and paper: `SNFSI001-badges-a4.pdf`. */
export function badgeFileName(projectCode: string, paper: string): string {
  return `${projectCode.replace(/[^A-Za-z0-9_-]/g, "")}-badges-${paper}.pdf`;
}

/** Share of the work done, 0–100, for a progress bar (0 before the total is known). */
export function progressPercent(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}
