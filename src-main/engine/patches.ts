// Patch mode for images larger than the model: the image (at its working scale) is cut into a sliding
// grid of isize x isize crops, each crop is scored, the image scores by its worst patch, and the patches'
// difference maps are stitched back at the image's own resolution so a thin crack shows where it is.
import * as tf from '@tensorflow/tfjs';
import { SCORE_KINDS, type ScoreKind } from './options';
import { scoreBatch, type ScoreResult, type ScoringModel } from './scoring';

/** Window starts along one side: `stride` apart, the last one flush with the end, so every pixel is covered. */
export function gridStarts(length: number, size: number, stride: number): number[] {
  if (!Number.isInteger(length) || !Number.isInteger(size) || size < 1) throw new Error(`patch grid: bad side ${length} or size ${size}`);
  if (length < size) throw new Error(`patch grid: the side (${length} px) is smaller than a patch (${size} px)`);
  if (!Number.isInteger(stride) || stride < 1 || stride > size) throw new Error(`patch grid: stride must be 1..${size}, got ${stride}`);
  const out: number[] = [];
  for (let s = 0; s + size < length; s += stride) out.push(s);
  out.push(length - size);
  return out;
}

export interface PatchGrid {
  height: number;
  width: number;
  size: number;
  ys: number[];
  xs: number[];
  /** ys.length * xs.length; patch k is at (ys[floor(k / xs.length)], xs[k % xs.length]). */
  count: number;
}

/** Half-overlapping patches by default: a defect on a seam is whole in a neighbouring patch. */
export function patchGrid(height: number, width: number, size: number, stride = Math.max(1, size >> 1)): PatchGrid {
  const ys = gridStarts(height, size, stride);
  const xs = gridStarts(width, size, stride);
  return { height, width, size, ys, xs, count: ys.length * xs.length };
}

/** The grid's crops of one HWC image, as NHWC [count, size, size, nc]. */
export function extractPatches(img: Float32Array, nc: number, g: PatchGrid): Float32Array {
  if (img.length !== g.height * g.width * nc) {
    throw new Error(`patches: image has ${img.length} values, expected ${g.height}x${g.width}x${nc}`);
  }
  const row = g.size * nc;
  const out = new Float32Array(g.count * g.size * row);
  let k = 0;
  for (const y of g.ys) {
    for (const x of g.xs) {
      for (let r = 0; r < g.size; r++) {
        const from = ((y + r) * g.width + x) * nc;
        out.set(img.subarray(from, from + row), (k * g.size + r) * row);
      }
      k++;
    }
  }
  return out;
}

/** For each of `length` positions along a side, the window (of `starts`, `size` wide) whose centre is nearest (the first on a tie). */
function nearestWindow(starts: number[], size: number, length: number): Uint32Array {
  const out = new Uint32Array(length);
  let w = 0;
  for (let p = 0; p < length; p++) {
    // Centres increase with the starts, so the nearest one only ever moves forward.
    while (w + 1 < starts.length && Math.abs(starts[w + 1] + size / 2 - (p + 0.5)) < Math.abs(starts[w] + size / 2 - (p + 0.5))) w++;
    out[p] = w;
  }
  return out;
}

/**
 * One map at the grid's full resolution from per-patch maps [count, size, size]: each pixel is taken from
 * the patch whose centre is nearest, the one that saw it with the most context around it. A patch's own
 * border is where its reconstruction is least reliable (the convolutions' padding): with half-overlapping
 * patches every pixel but the image's outer size/4 comes from at least size/4 - 1 px inside its patch. (Taking
 * the largest value of the covering patches put the hot spot on a patch border for 4 of the 52 KolektorSDD
 * cracks that this finds: README, Compare against ground truth.)
 */
export function stitchNearest(maps: Float32Array, g: PatchGrid): Float32Array {
  if (maps.length !== g.count * g.size * g.size) {
    throw new Error(`stitch: ${maps.length} values for ${g.count} patches of ${g.size}x${g.size}`);
  }
  const row = nearestWindow(g.ys, g.size, g.height);
  const col = nearestWindow(g.xs, g.size, g.width);
  const out = new Float32Array(g.height * g.width);
  for (let y = 0; y < g.height; y++) {
    const iy = row[y];
    const r = y - g.ys[iy];
    for (let x = 0; x < g.width; x++) {
      const ix = col[x];
      out[y * g.width + x] = maps[((iy * g.xs.length + ix) * g.size + r) * g.size + x - g.xs[ix]];
    }
  }
  return out;
}

