import { describe, expect, it } from "vitest";
import type { ReportIssue, SkipReason } from "../ipc";
import en from "../i18n/en.json";
import fr from "../i18n/fr.json";

// Records over the kinds: adding a kind in Rust (then in the bindings) fails to compile here until it is listed.
const ISSUES: Record<ReportIssue["kind"], true> = {
  unreachable: true,
  protocolMismatch: true,
  unauthorized: true,
  deviceRevoked: true,
  noProgress: true,
  refused: true,
  failed: true,
  scopeExhausted: true,
  leaseRefused: true,
  codeStaysProvisional: true,
};
const SKIPS: Record<SkipReason["kind"], true> = { unknownTable: true, unknownColumns: true, badTimestamp: true, notApplied: true, accountConflict: true };
const SET_ASIDE = ["too_large", "malformed", "wrong_device", "bad_timestamp", "bad_target"];

describe("sync report wording", () => {
  for (const [name, catalogue] of [["fr", fr], ["en", en]] as const) {
    it(`words every report entry in ${name}, so the screen never shows a raw code`, () => {
      const screen = catalogue.syncScreen as unknown as Record<"issues" | "skipReasons" | "setAsideReasons", Record<string, string>>;
      for (const kind of Object.keys(ISSUES)) expect(screen.issues[kind], `issues.${kind}`).toBeTruthy();
      for (const kind of Object.keys(SKIPS)) expect(screen.skipReasons[kind], `skipReasons.${kind}`).toBeTruthy();
      for (const reason of SET_ASIDE) expect(screen.setAsideReasons[reason], `setAsideReasons.${reason}`).toBeTruthy();
    });
  }
});
