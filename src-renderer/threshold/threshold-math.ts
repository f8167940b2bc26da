// Counts and figures at a threshold, computed in the renderer so the slider answers at once.
// Scores are sorted once; each slider move is then a few binary searches (O(log n) at 100k images).
// The truth rule and the counts are the shared module src-main/shared/truth.ts (the API uses it too).
// Lots (imports) are grouped by src-main/shared/lots.ts, which `score --db` uses too.
export { batchesOf, buildScoreSet, countAtLeast, figuresAt, hasTruth, histogram, scoreSetOf, truthOf } from '../api/client';
export type { BatchScores, ScoreSet, ThresholdFigures, Truth, TruthHistogram as Histogram } from '../api/client';
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
