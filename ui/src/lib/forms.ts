//! What a form shows when saving fails: the backend's per-field messages next to their fields, or one message for
//! the whole form (already translated by Rust), or a generic one when the bridge itself failed. `errorText` is the
//! same rule for one message (a toast, a load error): never raw JavaScript or bridge text in front of people.
import { IpcError } from "./ipc";

export type FormFailure = { fields: Record<string, string>; message: string | null };

/** The backend's translated message, or `fallback` (translated) when the failure did not come from the backend. */
export function errorText(err: unknown, fallback: string): string {
  return err instanceof IpcError && !err.fromBridge ? err.message : fallback;
}

/** The backend's message for the first of `fields` it names (an upload's own field), else as `errorText`. */
export function fieldErrorText(err: unknown, fields: readonly string[], fallback: string): string {
  if (err instanceof IpcError && !err.fromBridge) {
    for (const field of fields) {
      const message = err.fields[field];
      if (message) return message;
    }
  }
  return errorText(err, fallback);
}

/** `unexpected` is the translated message for failures that did not come from the backend. */
export function formFailure(err: unknown, unexpected: string): FormFailure {
  if (!(err instanceof IpcError) || err.fromBridge) return { fields: {}, message: unexpected };
  const fields = err.fields;
  return { fields, message: Object.keys(fields).length === 0 ? err.message : null };
}

/** Once the errors are on screen, puts the caret in the first field marked invalid and scrolls it into view. */
export function focusFirstInvalid(form: HTMLElement | null | undefined): void {
  requestAnimationFrame(() => {
    const first = form?.querySelector<HTMLElement>("[aria-invalid='true']");
    first?.focus();
    first?.scrollIntoView({ block: "center" });
  });
}

/** Puts the caret in a new record's first field once its form is on screen (not on an existing one: no scrolling). */
export function focusNewForm(form: HTMLElement | null | undefined, selector = "#field-name"): void {
  requestAnimationFrame(() => form?.querySelector<HTMLInputElement>(selector)?.focus());
}