/** An image's score from its patches' scores: the worst patch (max); NaN for a kind not computed (NaN). */
export function worstPatch(scores: ArrayLike<number>): number {
  if (!scores.length) throw new Error('patches: no patch scores');
  let m = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) return NaN;
    if (scores[i] > m) m = scores[i];
  }
  return m;
}

/**
 * The working scale for an image of width x height and a model of isize: native pixels per model pixel.
 * 'auto' shrinks the shorter side to 4 patches (isize * 4) and never enlarges, so a model of 32 sees a
 * 300 px cell at 128 px: small defects stay several pixels wide while a grid stays a few dozen patches.
 */
export function chooseScale(width: number, height: number, isize: number): number {
  if (!(width > 0 && height > 0)) throw new Error(`patch scale: bad image size ${width}x${height}`);
  return Math.max(1, Math.min(width, height) / (4 * isize));
}

/** The image's size at a working scale, never below one patch. */
export function scaledSize(width: number, height: number, isize: number, scale: number): { width: number; height: number } {
  if (!(scale >= 1)) throw new Error(`patch scale must be at least 1 (native pixels per model pixel), got ${scale}`);
  return { width: Math.max(isize, Math.round(width / scale)), height: Math.max(isize, Math.round(height / scale)) };
}

/** How the patches of one image are scored: scoreBatch here, or a pool over both cores. */
export type PatchScorer = (x: Float32Array, count: number, withMaps: boolean) => Promise<ScoreResult>;

export interface PatchScores {
  /** Per kind, the image's score: its worst patch. */
  raw: Record<ScoreKind, number>;
  /** Per kind, every patch's score (grid order). */
  perPatch: Record<ScoreKind, Float32Array>;
  /** With maps: |x - G(x)| of the patches stitched (stitchNearest) at the image's (working) resolution, height * width values. */
  diffMap?: Float32Array;
  /** With maps: the patches' reconstructions stitched (overlaps averaged), HWC at the working resolution. */
  reconstruction?: Float32Array;
  grid: PatchGrid;
}

export interface ScorePatchesOptions {
  /** Patches per call of the scorer. */
  batchSize?: number;
  withMaps?: boolean;
  scorer?: PatchScorer;
}

/**
 * Scores one HWC image (at its working scale, each side at least isize) by a sliding grid of the model's
 * patches, `batchSize` patches at a time; the score of each kind is that of the worst patch. Each patch
 * is scored in inference mode on its own pixels only, so an image's score never depends on other images.
 */
export async function scorePatches(m: ScoringModel, img: Float32Array, height: number, width: number, o: ScorePatchesOptions = {}): Promise<PatchScores> {
  const batchSize = o.batchSize ?? 64;
  const withMaps = o.withMaps ?? false;
  const score: PatchScorer = o.scorer ?? ((x, n, maps) => scoreBatch(m, x, n, maps));
  const g = patchGrid(height, width, m.isize);
  const patches = extractPatches(img, m.nc, g);
  const per = m.isize * m.isize * m.nc;
  const px = m.isize * m.isize;
  const perPatch = Object.fromEntries(SCORE_KINDS.map((k) => [k, new Float32Array(g.count)])) as Record<ScoreKind, Float32Array>;
  const maps = withMaps ? new Float32Array(g.count * px) : undefined;
  const recons = withMaps ? new Float32Array(g.count * per) : undefined;
  for (let start = 0; start < g.count; start += batchSize) {
    const n = Math.min(batchSize, g.count - start);
    const r = await score(patches.subarray(start * per, (start + n) * per), n, withMaps);
    for (const k of SCORE_KINDS) perPatch[k].set(r.raw[k], start);
    maps?.set(r.diffMaps!, start * px);
    recons?.set(r.reconstructions!, start * per);
  }
  const raw = Object.fromEntries(SCORE_KINDS.map((k) => [k, worstPatch(perPatch[k])])) as Record<ScoreKind, number>;
  const out: PatchScores = { raw, perPatch, grid: g };
  if (maps && recons) {
    out.diffMap = stitchNearest(maps, g);
    out.reconstruction = stitchMean(recons, m.nc, g);
  }
  return out;
}

