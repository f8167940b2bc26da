// The inspection region: the part of every image a model trains on and scores, so what is not the part
// (a fixture, the conveyor, a camera's burnt-in time stamp) never counts. Written as "left,top,width,height"
// in percent of each image's own width and height, so one region fits images of any size, as machine-vision
// tools set a region once per station. Shared by the engine (decoding), the API and the Train screen.

/** Percent of the image's width (left, width) and height (top, height). */
export interface Region { left: number; top: number; width: number; height: number }

const NUMBER = /^\d+(\.\d+)?$/;

/** "left,top,width,height" (percent) as a Region; throws an Error that says what is wrong, naming it `what`. */
export function parseRegion(text: string, what = 'region'): Region {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length !== 4 || !parts.every((p) => NUMBER.test(p))) {
    throw new Error(`${what} must be left,top,width,height in percent of the image (e.g. 10,0,80,100), got "${text}"`);
  }
  const [left, top, width, height] = parts.map(Number);
  if (!(width > 0 && height > 0)) throw new Error(`${what} "${text}": width and height must be above 0 %`);
  // A hundredth of a percent of slack: percentages written with two decimals may add up to 100.01.
  if (left + width > 100.01) throw new Error(`${what} "${text}": left + width is ${+(left + width).toFixed(2)} %, past the image's right edge (100 %)`);
  if (top + height > 100.01) throw new Error(`${what} "${text}": top + height is ${+(top + height).toFixed(2)} %, past the image's bottom edge (100 %)`);
  return { left, top, width, height };
}

/** A Region as the option's text, at most two decimals each. */
export function formatRegion(r: Region): string {
  return [r.left, r.top, r.width, r.height].map((v) => +v.toFixed(2)).join(',');
}

/** Whether a region leaves the whole image (every side within half a pixel of a 1000 px image). */
function isWholeImage(r: Region): boolean {
  return r.left <= 0.05 && r.top <= 0.05 && r.left + r.width >= 99.95 && r.top + r.height >= 99.95;
}

/** The option's text as a Region, or null for none or one that is the whole image. */
export function regionOf(text: string | undefined | null): Region | null {
  if (text === undefined || text === null || text.trim() === '') return null;
  const r = parseRegion(text);
  return isWholeImage(r) ? null : r;
}

/** regionOf, or null where the text is no region: for screens showing a half-typed one, or a saved one a later version wrote. */
export function regionOrNull(text: string | undefined | null): Region | null {
  try {
    return regionOf(text);
  } catch {
    return null;
  }
}

/** The region in whole pixels of an image of width x height: at least one pixel, never past the image. */
export function regionPixels(r: Region, width: number, height: number): { left: number; top: number; width: number; height: number } {
  const side = (start: number, length: number, size: number) => {
    const from = Math.min(size - 1, Math.max(0, Math.round((start / 100) * size)));
    const to = Math.min(size, Math.max(from + 1, Math.round(((start + length) / 100) * size)));
    return [from, to - from];
  };
  const [left, w] = side(r.left, r.width, width);
  const [top, h] = side(r.top, r.height, height);
  return { left, top, width: w, height: h };
}

/** A region's spans, "x 10–90 %, y 0–100 %". */
export function regionSpans(r: Region): string {
  const span = (a: number, b: number) => `${+a.toFixed(2)}–${+(a + b).toFixed(2)} %`;
  return `x ${span(r.left, r.width)}, y ${span(r.top, r.height)}`;
}

/** The region in words: "the whole image" or "x 10–90 %, y 0–100 % of each image". */
export function describeRegion(text: string | undefined | null): string {
  const r = regionOf(text);
  return r ? `${regionSpans(r)} of each image` : 'the whole image';
}
