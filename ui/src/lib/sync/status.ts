//! Sync's pure logic, without Svelte: what the header indicator shows for a status, how long ago the last sync was,
//! whether a server address looks right, and when the next automatic sync runs.
import { formatRelative } from "../format";
import type { Locale, SyncReport, SyncStatus } from "../ipc";

/** What the header indicator shows. */
export type SyncIndicator =
  | { kind: "local" }
  | { kind: "online" }
  | { kind: "offline"; count: number }
  | { kind: "pending"; count: number }
  | { kind: "update" }
  | { kind: "revoked" };

/** What this session learned from its last contact with the server (the status itself never calls the server). */
export type Contact = { unreachable: boolean; mismatch: boolean };

/** Before this session has reached the server: what the stored last report says of the last contact, so a laptop
 * whose last sync found no server does not claim to be up to date after a new login. */
export function contactFromReport(report: SyncReport | null): Contact {
  const kinds = new Set((report?.errors ?? []).map((issue) => issue.kind));
  return { unreachable: kinds.has("unreachable"), mismatch: kinds.has("protocolMismatch") };
}

export function indicatorFor(status: SyncStatus | null, contact: Contact): SyncIndicator {
  if (!status) return { kind: "local" };
  if (status.revoked) return { kind: "revoked" };
  if (!status.enrolled) return { kind: "local" };
  if (contact.mismatch) return { kind: "update" };
  if (contact.unreachable) return { kind: "offline", count: status.changesWaiting };
  if (status.changesWaiting > 0) return { kind: "pending", count: status.changesWaiting };
  return { kind: "online" };
}

/** "il y a 3 min", "hier", "à l’instant" (`justNow` below a minute): how long ago `iso` was at `now`. */
export function relativeTime(iso: string, now: Date, locale: Locale, justNow: string): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return "";
  const secs = Math.round((now.getTime() - then) / 1000);
  if (secs < 60) return justNow;
  const mins = Math.floor(secs / 60);
  if (mins < 60) return formatRelative(-mins, "minute", locale);
  const hours = Math.floor(mins / 60);
  if (hours < 24) return formatRelative(-hours, "hour", locale);
  return formatRelative(-Math.floor(hours / 24), "day", locale);
}

/** Why a server address is refused, or null: `https://…` or `http://…`, a host, no spaces (as the core checks). */
export function serverUrlProblem(text: string): "required" | "invalid" | null {
  const url = text.trim().replace(/\/+$/, "");
  if (!url) return "required";
  const rest = url.match(/^https?:\/\/(.*)$/i)?.[1];
  if (!rest || /\s/.test(rest)) return "invalid";
  try {
    new URL(url);
  } catch {
    return "invalid";
  }
  return null;
}

/** A pasted token loses the spaces and line breaks a chat or e-mail added around and inside it. */
export function cleanToken(text: string): string {
  return text.replace(/\s+/g, "");
}

/** Every five minutes; after failures to reach the server, 5, 10, 20 then 30 minutes at most. */
export const AUTO_SYNC_MS = 5 * 60_000;
export const MAX_BACKOFF_MS = 30 * 60_000;

export function nextSyncDelay(failures: number): number {
  return Math.min(AUTO_SYNC_MS * 2 ** Math.max(0, failures), MAX_BACKOFF_MS);
}

/**
 * Every core call counts as activity for the session's idle timer, so calls nobody asked for (status refresh,
 * automatic sync) run only within a minute of the person's last input: an idle session still locks on time (at most
 * a minute late). An automatic sync that falls due meanwhile runs at the next input.
 */
export const QUIET_AFTER_MS = 60_000;

export function mayCallInBackground(lastInput: number, now: number): boolean {
  return now - lastInput < QUIET_AFTER_MS;
}

/** The last eight hex digits of a UUID, enough to tell laptops apart on screen (v7 ids start with the time). */
export function shortId(id: string): string {
  return id.replace(/-/g, "").slice(-8).toUpperCase();
}
