//! The reference lists, fetched once per session and shared by every talent screen.
import { ipc } from "../ipc";
import { ReferenceIndex } from "./reference";

let index = $state<ReferenceIndex | null>(null);
let pending: Promise<ReferenceIndex> | null = null;

export const reference = {
  /** The loaded lists, or null until loadReference() resolves. */
  get current(): ReferenceIndex | null {
    return index;
  },
};

export function loadReference(): Promise<ReferenceIndex> {
  if (index) return Promise.resolve(index);
  pending ??= ipc
    .referenceLists()
    .then((data) => (index = new ReferenceIndex(data)))
    .finally(() => (pending = null));
  return pending;
}

/** Forgets the lists (at sign-out), so the next session fetches them again. */
export function forgetReference(): void {
  index = null;
  pending = null;
}
