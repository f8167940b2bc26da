import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src-main/engine/backends/select';
import { FoldedNets, liveInference } from '../../../src-main/engine/folded-nets';
import { NetD, NetG } from '../../../src-main/engine/networks';
import { parseOptions, SCORE_KINDS } from '../../../src-main/engine/options';
import { normalArray, createRng } from '../../../src-main/engine/random';
import { scoreBatch } from '../../../src-main/engine/scoring';

beforeAll(async () => { await selectBackend('wasm'); });

/**
 * Weights as training leaves them, roughly: kernels far from their N(0, 0.02) start (at a scale that keeps
 * activations near 1 through the layers, He's 2 / fan-in) and BatchNorm statistics off 0 and 1.
 */
function trainedLike(models: tf.LayersModel[], seed: number): void {
  const rng = createRng(seed);
  for (const m of models) {
    const values = m.weights.map((w) => {
      const n = w.shape.reduce((a, b) => (a as number) * (b as number), 1) as number;
      const name = w.originalName;
      const v = normalArray(n, 0, 1, rng);
      const shape = w.shape as number[];
      // Fan-in: kernel height x width x input channels (a transposed conv's input channels are its last axis).
      const fanIn = shape.length === 4 ? shape[0] * shape[1] * (name.includes('convt') ? shape[3] : shape[2]) : 1;
      if (name.endsWith('/kernel')) v.forEach((x, i) => { v[i] = x * Math.sqrt(2 / fanIn); });
      else if (name.endsWith('/gamma')) v.forEach((x, i) => { v[i] = 1 + x * 0.3; });
      else if (name.endsWith('/moving_variance')) v.forEach((x, i) => { v[i] = 0.2 + Math.abs(x); });
      else v.forEach((x, i) => { v[i] = x * 0.3; }); // beta, moving_mean
      return tf.tensor(v, w.shape as number[]);
    });
    m.setWeights(values);
    tf.dispose(values);
  }
}

/** max |a - b| over max |b|: the relative error of a whole tensor. */
function relErr(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1e-12, tf.max(tf.abs(b)).dataSync()[0]));
}

describe('folded networks', () => {
  // The real layer shapes: the default isize 32 in gray, a non-power-of-two size in colour with an extra layer, isize 64.
  it.each([
    { isize: 32, nc: 1 as const, extraLayers: 0 },
    { isize: 48, nc: 3 as const, extraLayers: 1 },
    { isize: 64, nc: 1 as const, extraLayers: 0 },
  ])('equal the layers in inference mode (isize $isize, nc $nc, extra layers $extraLayers)', async ({ isize, nc, extraLayers }) => {
    const o = parseOptions({ isize, nc, extraLayers });
    const netG = new NetG(o);
    const netD = new NetD(o);
    trainedLike([...netG.models, ...netD.models], isize);
    const before = tf.memory().numTensors;
    const folded = await FoldedNets.fold(netG, netD);
    const live = liveInference(netG, netD);
    const x = tf.tensor4d(normalArray(4 * isize * isize * nc, 0, 0.5, createRng(1)).map((v) => Math.tanh(v)), [4, isize, isize, nc]);
    tf.tidy(() => {
      const f = folded.reconstruct(x);
      const l = live.reconstruct(x);
      expect(f.fake.shape).toEqual(l.fake.shape);
      expect(relErr(f.latentI, l.latentI)).toBeLessThan(1e-4);
      expect(relErr(f.fake, l.fake)).toBeLessThan(1e-4);
      expect(relErr(folded.encode2(l.fake), live.encode2(l.fake))).toBeLessThan(1e-4);
      expect(relErr(folded.features(x), live.features(x))).toBeLessThan(1e-4);
      // Not trivially equal: the reconstruction is far from flat.
      expect(tf.moments(l.fake).variance.dataSync()[0]).toBeGreaterThan(1e-3);
    });
    x.dispose();
    folded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    netG.dispose();
    netD.dispose();
  });

  it('give scoreBatch the same scores of every kind, and scoring with them leaks nothing', async () => {
    const o = parseOptions({ isize: 32, nc: 3 });
    const netG = new NetG(o);
    const netD = new NetD(o);
    trainedLike([...netG.models, ...netD.models], 7);
    const px = 32 * 32;
    const model = { netG, netD, isize: 32, nc: 3 as const, meanImage: new Float32Array(px * 3).fill(0.1), errorStats: { mean: new Float32Array(px).fill(0.3), scale: new Float32Array(px).fill(0.2) } };
    const folded = await FoldedNets.fold(netG, netD);
    const x = normalArray(6 * px * 3, 0, 0.5, createRng(3)).map((v) => Math.tanh(v));
    const live = await scoreBatch(model, x, 6, true);
    await scoreBatch({ ...model, folded }, x, 6, true);
    const before = tf.memory().numTensors;
    const fast = await scoreBatch({ ...model, folded }, x, 6, true);
    expect(tf.memory().numTensors).toBe(before);
    for (const k of SCORE_KINDS) {
      fast.raw[k].forEach((v, i) => expect(Math.abs(v - live.raw[k][i])).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(live.raw[k][i]))));
    }
    fast.reconstructions!.forEach((v, i) => expect(Math.abs(v - live.reconstructions![i])).toBeLessThan(1e-4));
    folded.dispose();
    netG.dispose();
    netD.dispose();
  });
});
