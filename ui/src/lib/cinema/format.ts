//! How the cinema screens show statuses, badge states and progress (days and times: lib/dates).

export type ProjectStatusKey = "preparation" | "shooting" | "post_production" | "finished" | "cancelled";

/** The pill of each status: amber while preparing, green while shooting, neutral once over, red when cancelled. */
export const STATUS_TONE: Record<ProjectStatusKey, string> = {
  preparation: "badge-warning",
  shooting: "badge-success",
  post_production: "badge-brand",
  finished: "badge-neutral",
  cancelled: "badge-danger",
};

export type BadgeState = "none" | "valid" | "expired";

/** Whether an assignment's current badge is still good on `today` (`YYYY-MM-DD`); validity ends are inclusive. */
export function badgeState(badge: { validUntil: string } | null | undefined, today: string): BadgeState {
  if (!badge) return "none";
  return badge.validUntil.slice(0, 10) >= today ? "valid" : "expired";
}

/** Share of the work done, 0–100, for a progress bar (0 before the total is known). */
export function progressPercent(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}
