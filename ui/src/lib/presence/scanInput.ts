//! What the gate's scan field receives: a USB or Bluetooth scanner types a badge token and Enter in a few
//! milliseconds; a person types a short code or a talent code by hand; either may paste. The field submits on Enter
//! at once (no debounce), and this module decides what was entered and how.

/** Longest gap between two keystrokes of a scanner's burst (they arrive 1–10 ms apart; people type ≥ 60 ms). */
export const BURST_GAP_MS = 35;
/** A burst needs at least this many characters to be a scanner (a person's quick double letter is not). */
const BURST_MIN_CHARS = 8;

/** A badge token: 140 base64url characters (105 bytes); a little slack for future versions, never more than 256. */
const TOKEN = /^[A-Za-z0-9_-]{100,256}$/;

export type Entry =
  /** A badge's token: verified offline by scan_badge. */
  | { kind: "token"; text: string }
  /** A short code, talent code or assignment code typed by hand: manual_check. */
  | { kind: "code"; text: string }
  | { kind: "empty" };

/** Scanners may end with CR, LF or Tab, and some prefix a symbology id or spaces: keep what names the badge. */
export function classifyEntry(raw: string): Entry {
  const text = raw.replace(/[\r\n\t]/g, "").trim();
  if (!text) return { kind: "empty" };
  if (TOKEN.test(text)) return { kind: "token", text };
  return { kind: "code", text };
}

/**
 * Follows the keystrokes of one entry to tell a scanner's burst from a person typing. Feed it every character key
 * with its time (`KeyboardEvent.timeStamp` or `performance.now()`); `reset()` after each submit.
 */
export class KeyBurst {
  private times: number[] = [];
  private pasted = false;

  key(at: number): void {
    this.times.push(at);
  }

  paste(): void {
    this.pasted = true;
  }

  reset(): void {
    this.times = [];
    this.pasted = false;
  }

  /** How the entry came: a scanner's burst, a paste, or a person typing. */
  source(): "scanner" | "paste" | "typed" {
    if (this.pasted) return "paste";
    const t = this.times;
    if (t.length < BURST_MIN_CHARS) return "typed";
    let fast = 0;
    for (let i = 1; i < t.length; i++) if (t[i]! - t[i - 1]! <= BURST_GAP_MS) fast++;
    // A scanner's burst is nearly all fast gaps; allow one hiccup (the USB stack, a GC pause).
    return fast >= t.length - 2 ? "scanner" : "typed";
  }
}
