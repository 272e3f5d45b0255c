//! Colour of a security event, so failures stand out from routine sign-ins.
export type Tone = { badge: string; dot: string };

const DANGER: Tone = { badge: "badge-danger", dot: "bg-red-600" };
const WARNING: Tone = { badge: "badge-warning", dot: "bg-amber-500" };
const SUCCESS: Tone = { badge: "badge-success", dot: "bg-green-600" };
const NEUTRAL: Tone = { badge: "badge-neutral", dot: "bg-stone-400" };

export function eventTone(kind: string): Tone {
  switch (kind) {
    case "login_failed":
    case "account_locked":
      return DANGER;
    case "session_expired":
    case "user_deactivated":
    case "password_reset":
      return WARNING;
    case "login_succeeded":
    case "user_created":
    case "user_reactivated":
    case "account_unlocked":
    case "password_changed":
      return SUCCESS;
    default:
      return NEUTRAL;
  }
}
