// A lot that flags far more than the others: Fisher's exact test against exact rational arithmetic, and the rule
// that calls a lot out (the Threshold screen, `score --db`, `status --db`).
import { describe, expect, it } from 'vitest';
import { upperTail } from '../../../src-main/shared/fisher-exact';
import { flagJumps, flagJumpWarning, JUMP_P } from '../../../src-main/shared/lot-flags';

/** C(n, k) exactly. */
function choose(n: number, k: number): bigint {
  let r = 1n;
  for (let i = 0n; i < BigInt(k); i++) r = (r * (BigInt(n) - i)) / (i + 1n);
  return r;
}

/** P(X ≥ k) as an exact ratio of big integers, to 30 digits. */
function exactTail(k: number, n: number, flagged: number, total: number): number {
  let s = 0n;
  for (let i = k; i <= Math.min(n, flagged); i++) s += choose(flagged, i) * choose(total - flagged, n - i);
  return Number((s * 10n ** 30n) / choose(total, n)) / 1e30;
}

describe('Fisher exact test, one-sided', () => {
  it('gives the hypergeometric upper tail at small and large counts', () => {
    for (const [k, n, flagged, total] of [[5, 40, 5, 440], [1, 40, 1, 440], [12, 40, 45, 840], [2, 10, 5, 100], [30, 200, 60, 2000], [7, 1000, 20, 100000], [3, 8, 12, 30]]) {
      const exact = exactTail(k, n, flagged, total);
      expect(Math.abs(upperTail(k, n, flagged, total) - exact) / exact).toBeLessThan(1e-9);
    }
  });

  it('is 1 at or below the least possible count and 0 above the most', () => {
    expect(upperTail(0, 10, 3, 20)).toBe(1);
    // 15 of 20 flagged: 10 drawn hold at least 5.
    expect(upperTail(5, 10, 15, 20)).toBe(1);
    expect(upperTail(4, 10, 3, 20)).toBe(0);
  });
});

describe('lots flagging more than the others', () => {
  it('calls out a lot whose flags chance would not give at a 3-sigma limit, not one or two flags more', () => {
    const lots = [
      { name: 'night', parts: 40, flagged: 9 }, // 22.5 % where the rest flag 2 %
      { name: 'day', parts: 400, flagged: 9 },
      { name: 'small', parts: 3, flagged: 1 }, // one flag in three parts is no jump
    ];
    const all = { parts: 843, flagged: 9 + 9 + 1 + 8 };
    const jumps = flagJumps(lots, all);
    expect(jumps.map((j) => j.name)).toEqual(['night']);
    expect(jumps[0]).toMatchObject({ restParts: 803, restFlagged: 18 });
    expect(jumps[0].p).toBeLessThan(JUMP_P);
    expect(jumps[0].p).toBeCloseTo(exactTail(9, 40, 27, 843), 12);
    expect(flagJumpWarning(jumps)).toBe("night flags 9 of 40 parts (22.5 %) where the other lots flag 2.2 % (18 of 803): more than chance " +
      `gives at a 3-sigma control limit (Fisher's exact test, p = ${jumps[0].p.toPrecision(1)}). Known defects (a test set) do; otherwise a bad lot, ` +
      'or a changed station (camera, lighting)? Look at its flagged parts before trusting the threshold.');
  });

  it('needs other lots to compare with, and says nothing when no lot jumps', () => {
    expect(flagJumps([{ name: 'only', parts: 10, flagged: 10 }], { parts: 10, flagged: 10 })).toEqual([]);
    expect(flagJumps([{ name: 'a', parts: 50, flagged: 3 }, { name: 'b', parts: 50, flagged: 2 }], { parts: 100, flagged: 5 })).toEqual([]);
    expect(flagJumpWarning([])).toBeNull();
  });

  it('names every lot that jumps, with the largest p-value as a bound', () => {
    const jumps = flagJumps([{ name: 'a', parts: 20, flagged: 10 }, { name: 'b', parts: 20, flagged: 8 }], { parts: 1040, flagged: 28 });
    expect(jumps.map((j) => j.name)).toEqual(['a', 'b']);
    expect(flagJumpWarning(jumps)).toMatch(/^a flags 10 of 20 parts \(50\.0 %\) where the other lots flag 1\.8 % \(18 of 1,020\); b flags 8 of 20 .*p [≤<] .*Look at their flagged parts/);
  });
});
