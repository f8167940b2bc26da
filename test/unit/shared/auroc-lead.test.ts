import { describe, expect, it } from 'vitest';
import { aurocLead } from '../../../src-main/shared/auroc-lead';
import { auroc } from '../../../src-main/engine/metrics';

/** A seeded stream (mulberry32) for reproducible made-up scores. */
function rng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

describe('aurocLead (DeLong)', () => {
  it('gives the difference of the two AUROCs, ties counted as half', () => {
    const defective = [true, true, false, false, false];
    const a = [0.9, 0.5, 0.5, 0.2, 0.1];
    const b = [0.3, 0.8, 0.9, 0.1, 0.2];
    const r = aurocLead(a, b, defective);
    expect(r.lead).toBeCloseTo(auroc(a, defective) - auroc(b, defective), 12);
    expect(r.low).toBeLessThan(r.lead);
    expect(r.high).toBeGreaterThan(r.lead);
  });

  it('matches the variance of a known case: one score against itself has no spread, a score against its reverse a wide one', () => {
    const defective = [true, true, true, false, false, false, false];
    const s = [0.9, 0.7, 0.4, 0.5, 0.3, 0.2, 0.1];
    expect(aurocLead(s, s, defective)).toEqual({ lead: 0, low: 0, high: 0 });
    const flipped = s.map((v) => -v);
    const r = aurocLead(s, flipped, defective);
    expect(r.lead).toBeCloseTo(2 * auroc(s, defective) - 1, 12);
    expect(r.high - r.low).toBeGreaterThan(0.3);
  });

  it('equals DeLong’s variance written out pair by pair (ties included)', () => {
    const next = rng(7);
    const defective = Array.from({ length: 40 }, (_, i) => i % 4 === 0);
    const q = (v: number) => Math.round(v * 8) / 8; // coarse, so ties occur
    const a = defective.map((d) => q((d ? 0.4 : 0) + next()));
    const b = defective.map((d) => q((d ? 0.2 : 0) + next()));
    const psi = (x: number, y: number) => (x > y ? 1 : x === y ? 0.5 : 0);
    const pos = (s: number[]) => s.filter((_, i) => defective[i]);
    const neg = (s: number[]) => s.filter((_, i) => !defective[i]);
    const v10 = (s: number[]) => pos(s).map((x) => neg(s).reduce((t, y) => t + psi(x, y), 0) / neg(s).length);
    const v01 = (s: number[]) => neg(s).map((y) => pos(s).reduce((t, x) => t + psi(x, y), 0) / pos(s).length);
    const c = (u: number[], v: number[]) => {
      const mu = u.reduce((t, x) => t + x, 0) / u.length;
      const mv = v.reduce((t, x) => t + x, 0) / v.length;
      return u.reduce((t, x, i) => t + (x - mu) * (v[i] - mv), 0) / (u.length - 1);
    };
    const m = pos(a).length;
    const n = neg(a).length;
    const variance = (c(v10(a), v10(a)) + c(v10(b), v10(b)) - 2 * c(v10(a), v10(b))) / m
      + (c(v01(a), v01(a)) + c(v01(b), v01(b)) - 2 * c(v01(a), v01(b))) / n;
    const r = aurocLead(a, b, defective);
    expect(r.lead).toBeCloseTo(auroc(a, defective) - auroc(b, defective), 12);
    expect((r.high - r.low) / 2).toBeCloseTo(1.959964 * Math.sqrt(variance), 10);
  });

  it('narrows as parts are added: a real lead is settled on many parts and not on a handful', () => {
    const draw = (n: number, seed: number) => {
      const next = rng(seed);
      const defective = Array.from({ length: n }, (_, i) => i % 3 === 0);
      const noise = () => next() - 0.5;
      // a: separates the classes well; b: only a little.
      const a = defective.map((d) => (d ? 0.6 : 0) + noise());
      const b = defective.map((d) => (d ? 0.15 : 0) + noise());
      return aurocLead(a, b, defective);
    };
    const few = draw(9, 1);
    const many = draw(900, 1);
    expect(few.low).toBeLessThan(0);
    expect(many.low).toBeGreaterThan(0);
    expect(many.high - many.low).toBeLessThan((few.high - few.low) / 5);
  });

  it('has no interval with fewer than 2 parts of a class', () => {
    const r = aurocLead([0.9, 0.1, 0.2], [0.1, 0.2, 0.3], [true, false, false]);
    expect(r.lead).toBe(1);
    expect(Number.isNaN(r.low) && Number.isNaN(r.high)).toBe(true);
  });
});