/** Per-patch HWC images [count, size, size, nc] put back together, overlapping pixels averaged (for display). */
export function stitchMean(patches: Float32Array, nc: number, g: PatchGrid): Float32Array {
  if (patches.length !== g.count * g.size * g.size * nc) {
    throw new Error(`stitch: ${patches.length} values for ${g.count} patches of ${g.size}x${g.size}x${nc}`);
  }
  const sum = new Float32Array(g.height * g.width * nc);
  const hits = new Uint16Array(g.height * g.width);
  const row = g.size * nc;
  let k = 0;
  for (const y of g.ys) {
    for (const x of g.xs) {
      for (let r = 0; r < g.size; r++) {
        const o = (y + r) * g.width + x;
        const from = (k * g.size + r) * row;
        for (let i = 0; i < row; i++) sum[o * nc + i] += patches[from + i];
        for (let c = 0; c < g.size; c++) hits[o + c]++;
      }
      k++;
    }
  }
  for (let p = 0; p < hits.length; p++) for (let c = 0; c < nc; c++) sum[p * nc + c] /= hits[p];
  return sum;
}

/** Native pixels per model pixel for a training set, or null for whole images. */
export type PatchScale = number | null;

/**
 * 'auto' considers patches from this shorter side on, in model sizes (192 px at isize 32): there a
 * whole-image view shrinks the image 6 times or more and thin defects vanish. Measured on surfaces at 200 px
 * (KolektorSDD cut into 200 px tiles: 0.78 in patches at 1/1.56 against 0.67 whole), 300 px (0.83 against
 * 0.66) and 500 px (0.86 against 0.65); smaller images, unmeasured, stay whole. Parts shot in place stay whole
 * at any size (AUTO_POSITION_LIMIT).
 */
export const AUTO_PATCHES_FROM = 6;

/**
 * Large images still stay whole when where a patch sits explains this share of the patches' variation or more
 * (engine/position-share): parts photographed in place, whose patches a patch model sees out of place. Measured
 * on 64 training images at isize 16 and 32: KolektorSDD 0.03 (patches: 0.86 against 0.65 whole), ELPV
 * 0.35 and the tyre 0.67-0.73 (patches: 0.85 and 0.49 against 0.94 and 0.75 whole).
 */
export const AUTO_POSITION_LIMIT = 0.15;

/** Training images whose patches 'auto' compares by position: evenly spread over the set. */
export const AUTO_POSITION_SAMPLE = 64;

/** The median width and height of a set of images (each on its own). */
export function medianSize(sizes: Array<{ width: number; height: number }>): { width: number; height: number } {
  if (!sizes.length) throw new Error('crop auto: no training images to size');
  const median = (v: number[]): number => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  return { width: median(sizes.map((s) => s.width)), height: median(sizes.map((s) => s.height)) };
}

/**
 * The crop option as far as sizes decide it: 'whole' -> null, a number as it is, 'auto' -> null when the
 * images' median shorter side is under AUTO_PATCHES_FROM model sizes, else chooseScale of the median size
 * (services/image-set then keeps whole images whose patches are bound to their place). Never a label.
 */
export function resolveCrop(crop: 'auto' | 'whole' | number, sizes: Array<{ width: number; height: number }>, isize: number): PatchScale {
  if (crop === 'whole') return null;
  if (typeof crop === 'number') {
    if (!(crop >= 1)) throw new Error(`crop must be at least 1 (native pixels per model pixel), got ${crop}`);
    return crop;
  }
  const { width, height } = medianSize(sizes);
  if (Math.min(width, height) < AUTO_PATCHES_FROM * isize) return null;
  return Math.round(chooseScale(width, height, isize) * 100) / 100;
}

/** The crop choice in words, for the CLI, logs and screens. */
export function describeCrop(scale: PatchScale | undefined, isize: number): string {
  return scale == null ? `whole image (squeezed to ${isize}x${isize})`
    : `patches of ${isize}x${isize} at 1/${+scale.toFixed(2)} scale (${Math.round(isize * scale)} native pixels each), worst patch scores`;
}

/** A one-channel map of height x width resized (bilinear, corners aligned) to toHeight x toWidth. */
export async function resizeMap(map: Float32Array, height: number, width: number, toHeight: number, toWidth: number): Promise<Float32Array> {
  if (map.length !== height * width) throw new Error(`resize: map has ${map.length} values, expected ${height}x${width}`);
  if (height === toHeight && width === toWidth) return map;
  const t = tf.tidy(() => tf.image.resizeBilinear(tf.tensor3d(map, [height, width, 1]), [toHeight, toWidth], true));
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}
