//! The arithmetic of a virtualised list of fixed-height rows: which rows to draw for a scroll position, which
//! pages of the backend's results they need, and a bounded cache of the pages already fetched.

export type Range = { start: number; end: number };

/** Rows to draw (end excluded): the visible ones plus `overscan` on each side, within [0, total). */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 6): Range {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  // A scroll position past the end (the list just shrank) shows the last rows.
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, total * rowHeight - viewport));
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + Math.max(0, viewport)) / rowHeight);
  const start = Math.max(0, Math.min(total, first - overscan));
  const end = Math.min(total, Math.max(start, last + overscan));
  return { start, end };
}

/** The page numbers (of `pageSize` rows) covering rows [start, end). */
export function pagesFor(range: Range, pageSize: number): number[] {
  if (range.end <= range.start) return [];
  const first = Math.floor(range.start / pageSize);
  const last = Math.floor((range.end - 1) / pageSize);
  const pages: number[] = [];
  for (let p = first; p <= last; p++) pages.push(p);
  return pages;
}

/** The scrollTop that brings row `index` into view, moving as little as possible. */
export function scrollToReveal(index: number, scrollTop: number, viewport: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewport) return bottom - viewport;
  return scrollTop;
}

/** Fetched pages, least recently used evicted beyond `capacity` pages. */
export class PageCache<T> {
  private pages = new Map<number, T[]>();

  constructor(
    readonly pageSize: number,
    readonly capacity = 60,
  ) {}

  has(page: number): boolean {
    return this.pages.has(page);
  }

  set(page: number, items: T[]): void {
    this.pages.delete(page);
    this.pages.set(page, items);
    while (this.pages.size > this.capacity) {
      const oldest = this.pages.keys().next().value as number;
      this.pages.delete(oldest);
    }
  }

  /** The row at `index`, or undefined while its page is not loaded. Marks the page as recently used. */
  row(index: number): T | undefined {
    const page = Math.floor(index / this.pageSize);
    const items = this.pages.get(page);
    if (!items) return undefined;
    return items[index - page * this.pageSize];
  }

  touch(page: number): void {
    const items = this.pages.get(page);
    if (items) {
      this.pages.delete(page);
      this.pages.set(page, items);
    }
  }

  /** Replaces one row everywhere it is cached (after an edit). */
  update(match: (item: T) => boolean, replace: (item: T) => T): void {
    for (const items of this.pages.values()) {
      for (let i = 0; i < items.length; i++) if (match(items[i]!)) items[i] = replace(items[i]!);
    }
  }

  get size(): number {
    return this.pages.size;
  }

  clear(): void {
    this.pages.clear();
  }
}
