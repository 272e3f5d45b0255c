//! How a scan's outcome looks and sounds at the gate: one of three colours, seen from a metre away and heard without
//! looking. Green lets in or out; amber asks the officer to decide or says nothing was recorded; red refuses.
import type { ScanAction, ScanOutcome, ScanStatus } from "../ipc";

export type Tone = "green" | "amber" | "red";

/**
 * The core decides the colour: green only when a passage was recorded; amber when nothing was (already in and out,
 * a double read) or the officer must decide (off the roster); red when refused.
 */
export function toneOf(outcome: { status: ScanStatus }): Tone {
  return outcome.status;
}

/** One note of a cue: frequency in Hz, length in ms, and the oscillator's shape. */
export type Note = { hz: number; ms: number; wave: OscillatorType };

/** Green rises (yes), amber repeats one middle note (look), red is a low buzz (no): distinct even without pitch. */
export const CUES: Record<Tone, readonly Note[]> = {
  green: [
    { hz: 880, ms: 90, wave: "sine" },
    { hz: 1320, ms: 140, wave: "sine" },
  ],
  amber: [
    { hz: 660, ms: 110, wave: "triangle" },
    { hz: 660, ms: 110, wave: "triangle" },
  ],
  red: [{ hz: 196, ms: 420, wave: "square" }],
};

/** The i18n key of the result's headline. */
export function headlineKey(outcome: Pick<ScanOutcome, "action">): `presence.result.${ScanAction}` {
  return `presence.result.${outcome.action}`;
}

/** Whether the officer may admit this talent anyway (a valid badge of someone not on the roster here). */
export function canAdmit(outcome: Pick<ScanOutcome, "action">): boolean {
  return outcome.action === "needs_admission";
}

/** A scan the backend could not take (unknown code, archived project…): shown red like a refusal, with its reason. */
export function failedOutcome(message: string, time: string, day: string): ScanOutcome {
  return {
    status: "red",
    action: "refused",
    message,
    rejection: null,
    otherProject: null,
    offRoster: false,
    talentId: null,
    talentCode: null,
    talentName: null,
    photo: null,
    photoThumb: null,
    assignmentId: null,
    assignmentCode: null,
    role: null,
    talentType: null,
    talentTypeLabel: null,
    shortCode: null,
    at: new Date().toISOString(),
    time,
    day,
    eventId: null,
    counts: { present: 0, left: 0, expected: 0, missing: 0, offRoster: 0 },
  };
}
