//! Picking several rows of a long list (the talent search results): a click toggles one row, Shift+click adds every
//! row between the last one clicked and this one. The selection is keyed by id, so it survives scrolling, paging
//! and re-sorting; rows not loaded yet when a range is taken are simply skipped.

export type Selection<T> = ReadonlyMap<string, T>;

/** Adds the row when absent, removes it when present (a selection of ids alone: a set). */
export function toggled<T>(selection: Selection<T>, id: string, item: T): Map<string, T>;
export function toggled(selection: ReadonlySet<string>, id: string): Set<string>;
export function toggled<T>(selection: Selection<T> | ReadonlySet<string>, id: string, item?: T): Map<string, T> | Set<string> {
  if (selection instanceof Set) {
    const next = new Set<string>(selection);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  }
  const next = new Map(selection as Selection<T>);
  if (next.has(id)) next.delete(id);
  else next.set(id, item as T);
  return next;
}

/**
 * Every loaded row from `from` to `to` (either order) added to the selection. `rowAt` gives the row at an index, or
 * undefined when its page has not arrived.
 */
export function withRange<T>(
  selection: Selection<T>,
  from: number,
  to: number,
  rowAt: (index: number) => T | undefined,
  idOf: (item: T) => string,
): Map<string, T> {
  const next = new Map(selection);
  const [lo, hi] = from <= to ? [from, to] : [to, from];
  for (let i = Math.max(0, lo); i <= hi; i++) {
    const item = rowAt(i);
    if (item !== undefined) next.set(idOf(item), item);
  }
  return next;
}

/** What a click on the checkbox of row `index` does: the new selection and the new anchor for the next Shift+click. */
export function clickRow<T>(
  selection: Selection<T>,
  anchor: number | null,
  index: number,
  shift: boolean,
  rowAt: (index: number) => T | undefined,
  idOf: (item: T) => string,
): { selection: Map<string, T>; anchor: number } {
  const item = rowAt(index);
  if (item === undefined) return { selection: new Map(selection), anchor: anchor ?? index };
  if (shift && anchor !== null) return { selection: withRange(selection, anchor, index, rowAt, idOf), anchor: index };
  return { selection: toggled(selection, idOf(item), item), anchor: index };
}
