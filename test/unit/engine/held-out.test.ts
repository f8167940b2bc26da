import { describe, expect, it } from 'vitest';
import { crossValidatedF1, leaveOneOutRecall, thresholdForRecall } from '../../../src-main/engine/held-out';
import { bestF1 } from '../../../src-main/engine/metrics';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe('figures for parts a threshold was not chosen on', () => {
  it('sets the recall threshold at the last defect needed, and catches one defect fewer left out of five', () => {
    const defects = [0.9, 0.8, 0.45, 0.35, 0.05];
    expect(thresholdForRecall(defects, 60)).toBe(0.45);
    expect(thresholdForRecall(defects, 100)).toBe(0.05);
    expect(thresholdForRecall(defects, 1)).toBe(0.9);
    // "Catch all": the lowest defect sets the threshold, so in-sample all five are caught; left out, it is not.
    expect(leaveOneOutRecall(defects, 100)).toEqual({ caught: 4, of: 5 });
    expect(leaveOneOutRecall(defects, 60)).toEqual({ caught: 3, of: 5 });
    expect(leaveOneOutRecall([0.5], 95)).toBeNull();
  });

  it('agrees with choosing the threshold again without each defect, ties included', () => {
    const r = rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + Math.floor(r() * 12);
      const defects = Array.from({ length: n }, () => Math.round(r() * 6) / 6).sort((a, b) => b - a);
      const recall = 50 + Math.floor(r() * 51);
      const naive = defects.filter((s, j) => s >= thresholdForRecall(defects.filter((_, k) => k !== j), recall)).length;
      expect(leaveOneOutRecall(defects, recall), `${defects} at ${recall} %`).toEqual({ caught: naive, of: n });
    }
  });

  it('judges best F1 on held-out folds: lower than in-sample, where the choice hugged its own parts or was luck', () => {
    // Classes apart, in-sample F1 1: the threshold sits on the lowest defect it was chosen on, so the lowest
    // defect, held out, escapes; no good part is flagged.
    const separated = crossValidatedF1([0.9, 0.8, 0.7, 0.6, 0.3, 0.2, 0.1, 0.05], [1, 1, 1, 1, 0, 0, 0, 0]);
    expect(separated).toMatchObject({ folds: 4, tp: 3, fp: 0, fn: 1, precision: 1, recall: 0.75 });
    expect(separated!.f1).toBeCloseTo(6 / 7, 12);
    // Scores that say nothing: in-sample best F1 finds a lucky cut; held out it does worse.
    const r = rng(3);
    const scores = Array.from({ length: 60 }, () => r());
    const labels = scores.map(() => (r() < 0.3 ? 1 : 0));
    const held = crossValidatedF1(scores, labels)!;
    expect(held.folds).toBe(5);
    expect(held.tp + held.fn).toBe(labels.filter((l) => l === 1).length); // each defect judged once
    expect(held.f1).toBeLessThan(bestF1(scores, labels).f1);
    // Fewer folds when a class is small; none under two of a class.
    expect(crossValidatedF1([0.9, 0.8, 0.3, 0.2, 0.1], [1, 1, 0, 0, 0])!.folds).toBe(2);
    expect(crossValidatedF1([0.9, 0.3, 0.2], [1, 0, 0])).toBeNull();
  });
});
