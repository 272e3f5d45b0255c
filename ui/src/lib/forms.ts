//! What a form shows when saving fails: the backend's per-field messages next to their fields, or one message for
//! the whole form (already translated by Rust), or a generic one when the bridge itself failed.
import { IpcError } from "./ipc";

export type FormFailure = { fields: Record<string, string>; message: string | null };

/** `unexpected` is the translated message for failures that did not come from the backend. */
export function formFailure(err: unknown, unexpected: string): FormFailure {
  if (!(err instanceof IpcError)) return { fields: {}, message: unexpected };
  const fields = err.fields;
  return { fields, message: Object.keys(fields).length === 0 ? err.message : null };
}
