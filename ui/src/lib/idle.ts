//! Keeps the backend's idle timer honest. Input (keydown/pointerdown) counts as activity and is
//! reported with touchSession() at most once per 30 s; sessionStatus() is polled every 15 s (and
//! when the window comes back into view) — it does not count as activity — and a null answer
//! while logged in means the backend has ended the session.
import type { SessionDto } from "./ipc";

export const TOUCH_EVERY_MS = 30_000;
export const POLL_EVERY_MS = 15_000;

/** Lets one call through per interval. */
export class Throttle {
  private last: number;

  constructor(
    private readonly intervalMs: number,
    startedAt = Number.NEGATIVE_INFINITY,
  ) {
    this.last = startedAt;
  }

  /** True (and restarts the interval) when enough time has passed since the last pass. */
  take(now: number): boolean {
    if (now - this.last < this.intervalMs) return false;
    this.last = now;
    return true;
  }
}

export type SessionWatch = {
  touch: () => Promise<unknown>;
  status: () => Promise<SessionDto | null>;
  onExpired: () => void;
  /** The backend's session changed under the UI (a sync brought a new role or name for this account). */
  onChanged?: (session: SessionDto) => void;
  /** The session the UI shows, to compare with each poll. */
  current?: () => SessionDto | null;
  /** Where input events are heard (window in the app, a plain EventTarget in tests). */
  target: EventTarget;
  now?: () => number;
  touchEveryMs?: number;
  pollEveryMs?: number;
};

const ACTIVITY_EVENTS = ["keydown", "pointerdown", "wheel"] as const;
const WAKE_EVENTS = ["focus", "visibilitychange"] as const;

/** Whether what the UI shows of the session (role, rights, name) is out of date. */
function differs(polled: SessionDto, shown: SessionDto | null): boolean {
  if (!shown) return false;
  return (
    polled.role !== shown.role ||
    polled.name !== shown.name ||
    polled.permissions.join() !== shown.permissions.join()
  );
}

/** Starts watching; returns the function that stops it. */
export function watchSession(w: SessionWatch): () => void {
  const now = w.now ?? (() => Date.now());
  // Logging in was itself activity, so the first touch can wait a full interval.
  const throttle = new Throttle(w.touchEveryMs ?? TOUCH_EVERY_MS, now());
  let stopped = false;
  let polling = false;

  const onActivity = () => {
    if (stopped || !throttle.take(now())) return;
    w.touch().catch(() => {
      // session loss is reported by ipc's handler; anything else must not disturb typing
    });
  };

  const poll = async () => {
    if (stopped || polling) return;
    polling = true;
    try {
      const session = await w.status();
      if (!stopped && session === null) {
        stopped = true;
        w.onExpired();
      } else if (!stopped && session && w.onChanged && differs(session, w.current?.() ?? null)) {
        w.onChanged(session);
      }
    } catch {
      // a failed poll is retried at the next tick
    } finally {
      polling = false;
    }
  };

  for (const e of ACTIVITY_EVENTS) w.target.addEventListener(e, onActivity, { capture: true, passive: true });
  for (const e of WAKE_EVENTS) w.target.addEventListener(e, poll);
  const timer = setInterval(poll, w.pollEveryMs ?? POLL_EVERY_MS);

  return () => {
    stopped = true;
    clearInterval(timer);
    for (const e of ACTIVITY_EVENTS) w.target.removeEventListener(e, onActivity, { capture: true });
    for (const e of WAKE_EVENTS) w.target.removeEventListener(e, poll);
  };
}
