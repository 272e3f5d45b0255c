import { describe, expect, it } from "vitest";
import { defaultDay, loadLastChoice, periodRange, saveLastChoice } from "./days";
import { canAdmit, CUES, toneOf } from "./outcome";
import { classifyEntry, KeyBurst } from "./scanInput";
import { filterLines } from "./sheet";
import type { AttendanceLine, ScanAction, ScanStatus } from "../ipc";

const TOKEN = "AQABc2VjcmV0LXRhbGVudC1pZAAAAHByb2plY3QtaWQtMDAwMDAwAQCTAJ0" + "x".repeat(81);

describe("scan field entries", () => {
  it("takes a 140-character token, even with the scanner's trailing CR/LF or a pasted space", () => {
    expect(TOKEN).toHaveLength(140);
    expect(classifyEntry(TOKEN)).toEqual({ kind: "token", text: TOKEN });
    expect(classifyEntry(` ${TOKEN}\r\n`)).toEqual({ kind: "token", text: TOKEN });
  });

  it("sends anything shorter to the manual check (short code, talent code)", () => {
    expect(classifyEntry("K7QM-2PXD")).toEqual({ kind: "code", text: "K7QM-2PXD" });
    expect(classifyEntry("SNF0001ABC")).toEqual({ kind: "code", text: "SNF0001ABC" });
    expect(classifyEntry("  \n")).toEqual({ kind: "empty" });
  });

  it("tells a scanner's burst from a person typing", () => {
    const burst = new KeyBurst();
    for (let i = 0; i < 140; i++) burst.key(1000 + i * 2);
    expect(burst.source()).toBe("scanner");

    const person = new KeyBurst();
    [0, 140, 260, 410, 530, 700, 820, 990, 1100].forEach((t) => person.key(t));
    expect(person.source()).toBe("typed");
  });

  it("forgives one hiccup in a burst but not a person's occasional quick pair", () => {
    const hiccup = new KeyBurst();
    for (let i = 0; i < 60; i++) hiccup.key(i * 3 + (i > 30 ? 80 : 0));
    expect(hiccup.source()).toBe("scanner");

    const quickPairs = new KeyBurst();
    [0, 20, 200, 220, 400, 420, 600, 620, 800, 820].forEach((t) => quickPairs.key(t));
    expect(quickPairs.source()).toBe("typed");
  });

  it("counts a paste as a paste and starts afresh after a reset", () => {
    const b = new KeyBurst();
    b.paste();
    expect(b.source()).toBe("paste");
    b.reset();
    expect(b.source()).toBe("typed");
  });
});

describe("result colours and sounds", () => {
  const scan = (status: ScanStatus, action: ScanAction) => ({ status, action });

  it("maps each outcome to one colour", () => {
    expect(toneOf(scan("green", "checked_in"))).toBe("green");
    expect(toneOf(scan("green", "checked_out"))).toBe("green");
    // The core sends amber for scans that record nothing (crates/talento-core presence: status by action).
    expect(toneOf(scan("amber", "double_read"))).toBe("amber");
    expect(toneOf(scan("amber", "already_complete"))).toBe("amber");
    expect(toneOf(scan("amber", "needs_admission"))).toBe("amber");
    expect(toneOf(scan("red", "refused"))).toBe("red");
  });

  it("gives each colour a cue of its own", () => {
    const signatures = Object.values(CUES).map((notes) => notes.map((n) => `${n.hz}/${n.ms}/${n.wave}`).join(","));
    expect(new Set(signatures).size).toBe(3);
    expect(CUES.red[0]!.hz).toBeLessThan(CUES.green[0]!.hz);
  });

  it("offers admission only to a valid badge off the roster", () => {
    expect(canAdmit({ action: "needs_admission" })).toBe(true);
    expect(canAdmit({ action: "refused" })).toBe(false);
  });
});

describe("the day shown", () => {
  const days = ["2026-11-21", "2026-11-24", "2026-12-05"];

  it("is today when the project shoots today", () => {
    expect(defaultDay(days, "2026-11-24")).toBe("2026-11-24");
  });

  it("is otherwise the nearest shoot day, the earlier one on a tie", () => {
    expect(defaultDay(days, "2026-11-23")).toBe("2026-11-24");
    expect(defaultDay(days, "2026-12-20")).toBe("2026-12-05");
    expect(defaultDay(["2026-11-20", "2026-11-22"], "2026-11-21")).toBe("2026-11-20");
  });

  it("is today when there is no shoot day at all", () => {
    expect(defaultDay([], "2026-11-23")).toBe("2026-11-23");
  });

  it("exports a day, a week from Monday to Sunday, or a month", () => {
    expect(periodRange("day", "2026-12-03")).toEqual({ from: "2026-12-03", to: "2026-12-03" });
    expect(periodRange("week", "2026-12-03")).toEqual({ from: "2026-11-30", to: "2026-12-06" });
    expect(periodRange("week", "2026-12-06")).toEqual({ from: "2026-11-30", to: "2026-12-06" });
    expect(periodRange("month", "2026-02-14")).toEqual({ from: "2026-02-01", to: "2026-02-28" });
  });

  it("remembers the project, and the day only for the same calendar day", () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    saveLastChoice(storage, { project: "p1", day: "2026-11-24", on: "2026-11-23" });
    expect(loadLastChoice(storage, "2026-11-23")).toEqual({ project: "p1", day: "2026-11-24" });
    expect(loadLastChoice(storage, "2026-11-25")).toEqual({ project: "p1", day: null });
    store.set("talento.presence.last", "{broken");
    expect(loadLastChoice(storage, "2026-11-25")).toEqual({ project: null, day: null });
  });
});

describe("the day's sheet", () => {
  const line = (first: string, last: string, code: string, role: string | null): AttendanceLine =>
    ({ firstName: first, lastName: last, talentCode: code, assignmentCode: null, role, talentTypeLabel: null }) as AttendanceLine;
  const lines = [line("Aïssatou", "Ndiaye", "SNF0001ABC", "Pêcheuse"), line("Joël", "N'Guessan", "CI0002M", null)];

  it("filters as you type, accents ignored, on names, codes and roles", () => {
    expect(filterLines(lines, "aissatou").map((l) => l.lastName)).toEqual(["Ndiaye"]);
    expect(filterLines(lines, "ci0002").map((l) => l.lastName)).toEqual(["N'Guessan"]);
    expect(filterLines(lines, "pecheuse ndi").map((l) => l.lastName)).toEqual(["Ndiaye"]);
    expect(filterLines(lines, "  ")).toHaveLength(2);
  });
});
