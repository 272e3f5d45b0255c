import { describe, expect, it } from "vitest";
import type { SyncReport, SyncStatus } from "../ipc";
import { cleanToken, contactFromReport, indicatorFor, mayCallInBackground, nextSyncDelay, relativeTime as relative, serverUrlProblem, shortId } from "./status";

const ENROLLED: SyncStatus = {
  enrolled: true,
  revoked: false,
  serverUrl: "https://sync.agence.sn",
  agencyName: "Agence Kourouma",
  deviceId: "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b",
  databaseId: "0193a1b2-0000-7000-8000-000000000000",
  lastSyncAt: null,
  changesWaiting: 0,
  provisionalCodes: 0,
  lastReport: null,
};
const OK = { unreachable: false, mismatch: false };

describe("header indicator", () => {
  it("says local when the laptop has no server or the role may not sync", () => {
    expect(indicatorFor(null, OK)).toEqual({ kind: "local" });
    expect(indicatorFor({ ...ENROLLED, enrolled: false, serverUrl: null }, OK)).toEqual({ kind: "local" });
  });

  it("says up to date, or how many changes wait", () => {
    expect(indicatorFor(ENROLLED, OK)).toEqual({ kind: "online" });
    expect(indicatorFor({ ...ENROLLED, changesWaiting: 3 }, OK)).toEqual({ kind: "pending", count: 3 });
  });

  it("says offline when the server did not answer, keeping the count of changes that wait", () => {
    expect(indicatorFor({ ...ENROLLED, changesWaiting: 2 }, { unreachable: true, mismatch: false })).toEqual({ kind: "offline", count: 2 });
  });

  it("puts revoked above everything: the laptop will never sync again", () => {
    const revoked = { ...ENROLLED, enrolled: false, revoked: true };
    expect(indicatorFor(revoked, { unreachable: true, mismatch: true })).toEqual({ kind: "revoked" });
  });

  it("asks for an update when the server speaks another protocol", () => {
    expect(indicatorFor(ENROLLED, { unreachable: false, mismatch: true })).toEqual({ kind: "update" });
  });
});

describe("relative time", () => {
  const now = new Date("2026-11-21T14:05:00Z");
  // Intl puts a no-break space inside "3 min"; the assertions read it as a plain one.
  const relativeTime = (...args: Parameters<typeof relative>) => relative(...args).replace(/\s/g, " ");
  it("counts minutes, hours and days in French, short", () => {
    expect(relativeTime("2026-11-21T14:04:30Z", now, "fr", "à l’instant")).toBe("à l’instant");
    expect(relativeTime("2026-11-21T14:02:00Z", now, "fr", "à l’instant")).toBe("il y a 3 min");
    expect(relativeTime("2026-11-21T12:05:00Z", now, "fr", "")).toBe("il y a 2 h");
    expect(relativeTime("2026-11-20T10:00:00Z", now, "fr", "")).toBe("hier");
  });

  it("speaks English too, and stays quiet on a bad date", () => {
    expect(relativeTime("2026-11-21T14:02:00Z", now, "en", "just now")).toBe("3 min ago");
    expect(relativeTime("not a date", now, "en", "just now")).toBe("");
  });
});

describe("server address", () => {
  it("accepts http and https addresses, with or without a port or a trailing slash", () => {
    for (const ok of ["https://sync.agence.sn", " https://sync.agence.sn/ ", "http://127.0.0.1:8787", "https://a.b/talento"]) {
      expect(serverUrlProblem(ok), ok).toBeNull();
    }
  });

  it("refuses what the core would refuse, saying whether it is missing or wrong", () => {
    expect(serverUrlProblem("  ")).toBe("required");
    for (const bad of ["sync.agence.sn", "ftp://x", "https://", "https://a b", "http://"]) {
      expect(serverUrlProblem(bad), bad).toBe("invalid");
    }
  });

  it("cleans a pasted token of spaces and line breaks", () => {
    expect(cleanToken("  ab12-cd34\n ef56 ")).toBe("ab12-cd34ef56");
  });
});

describe("automatic sync", () => {
  it("runs every five minutes and backs off to thirty when the server is unreachable", () => {
    expect(nextSyncDelay(0)).toBe(5 * 60_000);
    expect(nextSyncDelay(1)).toBe(10 * 60_000);
    expect(nextSyncDelay(2)).toBe(20 * 60_000);
    expect(nextSyncDelay(9)).toBe(30 * 60_000);
  });

  it("never keeps an idle session alive: background calls stop a minute after the last input", () => {
    expect(mayCallInBackground(0, 59_000)).toBe(true);
    expect(mayCallInBackground(0, 60_000)).toBe(false);
  });

  it("shows a short device id from the random end of the UUID (its start is a timestamp shared by neighbours)", () => {
    expect(shortId("0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b")).toBe("2E3F4A5B");
  });
});

describe("the last contact before this session's first", () => {
  const report = (errors: SyncReport["errors"]): SyncReport =>
    ({ errors }) as unknown as SyncReport; // only the errors are read
  it("is read from the stored last report: offline after a sync that found no server", () => {
    expect(contactFromReport(null)).toEqual(OK);
    expect(contactFromReport(report([]))).toEqual(OK);
    expect(contactFromReport(report([{ kind: "unreachable" }]))).toEqual({ unreachable: true, mismatch: false });
    expect(contactFromReport(report([{ kind: "protocolMismatch" }]))).toEqual({ unreachable: false, mismatch: true });
    const offline = contactFromReport(report([{ kind: "unreachable" }]));
    expect(indicatorFor({ ...ENROLLED, changesWaiting: 1 }, offline)).toEqual({ kind: "offline", count: 1 });
  });
});
