import { describe, expect, it } from "vitest";
import { clickRow, toggled, withRange } from "./selection";

type Row = { id: string };
const rows: (Row | undefined)[] = ["a", "b", "c", "d", "e"].map((id) => ({ id }));
const rowAt = (i: number) => rows[i];
const idOf = (r: Row) => r.id;
const ids = (m: ReadonlyMap<string, Row>) => [...m.keys()].sort();

describe("row selection", () => {
  it("toggles one row on and off", () => {
    const once = toggled(new Map(), "a", { id: "a" });
    expect(ids(once)).toEqual(["a"]);
    expect(ids(toggled(once, "a", { id: "a" })), "a second click unselects").toEqual([]);
  });

  it("toggles an id in a selection of ids alone", () => {
    const once = toggled(new Set<string>(), "a");
    expect([...once]).toEqual(["a"]);
    expect([...toggled(once, "a")], "a second click unselects").toEqual([]);
  });

  it("adds a range in either direction without dropping what was selected", () => {
    const start = new Map([["e", { id: "e" }]]);
    expect(ids(withRange(start, 1, 3, rowAt, idOf))).toEqual(["b", "c", "d", "e"]);
    expect(ids(withRange(start, 3, 1, rowAt, idOf)), "upwards is the same range").toEqual(["b", "c", "d", "e"]);
  });

  it("skips rows whose page has not arrived", () => {
    const sparse = (i: number) => (i === 2 ? undefined : rows[i]);
    expect(ids(withRange(new Map(), 0, 3, sparse, idOf))).toEqual(["a", "b", "d"]);
  });

  it("extends from the last clicked row with Shift, and moves the anchor", () => {
    let state = clickRow(new Map(), null, 1, false, rowAt, idOf);
    expect(state.anchor).toBe(1);
    state = clickRow(state.selection, state.anchor, 3, true, rowAt, idOf);
    expect(ids(state.selection), "b to d").toEqual(["b", "c", "d"]);
    expect(state.anchor).toBe(3);
    state = clickRow(state.selection, state.anchor, 2, false, rowAt, idOf);
    expect(ids(state.selection), "a plain click toggles c off").toEqual(["b", "d"]);
  });

  it("treats Shift without an anchor as a plain click", () => {
    const state = clickRow(new Map(), null, 4, true, rowAt, idOf);
    expect(ids(state.selection)).toEqual(["e"]);
  });
});
