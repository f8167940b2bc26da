import { describe, expect, it } from 'vitest';
import { confusionAt } from '../../../src-main/engine/metrics';
import {
  buildScoreSet, countAtLeast, figuresAt, histogram, percentile, sliderDomain, truthOf, type Truth,
} from '../../../src-renderer/threshold/threshold-math';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe('threshold maths', () => {
  it('counts values at or above a threshold, ties included', () => {
    const a = Float64Array.from([1, 2, 2, 2, 3]);
    expect(countAtLeast(a, 2)).toBe(4);
    expect(countAtLeast(a, 2.0001)).toBe(1);
    expect(countAtLeast(a, 0)).toBe(5);
    expect(countAtLeast(a, 4)).toBe(0);
    expect(countAtLeast(new Float64Array(0), 1)).toBe(0);
  });

  it('lets a review override the folder label, and unsure is no truth', () => {
    expect(truthOf('good', 'defect')).toBe('defect');
    expect(truthOf('defect', 'unsure')).toBe('defect');
    expect(truthOf(null, null)).toBeNull();
  });

  it('gives no truth to images the model trained on, whatever their label or review', () => {
    expect(truthOf('good', null, true)).toBeNull();
    expect(truthOf('good', 'defect', true)).toBeNull();
    expect(truthOf('defect', null, false)).toBe('defect');
  });

  it('matches the engine confusion counts on random data with ties', () => {
    const r = rng(7);
    const rows = Array.from({ length: 500 }, () => {
      const truth: Truth = r() < 0.3 ? 'defect' : r() < 0.8 ? 'good' : null;
      const score = Math.round((truth === 'defect' ? 1 + r() : r()) * 20) / 20; // many ties
      return { score, truth };
    });
    const set = buildScoreSet(rows);
    const labelled = rows.filter((x) => x.truth !== null);
    for (const t of [0, 0.35, 0.5, 0.8, 1, 1.25, 2, 3]) {
      const mine = figuresAt(set, t);
      const ref = confusionAt(labelled.map((x) => x.score), labelled.map((x) => x.truth === 'defect'), t);
      expect({ tp: mine.tp, fp: mine.fp, tn: mine.tn, fn: mine.fn }).toEqual(ref);
      expect(mine.flagged).toBe(rows.filter((x) => x.score >= t).length);
    }
  });

  it('computes precision, recall, F1 and the uncertain band', () => {
    const set = buildScoreSet([
      { score: 0.1, truth: 'good' }, { score: 0.2, truth: 'good' }, { score: 0.6, truth: 'good' },
      { score: 0.5, truth: 'defect' }, { score: 0.9, truth: 'defect' }, { score: 0.4, truth: null },
    ]);
    const f = figuresAt(set, 0.55, 0.3);
    expect(f).toMatchObject({ flagged: 2, uncertain: 2, tp: 1, fp: 1, fn: 1, tn: 2, total: 6 });
    expect(f.precision).toBeCloseTo(0.5);
    expect(f.recall).toBeCloseTo(0.5);
    expect(f.f1).toBeCloseTo(0.5);
    const none = figuresAt(set, 5);
    expect(none.precision).toBeNull();
    expect(none.f1).toBe(0);
    expect(figuresAt(buildScoreSet([{ score: 1, truth: null }]), 0).f1).toBeNull();
  });

  it('drops non-finite scores, bins by truth and gives percentiles', () => {
    const set = buildScoreSet([
      { score: 0, truth: 'good' }, { score: 1, truth: 'defect' }, { score: 0.5, truth: null }, { score: NaN, truth: 'good' },
    ]);
    expect(set.all.length).toBe(3);
    const h = histogram(set, 2);
    expect(h.edges).toEqual([0, 0.5, 1]);
    expect(h.good).toEqual([1, 0]);
    expect(h.defect).toEqual([0, 1]);
    expect(h.unknown).toEqual([0, 1]);
    expect(percentile([1, 2, 3, 4, 5], 50)).toBe(3);
    expect(percentile([0, 10], 95)).toBeCloseTo(9.5);
    expect(() => percentile([], 50)).toThrow(/empty/);
    const d = sliderDomain(set);
    expect(d.min).toBe(0);
    expect(d.max).toBeGreaterThan(1);
  });
});
