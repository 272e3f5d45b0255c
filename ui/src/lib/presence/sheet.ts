//! The day's sheet at the gate: filtering the roster as the officer types (names, codes, role; accents ignored),
//! and how each line's status reads.
import type { AttendanceLine, AttendanceStatus } from "../ipc";
import { matchesWords } from "../talents/fold";

export function lineName(line: Pick<AttendanceLine, "firstName" | "lastName">): string {
  return [line.firstName, line.lastName].filter(Boolean).join(" ");
}

/** Lines whose name, codes or role contain every typed word (accents and case ignored). */
export function filterLines<T extends AttendanceLine>(lines: readonly T[], query: string): T[] {
  if (!query.trim()) return [...lines];
  return lines.filter((l) => matchesWords([l.firstName, l.lastName, l.talentCode, l.assignmentCode, l.role, l.talentTypeLabel].filter(Boolean).join(" "), query));
}

export const STATUS_TONE: Record<AttendanceStatus, string> = {
  expected: "badge-neutral",
  present: "badge-success",
  left: "badge-brand",
  absent: "badge-danger",
};
