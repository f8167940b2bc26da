// The position share behind crop 'auto': 0 for patches that are alike wherever they sit, near 1 for patches
// fixed by their place, corrected for few images, and refusing a patch of the wrong size.
import { describe, expect, it } from 'vitest';
import { PositionShare } from '../../../src-main/engine/position-share';
import { createRng } from '../../../src-main/engine/random';

const positions = 20;
const values = 16;

/** n images; each patch = its position's fixed pattern * placeBound + noise. */
function share(n: number, placeBound: number, seed = 1): number {
  const rng = createRng(seed);
  const pattern = Float32Array.from({ length: positions * values }, () => rng.next() * 2 - 1);
  const s = new PositionShare(positions, values);
  for (let i = 0; i < n; i++) s.add(Float32Array.from(pattern, (p) => p * placeBound + (rng.next() - 0.5)));
  return s.result();
}

describe('PositionShare', () => {
  it('is near 0 where patches are alike wherever they sit, also from few images', () => {
    expect(share(64, 0)).toBeLessThan(0.02);
    // Uncorrected, 4 images of pure noise would read 1/4 (each position's mean keeps a quarter of the variance).
    expect(share(4, 0)).toBeLessThan(0.08);
  });

  it('is near 1 where each place has its own pattern, and grows with how much the place decides', () => {
    expect(share(64, 5)).toBeGreaterThan(0.95);
    const shares = [0.1, 0.5, 1].map((b) => share(64, b));
    expect(shares[0]).toBeLessThan(shares[1]);
    expect(shares[1]).toBeLessThan(shares[2]);
    // A pattern of variance b^2/3 against noise of 1/12 explains 4b^2 / (4b^2 + 1): half at b = 0.5.
    expect(shares[1]).toBeGreaterThan(0.42);
    expect(shares[1]).toBeLessThan(0.58);
  });

  it('needs two images, and patches of its size', () => {
    const s = new PositionShare(positions, values);
    s.add(new Float32Array(positions * values));
    expect(s.result()).toBeNaN();
    expect(() => s.add(new Float32Array(5))).toThrow(/5 values, expected 20 patches of 16/);
  });
});
