// Patch mode for images larger than the model: the image (at its working scale) is cut into a sliding
// grid of isize x isize crops, each crop is scored, the image scores by its worst patch, and the patches'
// difference maps are stitched back at the image's own resolution so a thin crack shows where it is.
import { SCORE_KINDS, type ScoreKind } from './options';
import { scoreBatch, type ScoringModel } from './scoring';

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

/**
 * One map at the grid's full resolution from per-patch maps [count, size, size]: each pixel takes the
 * largest value of the patches that cover it, so a defect's peak stays where it is (an average would
 * dilute it with the patch that sees it only at its border).
 */
export function stitchMax(maps: Float32Array, g: PatchGrid): Float32Array {
  if (maps.length !== g.count * g.size * g.size) {
    throw new Error(`stitch: ${maps.length} values for ${g.count} patches of ${g.size}x${g.size}`);
  }
  const out = new Float32Array(g.height * g.width).fill(-Infinity);
  let k = 0;
  for (const y of g.ys) {
    for (const x of g.xs) {
      for (let r = 0; r < g.size; r++) {
        const o = (y + r) * g.width + x;
        const m = (k * g.size + r) * g.size;
        for (let c = 0; c < g.size; c++) if (maps[m + c] > out[o + c]) out[o + c] = maps[m + c];
      }
      k++;
    }
  }
  return out;
}

/** An image's score from its patches' scores: the worst patch (max). */
export function worstPatch(scores: ArrayLike<number>): number {
  if (!scores.length) throw new Error('patches: no patch scores');
  let m = -Infinity;
  for (let i = 0; i < scores.length; i++) if (scores[i] > m) m = scores[i];
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

export interface PatchScores {
  /** Per kind, the image's score: its worst patch. */
  raw: Record<ScoreKind, number>;
  /** |x - G(x)| of every patch stitched at the image's (working) resolution, height * width values. */
  diffMap: Float32Array;
  grid: PatchGrid;
}

/**
 * Scores one HWC image (at its working scale, each side at least isize) by a sliding grid of the model's
 * patches, `batchSize` patches at a time; the score of each kind is that of the worst patch.
 */
export async function scorePatches(m: ScoringModel, img: Float32Array, height: number, width: number, batchSize = 64): Promise<PatchScores> {
  const g = patchGrid(height, width, m.isize);
  const patches = extractPatches(img, m.nc, g);
  const per = m.isize * m.isize * m.nc;
  const px = m.isize * m.isize;
  const raw = Object.fromEntries(SCORE_KINDS.map((k) => [k, -Infinity])) as Record<ScoreKind, number>;
  const maps = new Float32Array(g.count * px);
  for (let start = 0; start < g.count; start += batchSize) {
    const n = Math.min(batchSize, g.count - start);
    const r = await scoreBatch(m, patches.subarray(start * per, (start + n) * per), n, true);
    for (const k of SCORE_KINDS) raw[k] = Math.max(raw[k], worstPatch(r.raw[k]));
    maps.set(r.diffMaps!, start * px);
  }
  return { raw, diffMap: stitchMax(maps, g), grid: g };
}
