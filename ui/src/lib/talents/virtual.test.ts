import { describe, expect, it } from "vitest";
import { PageCache, pagesFor, scrollToReveal, visibleRange } from "./virtual";

describe("virtual window", () => {
  it("draws the visible rows plus the overscan", () => {
    expect(visibleRange(0, 640, 64, 100_000, 6)).toEqual({ start: 0, end: 16 });
    expect(visibleRange(64 * 1000, 640, 64, 100_000, 6)).toEqual({ start: 994, end: 1016 });
    expect(visibleRange(64 * 1000 + 30, 640, 64, 100_000, 0)).toEqual({ start: 1000, end: 1011 });
  });

  it("stays within the list", () => {
    expect(visibleRange(64 * 99_990, 640, 64, 100_000, 6)).toEqual({ start: 99_984, end: 100_000 });
    expect(visibleRange(10_000_000, 640, 64, 3, 6), "scrolled past the end after the list shrank").toEqual({ start: 0, end: 3 });
    expect(visibleRange(0, 640, 64, 0)).toEqual({ start: 0, end: 0 });
    expect(visibleRange(-40, 640, 64, 5, 0)).toEqual({ start: 0, end: 5 });
  });

  it("names the pages of 100 rows a range needs", () => {
    expect(pagesFor({ start: 0, end: 16 }, 100)).toEqual([0]);
    expect(pagesFor({ start: 94, end: 116 }, 100)).toEqual([0, 1]);
    expect(pagesFor({ start: 200, end: 300 }, 100)).toEqual([2]);
    expect(pagesFor({ start: 5, end: 5 }, 100)).toEqual([]);
  });

  it("scrolls as little as possible to reveal the selected row", () => {
    expect(scrollToReveal(9, 0, 640, 64), "already visible").toBe(0);
    expect(scrollToReveal(10, 0, 600, 64)).toBe(11 * 64 - 600);
    expect(scrollToReveal(2, 640, 600, 64)).toBe(128);
  });
});

describe("page cache", () => {
  it("reads rows across pages and reports the missing ones", () => {
    const cache = new PageCache<number>(100, 3);
    cache.set(0, Array.from({ length: 100 }, (_, i) => i));
    cache.set(2, Array.from({ length: 50 }, (_, i) => 200 + i));
    expect(cache.row(99)).toBe(99);
    expect(cache.row(100)).toBeUndefined();
    expect(cache.row(249)).toBe(249);
    expect(cache.row(250), "past the last row of a short page").toBeUndefined();
  });

  it("forgets the least recently used pages beyond its capacity", () => {
    const cache = new PageCache<number>(10, 2);
    cache.set(0, [0]);
    cache.set(1, [10]);
    cache.touch(0);
    cache.set(2, [20]);
    expect(cache.has(0)).toBe(true);
    expect(cache.has(1)).toBe(false);
    expect(cache.has(2)).toBe(true);
    expect(cache.size).toBe(2);
  });

  it("updates a row in place", () => {
    const cache = new PageCache<{ id: string; active: boolean }>(10);
    cache.set(0, [{ id: "a", active: true }, { id: "b", active: true }]);
    cache.update((r) => r.id === "b", (r) => ({ ...r, active: false }));
    expect(cache.row(1)).toEqual({ id: "b", active: false });
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
