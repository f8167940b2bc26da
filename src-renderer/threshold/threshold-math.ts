// Counts and figures at a threshold, computed in the renderer so the slider answers at once.
// Scores are sorted once; each slider move is then a few binary searches (O(log n) at 100k images).
// The truth rule and the counts are the shared module src-main/shared/truth.ts (the API uses it too).
export { buildScoreSet, countAtLeast, figuresAt, hasTruth, histogram, scoreSetOf, truthOf } from '../api/client';
export type { ScoreSet, ThresholdFigures, Truth, TruthHistogram as Histogram } from '../api/client';
import type { ScoreSet } from '../api/client';

/** Slider domain with a little margin so the extremes (flag none / flag all) are reachable. */
export function sliderDomain(set: ScoreSet): { min: number; max: number; step: number } {
  if (set.all.length === 0) return { min: 0, max: 1, step: 0.01 };
  const lo = set.all[0];
  const hi = set.all[set.all.length - 1];
  const span = hi - lo || Math.abs(hi) || 1;
  return { min: lo, max: hi + span * 0.01, step: span / 1000 };
}

/** The p-th percentile (0..100) with linear interpolation, e.g. of the validation scores. */
export function percentile(asc: ArrayLike<number>, p: number): number {
  if (asc.length === 0) throw new Error('percentile of an empty set');
  const pos = (Math.min(Math.max(p, 0), 100) / 100) * (asc.length - 1);
  const i = Math.floor(pos);
  const frac = pos - i;
  return i + 1 < asc.length ? asc[i] + frac * (asc[i + 1] - asc[i]) : asc[i];
}

/** One import's scores (ascending), the model's own training images left out; `shifted`: how many of them differ
 *  from the held-out good parts as a whole (null: the model cannot tell). */
export interface BatchScores { importId: number; scores: Float64Array; shifted: number | null }

/** An import most of whose parts differ as a whole was most likely captured differently (camera, lighting, part type). */
export const SHIFTED_SHARE = 0.5;
export const isShiftedBatch = (b: BatchScores): boolean => b.shifted !== null && b.shifted > SHIFTED_SHARE * b.scores.length;

/**
 * The scored images grouped by the import that brought them in, newest import first: a lot whose flag rate
 * jumps (a bad lot, a moved camera, new lighting) shows against the others at any threshold. The model's own
 * training images score low by construction and images added without an import have no batch: both left out.
 */
export function batchesOf(d: { scores: number[]; importIds: ReadonlyArray<number | null>; trained: boolean[]; shifted: boolean[] | null }): BatchScores[] {
  const by = new Map<number, { scores: number[]; shifted: number }>();
  d.scores.forEach((s, i) => {
    const id = d.importIds[i];
    if (id === null || d.trained[i] || !Number.isFinite(s)) return;
    const b = by.get(id) ?? { scores: [], shifted: 0 };
    b.scores.push(s);
    if (d.shifted?.[i]) b.shifted++;
    by.set(id, b);
  });
  return [...by].sort((a, b) => b[0] - a[0])
    .map(([importId, b]) => ({ importId, scores: Float64Array.from(b.scores).sort(), shifted: d.shifted ? b.shifted : null }));
}
