//! The square crop of a profile photo. The photo (natural size `w × h`, already upright: the web view applies the
//! EXIF orientation) is shown behind a square viewport of `view` CSS pixels, scaled so it always covers it; the
//! person zooms and drags, and the crop sent to the backend is the viewport's square in the photo's own pixels.

export type CropInput = { x: number; y: number; size: number };

export type CropState = {
  /** Natural (upright) size of the photo. */
  w: number;
  h: number;
  /** Side of the square viewport, in CSS pixels. */
  view: number;
  /** 1 = the photo's short side fills the viewport. */
  zoom: number;
  /** Position of the photo's top-left corner inside the viewport (≤ 0). */
  ox: number;
  oy: number;
};

/** A crop of fewer pixels than this would only make a blurry 512 px portrait. */
export const MIN_CROP_PX = 160;
export const MAX_ZOOM = 8;

export function scaleOf(s: Pick<CropState, "w" | "h" | "view" | "zoom">): number {
  return (s.view / Math.min(s.w, s.h)) * s.zoom;
}

/** How far the person may zoom in: until the crop is MIN_CROP_PX wide, at most MAX_ZOOM, at least 1. */
export function maxZoom(w: number, h: number): number {
  return Math.max(1, Math.min(MAX_ZOOM, Math.min(w, h) / MIN_CROP_PX));
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** Keeps the photo covering the whole viewport. */
export function clampOffset(s: CropState): CropState {
  const scale = scaleOf(s);
  const ox = clamp(s.ox, s.view - s.w * scale, 0);
  const oy = clamp(s.oy, s.view - s.h * scale, 0);
  return { ...s, ox, oy };
}

/** The photo centred, its short side filling the viewport. */
export function initialCrop(w: number, h: number, view: number): CropState {
  const scale = view / Math.min(w, h);
  return { w, h, view, zoom: 1, ox: (view - w * scale) / 2, oy: (view - h * scale) / 2 };
}

/** Zooms keeping the point under `anchor` (viewport pixels; the centre by default) where it is. */
export function zoomTo(s: CropState, zoom: number, anchor: { x: number; y: number } = { x: s.view / 2, y: s.view / 2 }): CropState {
  const z = clamp(zoom, 1, maxZoom(s.w, s.h));
  const before = scaleOf(s);
  const after = scaleOf({ ...s, zoom: z });
  const px = (anchor.x - s.ox) / before;
  const py = (anchor.y - s.oy) / before;
  return clampOffset({ ...s, zoom: z, ox: anchor.x - px * after, oy: anchor.y - py * after });
}

/** Moves the photo by (dx, dy) viewport pixels. */
export function pan(s: CropState, dx: number, dy: number): CropState {
  return clampOffset({ ...s, ox: s.ox + dx, oy: s.oy + dy });
}

/** Changes the viewport size (the window was resized), keeping the same part of the photo in view. */
export function resizeView(s: CropState, view: number): CropState {
  if (view === s.view || view <= 0) return s;
  const ratio = view / s.view;
  return clampOffset({ ...s, view, ox: s.ox * ratio, oy: s.oy * ratio });
}

/** The square to send, in whole natural pixels, always inside the photo. */
export function toCrop(s: CropState): CropInput {
  const scale = scaleOf(s);
  const short = Math.min(s.w, s.h);
  const size = clamp(Math.round(s.view / scale), 1, short);
  const x = clamp(Math.round(-s.ox / scale), 0, s.w - size);
  const y = clamp(Math.round(-s.oy / scale), 0, s.h - size);
  return { x, y, size };
}
