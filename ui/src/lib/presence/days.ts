//! Which shoot day the gate shows: today when the project shoots today, otherwise the planned day nearest to today
//! (the earlier one on a tie), otherwise today. Days are `YYYY-MM-DD` in local time, compared as text.

/** Today's `YYYY-MM-DD` in local time. */
export function localDay(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, "0");
  const d = String(now.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

function dayNumber(day: string): number {
  const [y, m, d] = day.split("-").map(Number);
  return Date.UTC(y!, m! - 1, d!) / 86_400_000;
}

export function defaultDay(shootDays: readonly string[], today: string): string {
  if (shootDays.includes(today)) return today;
  let best: string | null = null;
  let bestGap = Infinity;
  const t = dayNumber(today);
  for (const day of [...shootDays].sort()) {
    const gap = Math.abs(dayNumber(day) - t);
    if (gap < bestGap) {
      best = day;
      bestGap = gap;
    }
  }
  return best ?? today;
}

/** `2026-12-03` ⇄ `03/12/2026`, as people type days. */
export function toIsoDay(typed: string): string | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(typed.trim());
  if (!m) return /^\d{4}-\d{2}-\d{2}$/.test(typed.trim()) ? typed.trim() : null;
  const iso = `${m[3]}-${m[2]}-${m[1]}`;
  const back = new Date(`${iso}T12:00:00`);
  return Number.isNaN(back.getTime()) || localDay(back) !== iso ? null : iso;
}

export function fromIsoDay(day: string): string {
  const [y, m, d] = day.split("-");
  return `${d}/${m}/${y}`;
}

/** Moves a day by whole days (`-1` the day before). */
export function shiftDay(day: string, by: number): string {
  const [y, m, d] = day.split("-").map(Number);
  return localDay(new Date(y!, m! - 1, d! + by, 12));
}

const STORAGE_KEY = "talento.presence.last";

export type LastChoice = { project: string; day: string; on: string };

/** The project and day chosen last, remembered for the next visit (the day only on the same calendar day). */
export function loadLastChoice(storage: Pick<Storage, "getItem"> | undefined, today: string): { project: string | null; day: string | null } {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return { project: null, day: null };
    const saved = JSON.parse(raw) as Partial<LastChoice>;
    const project = typeof saved.project === "string" ? saved.project : null;
    const day = typeof saved.day === "string" && saved.on === today ? saved.day : null;
    return { project, day };
  } catch {
    return { project: null, day: null };
  }
}

export function saveLastChoice(storage: Pick<Storage, "setItem"> | undefined, choice: LastChoice): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(choice));
  } catch {
    // not remembered: the next visit starts from today
  }
}

export type Period = "day" | "week" | "month" | "range";

/** The first and last day of the day, the week (Monday to Sunday) or the month holding `day`. */
export function periodRange(kind: Exclude<Period, "range">, day: string): { from: string; to: string } {
  const [y, m, d] = day.split("-").map(Number);
  if (kind === "day") return { from: day, to: day };
  if (kind === "month") return { from: localDay(new Date(y!, m! - 1, 1, 12)), to: localDay(new Date(y!, m!, 0, 12)) };
  const weekday = (new Date(y!, m! - 1, d!, 12).getDay() + 6) % 7; // Monday = 0
  const monday = shiftDay(day, -weekday);
  return { from: monday, to: shiftDay(monday, 6) };
}
