// Precise BatchNorm: inference statistics exact for the current weights, so inference over a set equals
// what training mode computes with that whole set as one batch; and a score never depends on its batch.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src-main/engine/backends/select';
import { parseOptions } from '../../../src-main/engine/options';
import { preciseBatchNorm } from '../../../src-main/engine/precise-bn';
import { scoreBatch } from '../../../src-main/engine/scoring';
import { createNets, disposeNets, trainStep, type Nets } from '../../../src-main/engine/train-step';
import { makeParts, partsImageSet } from '../../fixtures/synthetic-parts';

const o = parseOptions({ isize: 16, nc: 1, nz: 8, ngf: 8, ndf: 8, batchSize: 8, extraLayers: 1, seed: 4 });
const parts = makeParts({ count: 20, isize: 16, seed: 9, defectFraction: 0.5 });
const set = partsImageSet(parts);
let nets: Nets;

beforeAll(async () => {
  await selectBackend('wasm');
  nets = createNets(o);
  const x = tf.tensor4d(parts.images.subarray(0, 8 * 256), [8, 16, 16, 1]);
  for (let i = 0; i < 4; i++) trainStep(nets, x, o); // weights (and lagging moving statistics) away from the start
  x.dispose();
});
afterAll(() => disposeNets(nets));

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('precise BatchNorm', () => {
  it('makes inference over the images equal training mode with all of them as one batch, layer by layer, leaking nothing', async () => {
    const all = Array.from({ length: 20 }, (_, i) => i);
    const x = tf.tensor4d(parts.images, [20, 16, 16, 1]);
    // Training mode normalises with the batch's own statistics (and moves the moving ones, overwritten below).
    const [fakeTrain, featTrain] = tf.tidy(() => [nets.netG.apply(x, true).fake, nets.netD.apply(x, true).features]);
    const [fakeLagging] = tf.tidy(() => [nets.netG.apply(x, false).fake]);
    const before = tf.memory().numTensors;
    await preciseBatchNorm(nets, (idx) => set.load(idx), all, 6); // chunks of 6, 6, 6, 2: statistics combine exactly
    expect(tf.memory().numTensors).toBe(before);
    const [fakeInf, featInf] = tf.tidy(() => [nets.netG.apply(x, false).fake, nets.netD.apply(x, false).features]);
    expect(maxDiff(fakeInf.dataSync(), fakeTrain.dataSync())).toBeLessThan(1e-4);
    expect(maxDiff(featInf.dataSync(), featTrain.dataSync())).toBeLessThan(1e-4);
    // The moving averages did not match these weights: the test would notice statistics left alone.
    expect(maxDiff(fakeLagging.dataSync(), fakeTrain.dataSync())).toBeGreaterThan(1e-2);
    tf.dispose([x, fakeTrain, featTrain, fakeLagging, fakeInf, featInf]);
  });

  it('a score never depends on the other images of its batch', async () => {
    const per = 256;
    const model = { netG: nets.netG, netD: nets.netD, isize: 16, nc: 1 as const, meanImage: new Float32Array(per), errorStats: { mean: new Float32Array(256).fill(0.1), scale: new Float32Array(256).fill(0.2) } };
    const img = (i: number) => parts.images.subarray(i * per, (i + 1) * per);
    const batchOf = (idx: number[]) => { const b = new Float32Array(idx.length * per); idx.forEach((i, j) => b.set(img(i), j * per)); return b; };
    const alone = (await scoreBatch(model, img(3), 1)).raw;
    // Image 3 among good parts, among defective ones, among copies of one part, at another position.
    for (const companions of [[3, 0, 2, 4], [1, 3, 5, 7, 9, 11], [3, 19, 19, 19, 19, 19, 19, 19], [10, 12, 3]]) {
      const r = (await scoreBatch(model, batchOf(companions), companions.length)).raw;
      for (const k of Object.keys(alone) as (keyof typeof alone)[]) expect(r[k][companions.indexOf(3)]).toBeCloseTo(alone[k][0], 5);
    }
  });
});
