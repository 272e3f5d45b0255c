//! Which shoot day the gate shows: today when the project shoots today, otherwise the planned day nearest to today
//! (the earlier one on a tie), otherwise today. Days are `YYYY-MM-DD` in local time, compared as text.
import { shiftDay, todayIso } from "../dates";

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
  if (kind === "month") return { from: todayIso(new Date(y!, m! - 1, 1, 12)), to: todayIso(new Date(y!, m!, 0, 12)) };
  const weekday = (new Date(y!, m! - 1, d!, 12).getDay() + 6) % 7; // Monday = 0
  const monday = shiftDay(day, -weekday);
  return { from: monday, to: shiftDay(monday, 6) };
}
