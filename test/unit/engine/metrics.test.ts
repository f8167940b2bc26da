import { describe, expect, it } from 'vitest';
import { auroc, aurocByGroup, aurocsByKind, averagePrecision, bestF1, confusionAt, prCurve, rocCurve } from '../../../src-main/engine/metrics';

// Hand-computed: the classic 4-sample case (sklearn's docs give AUROC 0.75, AP 0.8333 for it).
const s = [0.1, 0.4, 0.35, 0.8];
const y = [0, 0, 1, 1];

describe('metrics', () => {
  it('AUROC and AP on a hand-computed case', () => {
    expect(auroc(s, y)).toBeCloseTo(0.75, 12);
    expect(averagePrecision(s, y)).toBeCloseTo(5 / 6, 12);
  });

  it('counts ties as half in AUROC and admits tied scores together', () => {
    expect(auroc([1, 1], [0, 1])).toBe(0.5);
    // pos {0.5, 0.9} vs neg {0.5, 0.1}: pairs 0.5|1|1|1 -> 3.5 / 4
    expect(auroc([0.5, 0.5, 0.9, 0.1], [1, 0, 1, 0])).toBe(0.875);
    // thresholds 0.9 (tp1 fp0), 0.5 (tp2 fp1): AP = 0.5*1 + 0.5*2/3
    expect(averagePrecision([0.5, 0.5, 0.9, 0.1], [true, false, true, false])).toBeCloseTo(0.5 + 1 / 3, 12);
    expect(rocCurve([0.5, 0.5, 0.9, 0.1], [1, 0, 1, 0])).toEqual([
      { threshold: Infinity, fpr: 0, tpr: 0 },
      { threshold: 0.9, fpr: 0, tpr: 0.5 },
      { threshold: 0.5, fpr: 0.5, tpr: 1 },
      { threshold: 0.1, fpr: 1, tpr: 1 },
    ]);
  });

  it('perfect and inverted rankings', () => {
    expect(auroc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(auroc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
    expect(averagePrecision([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
  });

  it('best F1 and its threshold', () => {
    const b = bestF1(s, y);
    expect(b.threshold).toBe(0.35);
    expect(b.f1).toBeCloseTo(0.8, 12);
    expect(b.precision).toBeCloseTo(2 / 3, 12);
    expect(b.recall).toBe(1);
  });

  it('PR curve and confusion counts', () => {
    expect(prCurve(s, y).map((p) => [p.threshold, p.precision, p.recall])).toEqual([
      [0.8, 1, 0.5], [0.4, 0.5, 0.5], [0.35, 2 / 3, 1], [0.1, 0.5, 1],
    ]);
    expect(confusionAt(s, y, 0.35)).toEqual({ tp: 2, fp: 1, tn: 1, fn: 0 });
    expect(confusionAt(s, y, 0.4)).toEqual({ tp: 1, fp: 1, tn: 1, fn: 1 });
    expect(confusionAt(s, y, Infinity)).toEqual({ tp: 0, fp: 0, tn: 2, fn: 2 });
  });

  it('one class missing gives NaN; bad input gives a clear error', () => {
    expect(auroc([1, 2], [0, 0])).toBeNaN();
    expect(averagePrecision([1, 2], [1, 1])).toBeNaN();
    expect(() => auroc([1, 2], [0])).toThrow(/2 scores but 1 labels/);
    expect(() => auroc([1, NaN], [0, 1])).toThrow(/score 1 is not a finite number/);
  });
});

describe('aurocByGroup', () => {
  it('ranks each group of positives against every negative', () => {
    // cracks outrank every good part, holes are mixed in with them, the negatives' group is not read
    const scores = [0.9, 0.8, 0.5, 0.3, 0.4, 0.2, 0.1];
    const labels = [1, 1, 1, 1, 0, 0, 0];
    const groups = ['crack', 'crack', 'hole', 'hole', 'x', 'y', 'z'];
    const by = aurocByGroup(scores, labels, groups);
    expect([...by.keys()]).toEqual(['crack', 'hole']);
    expect(by.get('crack')).toEqual({ positives: 2, auroc: 1 });
    // hole 0.5 beats all three negatives, 0.3 beats two of them: 5 of 6 pairs
    expect(by.get('hole')!.auroc).toBeCloseTo(5 / 6, 12);
    expect(by.get('hole')!.positives).toBe(2);
    // the groups together give the overall AUROC, weighted by their positives
    expect((by.get('crack')!.auroc * 2 + by.get('hole')!.auroc * 2) / 4).toBeCloseTo(auroc(scores, labels), 12);
  });

  it('keeps null as a group of its own and refuses arrays of different lengths', () => {
    const by = aurocByGroup([0.9, 0.2, 0.1], [1, 0, 0], [null, null, 'g']);
    expect(by.get(null)).toEqual({ positives: 1, auroc: 1 });
    expect(() => aurocByGroup([0.9, 0.1], [1, 0], ['a'])).toThrow(/2 scores but 1 groups/);
  });
});

describe('aurocsByKind', () => {
  it('gives each score\'s AUROC per kind, kinds by name with the unnamed last, and nothing for a single kind', () => {
    const labels = [1, 1, 1, 0, 0];
    const kinds = [null, 'hole', 'cut', null, null];
    const own = [0.9, 0.1, 0.8, 0.5, 0.4];
    const rule = [0.1, 0.9, 0.2, 0.5, 0.4];
    expect(aurocsByKind([own, rule], labels, kinds)).toEqual([
      { kind: 'cut', parts: 1, aurocs: [1, 0] },
      { kind: 'hole', parts: 1, aurocs: [0, 1] },
      { kind: null, parts: 1, aurocs: [1, 0] },
    ]);
    expect(aurocsByKind([own], labels, ['cut', 'cut', 'cut', null, null])).toEqual([]);
  });
});
