//! Application-wide keyboard shortcuts. Ctrl+K (⌘K) anywhere, or "/" outside a text field, puts
//! the caret in the current screen's search field — any input marked `data-search-field`.
//! Esc and Enter belong to the dialogs and forms themselves.

export type KeyLike = {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey?: boolean;
  target: EventTarget | null;
};

const TEXT_INPUT_TYPES = new Set(["text", "search", "email", "password", "number", "tel", "url", ""]);

type ElementLike = { tagName?: string; isContentEditable?: boolean; type?: string };

/** True when typing into this element would insert text (so "/" must be left alone). */
export function isEditable(target: EventTarget | null): boolean {
  const el = target as ElementLike | null;
  if (!el || typeof el.tagName !== "string") return false;
  const tag = el.tagName.toUpperCase();
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") return TEXT_INPUT_TYPES.has((el.type ?? "").toLowerCase());
  return el.isContentEditable === true;
}

export function isSearchShortcut(e: KeyLike): boolean {
  if (e.altKey) return false;
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k") return true;
  return e.key === "/" && !e.ctrlKey && !e.metaKey && !isEditable(e.target);
}

export const SEARCH_FIELD_SELECTOR = "[data-search-field]";

/** Listens on the window; returns the function that stops listening. */
export function installShortcuts(win: Window = window): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented || !isSearchShortcut(e)) return;
    // A modal dialog owns the keyboard while it is open.
    if (win.document.querySelector("dialog[open]")) return;
    const field = win.document.querySelector<HTMLInputElement>(SEARCH_FIELD_SELECTOR);
    if (!field) return;
    e.preventDefault();
    field.focus();
    field.select();
  };
  win.addEventListener("keydown", onKey);
  return () => win.removeEventListener("keydown", onKey);
}
