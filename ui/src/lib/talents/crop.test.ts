import { describe, expect, it } from "vitest";
import { clampOffset, initialCrop, maxZoom, pan, resizeView, scaleOf, toCrop, zoomTo } from "./crop";

describe("square crop of a photo", () => {
  it("starts with the largest centred square", () => {
    expect(toCrop(initialCrop(1200, 800, 300))).toEqual({ x: 200, y: 0, size: 800 });
    expect(toCrop(initialCrop(600, 900, 320))).toEqual({ x: 0, y: 150, size: 600 });
    expect(toCrop(initialCrop(500, 500, 320))).toEqual({ x: 0, y: 0, size: 500 });
  });

  it("never lets the photo uncover the viewport", () => {
    const s = initialCrop(1200, 800, 300);
    expect(pan(s, 10_000, 10_000)).toMatchObject({ ox: 0, oy: 0 });
    const far = pan(s, -10_000, -10_000);
    expect(far.ox).toBeCloseTo(300 - 1200 * scaleOf(s));
    expect(far.oy).toBeCloseTo(0);
    expect(toCrop(pan(s, 10_000, 0))).toEqual({ x: 0, y: 0, size: 800 });
    expect(toCrop(pan(s, -10_000, 0))).toEqual({ x: 400, y: 0, size: 800 });
  });

  it("zooms around the centre, keeping the same point in the middle", () => {
    const s = zoomTo(initialCrop(1200, 800, 300), 2);
    expect(toCrop(s)).toEqual({ x: 400, y: 200, size: 400 });
  });

  it("zooms around the pointer", () => {
    // Zooming ×2 at the top-left corner keeps the photo's corner there.
    const s = zoomTo(initialCrop(800, 800, 400), 2, { x: 0, y: 0 });
    expect(toCrop(s)).toEqual({ x: 0, y: 0, size: 400 });
  });

  it("limits the zoom so the crop keeps enough pixels", () => {
    expect(maxZoom(4000, 3000)).toBe(8);
    expect(maxZoom(800, 640)).toBe(4);
    expect(maxZoom(120, 100), "a tiny photo cannot be zoomed at all").toBe(1);
    const s = zoomTo(initialCrop(800, 640, 320), 50);
    expect(s.zoom).toBe(4);
    expect(toCrop(s).size).toBe(160);
    expect(zoomTo(s, 0.2).zoom).toBe(1);
  });

  it("sends whole pixels that always fit inside the photo", () => {
    let s = initialCrop(1001, 777, 333);
    s = zoomTo(s, 1.37, { x: 91, y: 250 });
    s = pan(s, -37.3, 12.9);
    const c = toCrop(s);
    for (const v of [c.x, c.y, c.size]) expect(Number.isInteger(v)).toBe(true);
    expect(c.x + c.size).toBeLessThanOrEqual(1001);
    expect(c.y + c.size).toBeLessThanOrEqual(777);
    expect(c.x).toBeGreaterThanOrEqual(0);
  });

  it("keeps the framing when the viewport is resized", () => {
    const s = pan(zoomTo(initialCrop(1200, 800, 300), 2), -50, 20);
    expect(toCrop(resizeView(s, 240))).toEqual(toCrop(s));
    expect(clampOffset(s)).toEqual(s);
  });
});
