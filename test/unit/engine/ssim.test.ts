import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src-main/engine/backends/select';
import { createRng } from '../../../src-main/engine/random';
import { dssimMap, SSIM_C1, SSIM_C2 } from '../../../src-main/engine/ssim';

beforeAll(async () => { await selectBackend('wasm'); });

const run = (a: Float32Array, b: Float32Array, h: number, w: number, nc: number, win?: number) => {
  const t = tf.tidy(() => dssimMap(tf.tensor4d(a, [1, h, w, nc]), tf.tensor4d(b, [1, h, w, nc]), win));
  const out = { shape: t.shape, values: Array.from(t.dataSync()) };
  t.dispose();
  return out;
};

describe('structural dissimilarity (1 - SSIM)', () => {
  it('is 0 for identical images and follows the luminance term for flat ones', () => {
    const x = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i));
    expect(run(x, x, 8, 8, 1, 3).values.every((v) => Math.abs(v) < 1e-5)).toBe(true);
    // Flat 0.5 vs flat -0.2 (1.5 and 0.8 on SSIM's [0, 2] scale): no variance, so
    // SSIM = (2 mu_a mu_b + C1) / (mu_a^2 + mu_b^2 + C1).
    const r = run(new Float32Array(49).fill(0.5), new Float32Array(49).fill(-0.2), 7, 7, 1);
    expect(r.shape).toEqual([1, 1, 1]);
    expect(r.values[0]).toBeCloseTo(1 - (2 * 1.5 * 0.8 + SSIM_C1) / (1.5 ** 2 + 0.8 ** 2 + SSIM_C1), 3);
  });

  it('matches a hand computation over every 3x3 window, channels averaged', () => {
    const rng = createRng(3);
    const [h, w, nc, k] = [5, 6, 2, 3];
    const a = Float32Array.from({ length: h * w * nc }, () => rng.next() * 2 - 1);
    const b = Float32Array.from(a, (v) => 0.6 * v + 0.3 * (rng.next() - 0.5));
    const r = run(a, b, h, w, nc, k);
    expect(r.shape).toEqual([1, h - k + 1, w - k + 1]);
    for (let y = 0; y <= h - k; y++) {
      for (let x = 0; x <= w - k; x++) {
        let sum = 0;
        for (let c = 0; c < nc; c++) {
          const pa: number[] = [];
          const pb: number[] = [];
          for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) {
            pa.push(a[((y + dy) * w + x + dx) * nc + c] + 1);
            pb.push(b[((y + dy) * w + x + dx) * nc + c] + 1);
          }
          const mean = (v: number[]) => v.reduce((s, q) => s + q, 0) / v.length;
          const [ma, mb] = [mean(pa), mean(pb)];
          const va = mean(pa.map((q) => (q - ma) ** 2));
          const vb = mean(pb.map((q) => (q - mb) ** 2));
          const cov = mean(pa.map((q, i) => (q - ma) * (pb[i] - mb)));
          sum += 1 - ((2 * ma * mb + SSIM_C1) * (2 * cov + SSIM_C2)) / ((ma * ma + mb * mb + SSIM_C1) * (va + vb + SSIM_C2));
        }
        expect(r.values[y * (w - k + 1) + x]).toBeCloseTo(sum / nc, 4);
      }
    }
  });

  it('cares less about a brightness shift than about lost structure', () => {
    const x = Float32Array.from({ length: 16 * 16 }, (_, i) => 0.5 * Math.sin(i * 0.7) * Math.cos(i * 0.13));
    const brighter = Float32Array.from(x, (v) => v + 0.15);
    const blurred = new Float32Array(x.length).fill(x.reduce((s, v) => s + v, 0) / x.length);
    const mean = (v: number[]) => v.reduce((s, q) => s + q, 0) / v.length;
    // Per pixel the brightness shift (0.15) is nearly what the flat copy loses (0.2 on average), yet it
    // scores far lower: structure, not level, is what counts.
    expect(mean(run(x, brighter, 16, 16, 1).values)).toBeLessThan(0.25 * mean(run(x, blurred, 16, 16, 1).values));
  });

  it('leaks no tensors', () => {
    const before = tf.memory().numTensors;
    run(new Float32Array(256), new Float32Array(256).fill(0.1), 16, 16, 1);
    expect(tf.memory().numTensors).toBe(before);
  });
});
