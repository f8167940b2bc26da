// Areas left out inside the inspection region: a label, a printed date, a hole in the fixture that shows
// whatever lies behind it. Written as rectangles "left,top,width,height; …" in percent of each image, the
// frame the region is drawn in. Every image has them filled with its own mean of the pixels around them
// before the model sees it (library/left-out), so what they hold never counts, in training or in scoring.
// Shared by the engine (decoding), the API and the Train screen.
import { formatRegion, parseRegion, regionOf, regionPixels, regionSpans, type Region } from './region';

/** At most this many areas: a station masks a few things, and each is a rectangle to fill per image. */
export const MAX_LEFT_OUT = 8;

/** "l,t,w,h; l,t,w,h" as rectangles (percent of the image); throws an Error that says which one is wrong and how. */
export function parseLeftOut(text: string): Region[] {
  const parts = text.split(';').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length > MAX_LEFT_OUT) throw new Error(`left out: at most ${MAX_LEFT_OUT} areas, got ${parts.length}`);
  return parts.map((p, i) => parseRegion(p, `left-out area ${i + 1}`));
}

/** Rectangles as the option's text. */
export function formatLeftOut(areas: Region[]): string {
  return areas.map(formatRegion).join('; ');
}

/** The option's text as rectangles; none for none. */
export function leftOutOf(text: string | undefined | null): Region[] {
  return text ? parseLeftOut(text) : [];
}

/** leftOutOf, or none where the text is no list of areas: for screens showing a half-typed one. */
export function leftOutOrNone(text: string | undefined | null): Region[] {
  try {
    return leftOutOf(text);
  } catch {
    return [];
  }
}

/** The areas in words: "x 40–50 %, y 10–20 %; …", or null for none. */
export function describeLeftOut(text: string | undefined | null): string | null {
  const areas = leftOutOf(text);
  return areas.length ? areas.map(regionSpans).join('; ') : null;
}

/** What of each image a model sees: the region it is cut to (null: the whole image) and the areas filled inside it. */
export interface ImageView { region: Region | null; leftOut: Region[] }

/** A model's view from its options; null where it sees every image whole. */
export function viewOf(o: { region?: string; leaveOut?: string }): ImageView | null {
  const view = { region: regionOf(o.region), leftOut: leftOutOf(o.leaveOut) };
  return view.region || view.leftOut.length ? view : null;
}

/** Why the areas leave nothing of the region to inspect, where one of them covers all of it; else null. (Several
 *  that cover it together are refused when an image is decoded, library/left-out.) */
export function coveringArea(view: ImageView): string | null {
  const r = view.region ?? { left: 0, top: 0, width: 100, height: 100 };
  const k = view.leftOut.findIndex((a) => a.left <= r.left && a.top <= r.top && a.left + a.width >= r.left + r.width && a.top + a.height >= r.top + r.height);
  return k < 0 ? null : `left-out area ${k + 1} covers the whole ${view.region ? 'inspection region' : 'image'}: nothing would be left to inspect`;
}

/** A left-out area as shares (0 to 1) of the image the model is given (cut to the region): left, top, right, bottom. */
export interface AreaShare { left: number; top: number; right: number; bottom: number }

/** The view's left-out areas as shares of the region (the part inside it; an area wholly outside is dropped). */
export function leftOutShares(view: ImageView): AreaShare[] {
  const r = view.region ?? { left: 0, top: 0, width: 100, height: 100 };
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return view.leftOut.flatMap((a) => {
    const s = {
      left: clamp((a.left - r.left) / r.width), top: clamp((a.top - r.top) / r.height),
      right: clamp((a.left + a.width - r.left) / r.width), bottom: clamp((a.top + a.height - r.top) / r.height),
    };
    return s.right > s.left && s.bottom > s.top ? [s] : [];
  });
}

/** Whole pixels of a rectangle. */
export interface PixelBox { left: number; top: number; width: number; height: number }

/**
 * The left-out areas in pixels of an image of width x height once cut to the view's region (the part of each
 * area inside it; an area wholly outside the region is dropped).
 */
export function leftOutPixels(view: ImageView, width: number, height: number): PixelBox[] {
  const cut = view.region ? regionPixels(view.region, width, height) : { left: 0, top: 0, width, height };
  return view.leftOut.flatMap((area) => {
    const a = regionPixels(area, width, height);
    const left = Math.max(a.left, cut.left);
    const top = Math.max(a.top, cut.top);
    const right = Math.min(a.left + a.width, cut.left + cut.width);
    const bottom = Math.min(a.top + a.height, cut.top + cut.height);
    return right > left && bottom > top ? [{ left: left - cut.left, top: top - cut.top, width: right - left, height: bottom - top }] : [];
  });
}
