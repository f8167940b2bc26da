// Calibration of raw anomaly scores against the validation images (good parts the model never trained
// on). Scores become comparable across runs and a single image can be scored alone, because nothing is
// ever normalised over the set being scored.
import { SCORE_KINDS, type ScoreKind } from './options';
import { lowerBound, upperBound } from '../shared/truth';

export interface ScoreStats {
  count: number;
  mean: number;
  std: number;
  median: number;
  /** Median absolute deviation from the median (unscaled). */
  mad: number;
  /** Ascending sample of the validation scores (all of them, or evenly spaced quantiles when many). */
  sorted: number[];
}

/** Per score kind; models saved before a kind existed lack its entry. */
export type Calibration = Partial<Record<ScoreKind, ScoreStats>>;

const MAX_SAMPLE = 2000;
// 1.4826 * MAD estimates the standard deviation of a normal distribution, robust to outliers.
const MAD_TO_STD = 1.4826;

function medianOfSorted(s: ArrayLike<number>): number {
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

export function scoreStats(values: ArrayLike<number>): ScoreStats {
  const v = Array.from(values);
  if (v.length === 0) throw new Error('calibration: no validation scores (the validation split is empty)');
  if (v.some((x) => !Number.isFinite(x))) throw new Error('calibration: a validation score is not finite');
  const sorted = v.sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(sorted.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  const median = medianOfSorted(sorted);
  const mad = medianOfSorted(sorted.map((x) => Math.abs(x - median)).sort((a, b) => a - b));
  const sample = n <= MAX_SAMPLE ? sorted
    : Array.from({ length: MAX_SAMPLE }, (_, i) => sorted[Math.round((i * (n - 1)) / (MAX_SAMPLE - 1))]);
  return { count: n, mean, std, median, mad, sorted: sample };
}

/** Every kind that was computed (a kind left out is NaN throughout and gets no entry). */
export function buildCalibration(scores: Record<ScoreKind, ArrayLike<number>>): Calibration {
  const computed = SCORE_KINDS.filter((k) => !Array.from(scores[k]).every(Number.isNaN));
  return Object.fromEntries(computed.map((k) => [k, scoreStats(scores[k])])) as Calibration;
}

/** 1.4826 MAD; falls back to the std, then 1, when the spread is 0. */
const robustScale = (s: ScoreStats): number => MAD_TO_STD * s.mad || s.std || 1;

/** Robust z-score: (raw - median) / (1.4826 MAD); falls back to the std, then 1, when the spread is 0. */
export function calibratedScore(raw: number, s: ScoreStats): number {
  return (raw - s.median) / robustScale(s);
}

/** A calibrated score this high is far out in the good parts' tail. */
export const FAR_OUT = 3;

/** The raw value whose calibrated score is FAR_OUT: unlike the largest value of a few dozen, one odd image barely moves it. */
export function farOutLimit(s: ScoreStats): number {
  return s.median + FAR_OUT * robustScale(s);
}

/** Percentage (0-100) of validation scores below raw, ties counting half. */
export function percentileOf(raw: number, s: ScoreStats): number {
  const a = s.sorted;
  const below = lowerBound(a, raw);
  return (100 * (below + (upperBound(a, raw) - below) / 2)) / a.length;
}
