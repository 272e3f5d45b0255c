//! This laptop's sync, for the whole session: the last status, what the last contact with the server taught us
//! (unreachable, protocol mismatch), and the automatic sync every five minutes while enrolled (backing off while
//! the server does not answer). Started by the top bar, so it runs only while someone is logged in; the header
//! indicator and the Sync screen read the same state. Background calls wait for recent input (see
//! `mayCallInBackground`): they must not keep an idle session from locking.
import { IpcError, ipc, type SyncReport, type SyncStatus } from "../ipc";
import { AUTO_SYNC_MS, contactFromReport, indicatorFor, mayCallInBackground, nextSyncDelay, type SyncIndicator } from "./status";

/** How often the indicator re-reads the status (changes made on this laptop move the count). */
const REFRESH_MS = 60_000;
/** The first automatic sync, two minutes after logging in (the e2e test's steps rely on that quiet start). */
const FIRST_SYNC_MS = 2 * 60_000;

type SyncState = {
  status: SyncStatus | null;
  running: boolean;
  unreachable: boolean;
  mismatch: boolean;
  /** The last failure's message (already translated by the core), until the next success. */
  error: string | null;
  /** The report of a sync run in this session (the status also carries the stored last one). */
  report: SyncReport | null;
  failures: number;
};

export const sync = $state<SyncState>({
  status: null,
  running: false,
  unreachable: false,
  mismatch: false,
  error: null,
  report: null,
  failures: 0,
});

let allowed = false;
let refreshTimer: ReturnType<typeof setInterval> | undefined;
let autoTimer: ReturnType<typeof setTimeout> | undefined;
let running: Promise<SyncReport | null> | null = null;
let lastInput = Date.now();
/** An automatic sync fell due while the person was away: it runs at their next input. */
let due = false;
/** This session has reached (or tried to reach) the server: until then the stored last report speaks for it. */
let contacted = false;
const INPUT_EVENTS = ["keydown", "pointerdown", "wheel"] as const;

function onInput(): void {
  lastInput = Date.now();
  if (due) {
    due = false;
    void autoSync();
  }
}

export function indicator(): SyncIndicator {
  return indicatorFor(sync.status, sync);
}

/** Re-reads the status (no network). Quiet on failure: the indicator keeps what it showed. */
export async function refreshSync(): Promise<void> {
  if (!allowed) return;
  try {
    sync.status = await ipc.syncStatus();
    if (!contacted) Object.assign(sync, contactFromReport(sync.status.lastReport));
  } catch {
    // session gone or engine busy: the next refresh tries again
  }
}

function learn(error: unknown): void {
  contacted = true;
  const code = error instanceof IpcError ? error.code : "internal";
  sync.unreachable = code === "server_unreachable";
  sync.mismatch = code === "protocol_mismatch";
  sync.error = error instanceof Error ? error.message : String(error);
  if (code === "server_unreachable") sync.failures++;
}

/** Syncs now (one run at a time: a second call waits for the first). Throws the IpcError of a failed run. */
export function syncNow(): Promise<SyncReport | null> {
  if (running) return running;
  sync.running = true;
  running = (async () => {
    try {
      const report = await ipc.syncNow();
      sync.report = report;
      contacted = true;
      sync.unreachable = false;
      sync.mismatch = false;
      sync.error = null;
      sync.failures = 0;
      return report;
    } catch (e) {
      learn(e);
      throw e;
    } finally {
      sync.running = false;
      running = null;
      await refreshSync();
    }
  })();
  return running;
}

/** Links this laptop to the server; the status comes back enrolled. */
export async function enroll(serverUrl: string, token: string, deviceName: string): Promise<SyncStatus> {
  const status = await ipc.enrollDevice(serverUrl, token, deviceName);
  sync.status = status;
  contacted = true;
  sync.unreachable = false;
  sync.mismatch = false;
  sync.error = null;
  sync.failures = 0;
  return status;
}

function schedule(delay: number): void {
  clearTimeout(autoTimer);
  autoTimer = setTimeout(() => void autoSync(), delay);
}

async function autoSync(): Promise<void> {
  if (!allowed) return;
  if (!mayCallInBackground(lastInput, Date.now())) {
    due = true;
    return;
  }
  const status = sync.status;
  if (allowed && status?.enrolled && !status.revoked && !sync.mismatch) {
    try {
      await syncNow();
    } catch {
      // shown by the indicator and the Sync screen; retried later
    }
  }
  if (allowed) schedule(nextSyncDelay(sync.failures));
}

/** Starts the status refresh and the automatic sync for a session that may sync (`sync_run`). */
export function startSync(maySync: boolean): void {
  stopSync();
  allowed = maySync;
  if (!allowed) return;
  lastInput = Date.now();
  for (const event of INPUT_EVENTS) window.addEventListener(event, onInput, { capture: true, passive: true });
  void refreshSync();
  refreshTimer = setInterval(() => {
    if (mayCallInBackground(lastInput, Date.now())) void refreshSync();
  }, REFRESH_MS);
  schedule(Math.min(FIRST_SYNC_MS, AUTO_SYNC_MS));
}

/** Stops everything at logout; the next session starts from a fresh status. */
export function stopSync(): void {
  allowed = false;
  due = false;
  contacted = false;
  for (const event of INPUT_EVENTS) window.removeEventListener(event, onInput, { capture: true });
  clearInterval(refreshTimer);
  clearTimeout(autoTimer);
  Object.assign(sync, { status: null, unreachable: false, mismatch: false, error: null, report: null, failures: 0 });
}
