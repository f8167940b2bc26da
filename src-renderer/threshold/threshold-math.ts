// Counts and figures at a threshold, computed in the renderer so the slider answers at once.
// Scores are sorted once; each slider move is then a few binary searches (O(log n) at 100k images).
export type Truth = 'good' | 'defect' | null;

export interface ScoreSet {
  all: Float64Array;
  good: Float64Array;
  defect: Float64Array;
}

export interface ThresholdFigures {
  flagged: number;
  uncertain: number;
  total: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

function sorted(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * Truth of an image: the latest review wins over the folder label; 'unsure' is no truth, and neither are
 * images the model trained on (figures on them would flatter it).
 */
export function truthOf(label: 'good' | 'defect' | null, review: string | null | undefined, trained = false): Truth {
  if (trained) return null;
  if (review === 'good' || review === 'defect') return review;
  return label;
}

export function buildScoreSet(rows: ReadonlyArray<{ score: number; truth: Truth }>): ScoreSet {
  const all: number[] = [];
  const good: number[] = [];
  const defect: number[] = [];
  for (const r of rows) {
    if (!Number.isFinite(r.score)) continue;
    all.push(r.score);
    if (r.truth === 'good') good.push(r.score);
    else if (r.truth === 'defect') defect.push(r.score);
  }
  return { all: sorted(all), good: sorted(good), defect: sorted(defect) };
}

/** The score set of a `results.scores` answer (parallel arrays), each image with its truth. */
export function scoreSetOf(d: { scores: number[]; labels: ReadonlyArray<'good' | 'defect' | null>; decisions: ReadonlyArray<string | null>; trained: boolean[] }): ScoreSet {
  return buildScoreSet(d.scores.map((score, i) => ({ score, truth: truthOf(d.labels[i], d.decisions[i], d.trained[i]) })));
}

/** Number of values >= t in an ascending array. */
export function countAtLeast(asc: Float64Array, t: number): number {
  let lo = 0;
  let hi = asc.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (asc[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return asc.length - lo;
}

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

/** 'Flagged' means score >= threshold; the optional lower bound marks [lower, threshold) as uncertain. */
export function figuresAt(set: ScoreSet, threshold: number, lower: number | null = null): ThresholdFigures {
  const flagged = countAtLeast(set.all, threshold);
  const uncertain = lower !== null && lower < threshold ? countAtLeast(set.all, lower) - flagged : 0;
  const tp = countAtLeast(set.defect, threshold);
  const fp = countAtLeast(set.good, threshold);
  const fn = set.defect.length - tp;
  const tn = set.good.length - fp;
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  // F1 = 2TP / (2TP + FP + FN): defined whenever any labelled image is flagged or missed.
  const f1 = ratio(2 * tp, 2 * tp + fp + fn);
  return { flagged, uncertain, total: set.all.length, tp, fp, fn, tn, precision, recall, f1 };
}

export function hasTruth(set: ScoreSet): boolean {
  return set.good.length > 0 && set.defect.length > 0;
}

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

export interface Histogram {
  edges: number[];
  good: number[];
  defect: number[];
  unknown: number[];
}

/** Equal-width bins between min and max of all scores, split by truth. */
export function histogram(set: ScoreSet, bins: number): Histogram {
  const n = Math.max(1, Math.floor(bins));
  const lo = set.all.length ? set.all[0] : 0;
  const hi = set.all.length ? set.all[set.all.length - 1] : 1;
  const width = (hi - lo || 1) / n;
  const edges = Array.from({ length: n + 1 }, (_, i) => lo + i * width);
  const count = (arr: Float64Array): number[] => {
    const out = new Array<number>(n).fill(0);
    for (const v of arr) out[Math.min(n - 1, Math.floor((v - lo) / width))]++;
    return out;
  };
  const all = count(set.all);
  const good = count(set.good);
  const defect = count(set.defect);
  return { edges, good, defect, unknown: all.map((c, i) => c - good[i] - defect[i]) };
}
