// A threshold chosen on labelled parts looks better on those parts than it will on the next lot: on five known
// defects, "catch 95 %" sets it at the lowest of them and "catches" all five by construction. These give the
// figure for parts the choice did not see: each defect left out of the choice once (recall), or the parts split
// into folds, each judged by a threshold chosen on the others (best F1). Pure.
import { bestF1, confusionAt, isPositive, type Label } from './metrics';

/** The highest threshold that flags at least `recall` % of the given defect scores (sorted high to low). */
export function thresholdForRecall(defectsDesc: ArrayLike<number>, recall: number): number {
  const need = Math.ceil((recall / 100) * defectsDesc.length - 1e-9);
  return defectsDesc[Math.max(need, 1) - 1];
}

/**
 * How many known defects the recall rule still catches when each is left out of the choice in turn (the
 * threshold chosen on the others): what to expect of a new defect. Null under two defects.
 */
export function leaveOneOutRecall(defectsDesc: ArrayLike<number>, recall: number): { caught: number; of: number } | null {
  const n = defectsDesc.length;
  if (n < 2) return null;
  // Without defect j the n - 1 others keep their order: the needed one sits at `need - 1`, shifted by one when j is above it.
  const need = Math.max(Math.ceil((recall / 100) * (n - 1) - 1e-9), 1);
  let caught = 0;
  for (let j = 0; j < n; j++) {
    const value = j > need - 1 ? defectsDesc[need - 1] : defectsDesc[need];
    if (defectsDesc[j] >= value) caught++;
  }
  return { caught, of: n };
}

/** The pooled counts over the folds (each part judged once), and the figures from them. */
export interface HeldOutF1 { f1: number; precision: number; recall: number; folds: number; tp: number; fp: number; fn: number }

/**
 * Best F1 judged on parts the threshold was not chosen on: the parts (in rank order) dealt into `folds` folds
 * class by class, so each fold holds its share of defects and good parts at every score level; each fold
 * flagged by the best-F1 threshold of the others, and the counts pooled. Fewer folds when a class has fewer
 * parts; null under two of either class.
 */
export function crossValidatedF1(scores: ArrayLike<number>, labels: ArrayLike<Label>, folds = 5): HeldOutF1 | null {
  const n = scores.length;
  const all = Array.from({ length: n }, (_, i) => i);
  const positive = (i: number) => isPositive(labels[i]);
  const defects = all.filter(positive).length;
  const k = Math.min(folds, defects, n - defects);
  if (k < 2) return null;
  const fold = new Int32Array(n);
  const dealt = [0, 0];
  for (const i of [...all].sort((a, b) => scores[b] - scores[a])) fold[i] = dealt[positive(i) ? 1 : 0]++ % k;
  let tp = 0, fp = 0, fn = 0;
  for (let f = 0; f < k; f++) {
    const chosenOn = all.filter((i) => fold[i] !== f);
    const judged = all.filter((i) => fold[i] === f);
    const { threshold } = bestF1(chosenOn.map((i) => scores[i]), chosenOn.map((i) => labels[i]));
    const c = confusionAt(judged.map((i) => scores[i]), judged.map((i) => labels[i]), threshold);
    tp += c.tp; fp += c.fp; fn += c.fn;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp / (tp + fn);
  return { f1: tp ? (2 * precision * recall) / (precision + recall) : 0, precision, recall, folds: k, tp, fp, fn };
}
