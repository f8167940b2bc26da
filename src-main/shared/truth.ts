// The truth rule: which images count as good or defect when a model is judged, and the counts and
// figures at a threshold that follow from it. Every figure (the API's counts and metrics, the threshold
// suggestion, the renderer's slider, the report) goes through this module. Pure: no imports but names.
import type { Decision, Label } from './vocabulary';

export type Truth = Label | null;

/**
 * Truth of an image: the latest review decision (good or defect) wins over the folder label; 'unsure' is
 * no decision, and images the model trained on (its training snapshot, validation included) have no
 * truth, since figures on data the model has seen would flatter it.
 */
export function truthOf(label: Label | null, decision: Decision | string | null | undefined, trained = false): Truth {
  if (trained) return null;
  if (decision === 'good' || decision === 'defect') return decision;
  return label;
}

/** Parallel arrays of a model's scored images (the `results.scores` answer). */
export interface ScoredImages {
  scores: number[];
  labels: ReadonlyArray<Label | null>;
  decisions: ReadonlyArray<Decision | string | null>;
  trained: boolean[];
}

/** Scores and truths (defect = 1, good = 0) of the images that have a truth, in the given order. */
export function labelledScores(d: ScoredImages): { scores: number[]; labels: number[] } {
  const scores: number[] = [];
  const labels: number[] = [];
  d.scores.forEach((score, i) => {
    const truth = truthOf(d.labels[i], d.decisions[i], d.trained[i]);
    if (truth === null) return;
    scores.push(score);
    labels.push(truth === 'defect' ? 1 : 0);
  });
  return { scores, labels };
}

/** Sorted scores: every image, and those whose truth is good or defect. */
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

/** The score set of a model's scored images, each with its truth. */
export function scoreSetOf(d: ScoredImages): ScoreSet {
  return buildScoreSet(d.scores.map((score, i) => ({ score, truth: truthOf(d.labels[i], d.decisions[i], d.trained[i]) })));
}

/** First position in an ascending array whose value is >= t. */
export function lowerBound(asc: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = asc.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (asc[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position in an ascending array whose value is > t. */
export function upperBound(asc: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = asc.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (asc[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of values >= t in an ascending array. */
export function countAtLeast(asc: Float64Array, t: number): number {
  return asc.length - lowerBound(asc, t);
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

export interface TruthHistogram {
  edges: number[];
  good: number[];
  defect: number[];
  unknown: number[];
}

/** Equal-width bins between min and max of all scores, split by truth. */
export function histogram(set: ScoreSet, bins: number): TruthHistogram {
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
