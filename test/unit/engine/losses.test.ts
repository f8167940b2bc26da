import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src-main/engine/backends/select';
import { bce, clampedLog, discriminatorLoss } from '../../../src-main/engine/losses';

beforeAll(async () => { await selectBackend('wasm'); });

describe('losses', () => {
  it('BCE equals -mean(log p) / -mean(log(1 - p)) with the log clamped at -100, as PyTorch computes it', () => {
    const p = tf.tensor1d([0.9, 0.2, 0, 1]);
    expect(bce(p.slice(0, 2), 1).dataSync()[0]).toBeCloseTo(-(Math.log(0.9) + Math.log(0.2)) / 2, 5);
    expect(bce(p.slice(0, 2), 0).dataSync()[0]).toBeCloseTo(-(Math.log(0.1) + Math.log(0.8)) / 2, 5);
    // A saturated probability costs exactly 100, not Infinity and not -log(1e-7) = 16.1.
    expect(bce(p.slice(2, 1), 1).dataSync()[0]).toBeCloseTo(100, 5);
    expect(bce(p.slice(3, 1), 0).dataSync()[0]).toBeCloseTo(100, 5);
    expect(clampedLog(tf.tensor1d([1e-50, 1])).arraySync()).toEqual([-100, 0]);
    p.dispose();
  });

  it('keeps the gradient of a nearly saturated discriminator (clipping at 1e-7 zeroed it), and no NaN at 0 or 1', () => {
    // Logits of a discriminator sure that a real image is fake: sigmoid(-20) ~ 2e-9 < 1e-7.
    const logits = tf.tensor1d([-20, -30, 0, 200, -200]);
    const g = tf.grad((z: tf.Tensor) => bce(tf.sigmoid(z), 1))(logits).dataSync();
    // d/dz of -log(sigmoid(z)) = -(1 - sigmoid(z)) / n
    expect(g[0]).toBeCloseTo(-1 / 5, 4);
    expect(g[1]).toBeCloseTo(-1 / 5, 4);
    expect(g[2]).toBeCloseTo(-0.5 / 5, 4);
    for (const v of g) expect(Number.isFinite(v)).toBe(true);
    const g0 = tf.grad((z: tf.Tensor) => bce(tf.sigmoid(z), 0))(logits).dataSync();
    for (const v of g0) expect(Number.isFinite(v)).toBe(true);
    expect(Math.abs(g0[3])).toBe(0); // sigmoid(200) is exactly 1 in float32: the clamp holds, and nothing is NaN
    logits.dispose();
  });

  it("D's loss is the mean of its two terms, as in the reference code", () => {
    const real = tf.tensor1d([0.7, 0.6]);
    const fake = tf.tensor1d([0.3, 0.1]);
    const expected = (-(Math.log(0.7) + Math.log(0.6)) / 2 - (Math.log(0.7) + Math.log(0.9)) / 2) / 2;
    expect(discriminatorLoss(real, fake).dataSync()[0]).toBeCloseTo(expected, 5);
    tf.dispose([real, fake]);
  });
});
