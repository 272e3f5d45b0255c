//! The day's sheet at the gate: filtering the roster as the officer types (names, codes, role; accents ignored),
//! and how each line's status reads.
import type { AttendanceLine, AttendanceStatus } from "../ipc";
import { fold } from "../talents/fold";

export function lineName(line: Pick<AttendanceLine, "firstName" | "lastName">): string {
  return [line.firstName, line.lastName].filter(Boolean).join(" ");
}

/** Lines whose name, codes or role contain every typed word (accents and case ignored). */
export function filterLines<T extends AttendanceLine>(lines: readonly T[], query: string): T[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return [...lines];
  return lines.filter((l) => {
    const hay = fold([l.firstName, l.lastName, l.talentCode, l.assignmentCode, l.role, l.talentTypeLabel].filter(Boolean).join(" "));
    return words.every((w) => hay.includes(w));
  });
}

export const STATUS_TONE: Record<AttendanceStatus, string> = {
  expected: "badge-neutral",
  present: "badge-success",
  left: "badge-brand",
  absent: "badge-danger",
};

/** `7 h 05` in French, `7 h 05` too in English: hours on set to the minute, tabular. */
export function formatHours(hours: number | null): string {
  if (hours === null || hours < 0) return "—";
  const total = Math.round(hours * 60);
  return `${Math.floor(total / 60)} h ${String(total % 60).padStart(2, "0")}`;
}
