import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src-main/engine/backends/select';
import { buildCalibration } from '../../../src-main/engine/calibration';
import { parseOptions, SCORE_KINDS } from '../../../src-main/engine/options';
import { calibrateScores, scoreBatch, scoreSet, type ScoringModel } from '../../../src-main/engine/scoring';
import { createNets, disposeNets, trainStep, type Nets } from '../../../src-main/engine/train-step';
import { makeParts, partsImageSet } from '../../fixtures/synthetic-parts';

const o = parseOptions({ isize: 16, nc: 3, nz: 8, ngf: 8, ndf: 8, batchSize: 6 });
const parts = makeParts({ count: 6, isize: 16, nc: 3, seed: 2, defectFraction: 0.5 });
const per = 16 * 16 * 3;
let nets: Nets;
let model: ScoringModel;

beforeAll(async () => {
  await selectBackend('wasm');
  nets = createNets(o);
  const x = tf.tensor4d(parts.images, [6, 16, 16, 3]);
  for (let i = 0; i < 3; i++) await trainStep(nets, x, o); // moving BN statistics away from their initial values
  x.dispose();
  model = { netG: nets.netG, netD: nets.netD, isize: 16, nc: 3, meanImage: new Float32Array(per).fill(0.1), errorStats: { mean: new Float32Array(256).fill(0.1), scale: new Float32Array(256).fill(0.2) } };
});
afterAll(() => disposeNets(nets));

describe('scoring', () => {
  it('gives every score kind, reconstructions and diff maps, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const r = await scoreBatch(model, parts.images, 6, true);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.reconstructions).toHaveLength(6 * per);
    expect(r.diffMaps).toHaveLength(6 * 256);
    for (const k of SCORE_KINDS) {
      expect(r.raw[k]).toHaveLength(6);
      for (const v of r.raw[k]) expect(v).toBeGreaterThanOrEqual(0);
    }
    // recon-top1 by hand: top 1% (3 of 256 pixels) of the channel-mean |x - G(x)|
    for (let b = 0; b < 6; b++) {
      const d = Array.from({ length: 256 }, (_, p) => {
        let s = 0;
        for (let c = 0; c < 3; c++) s += Math.abs(parts.images[b * per + p * 3 + c] - r.reconstructions![b * per + p * 3 + c]);
        return s / 3;
      });
      d.forEach((v, p) => expect(r.diffMaps![b * 256 + p]).toBeCloseTo(v, 5));
      const top = d.sort((a, c) => c - a).slice(0, 3);
      expect(r.raw['recon-top1'][b]).toBeCloseTo((top[0] + top[1] + top[2]) / 3, 5);
      // recon-z with the same mean 0.1 and scale 0.2 at every pixel: recon-top1's pixels, shifted and scaled.
      expect(r.raw['recon-z'][b]).toBeCloseTo((r.raw['recon-top1'][b] - 0.1) / 0.2, 4);
    }
    // Without error statistics (a model saved before recon-z) it is NaN, every other kind unchanged.
    const older = await scoreBatch({ ...model, errorStats: undefined }, parts.images, 6);
    expect(Array.from(older.raw['recon-z']).every(Number.isNaN)).toBe(true);
    expect(older.raw['recon-top1']).toEqual(r.raw['recon-top1']);
  });

  it('feature score is the mean squared difference of D\'s features of x and G(x); ssim is above 0 for an imperfect copy', async () => {
    const r = await scoreBatch(model, parts.images, 6, true);
    const [real, fake] = tf.tidy(() => [
      nets.netD.apply(tf.tensor4d(parts.images, [6, 16, 16, 3]), false).features,
      nets.netD.apply(tf.tensor4d(r.reconstructions!, [6, 16, 16, 3]), false).features,
    ]);
    const [fr, ff] = [real.dataSync(), fake.dataSync()];
    const n = fr.length / 6;
    for (let b = 0; b < 6; b++) {
      let sum = 0;
      for (let i = b * n; i < (b + 1) * n; i++) sum += (fr[i] - ff[i]) ** 2;
      expect(r.raw.feature[b]).toBeCloseTo(sum / n, 4);
      expect(r.raw.ssim[b]).toBeGreaterThan(0);
    }
    tf.dispose([real, fake]);
  });

  it('without the costly kinds: NaN where left out, every other kind the same, nothing leaked', async () => {
    const before = tf.memory().numTensors;
    const all = await scoreBatch(model, parts.images, 6);
    for (const costly of [{ latent: true, feature: false }, { latent: false, feature: true }, { latent: false, feature: false }]) {
      const some = await scoreBatch(model, parts.images, 6, false, costly);
      expect(tf.memory().numTensors).toBe(before);
      for (const k of SCORE_KINDS) {
        if ((k === 'latent' || k === 'feature') && !costly[k]) expect(Array.from(some.raw[k]).every(Number.isNaN), k).toBe(true);
        else expect(some.raw[k], k).toEqual(all.raw[k]);
      }
    }
  });

  it('an image scores the same alone as in a batch (inference-mode BatchNorm)', async () => {
    const all = await scoreBatch(model, parts.images, 6);
    const one = await scoreBatch(model, parts.images.slice(4 * per, 5 * per), 1);
    for (const k of SCORE_KINDS) expect(one.raw[k][0]).toBeCloseTo(all.raw[k][4], 5);
  });

  it('streams a set and stops when asked', async () => {
    const set = partsImageSet(parts);
    const all = await scoreBatch(model, parts.images, 6);
    const seen: number[][] = [];
    const r = await scoreSet(model, set, { batchSize: 4, onBatch: (idx) => { seen.push(idx); } });
    expect(seen).toEqual([[0, 1, 2, 3], [4, 5]]);
    Array.from(all.raw.latent).forEach((v, i) => expect(r.raw.latent[i]).toBeCloseTo(v, 5));
    const stopped = await scoreSet(model, set, { batchSize: 4, shouldStop: () => seen.length >= 3,
      onBatch: (idx) => { seen.push(idx); } });
    expect(stopped.scored).toBe(4);
    expect(stopped.raw.latent).toHaveLength(4);
    await expect(scoreSet(model, { ...set, isize: 32 }, {})).rejects.toThrow(/the model wants 16x16x3/);
  });

  it('calibrates against validation statistics, never the scored set', async () => {
    const r = await scoreBatch(model, parts.images, 6);
    const cal = buildCalibration({ 'recon-top1': [0, 1, 2], ssim: [0, 1, 2], feature: [0, 1, 2], latent: [0, 1, 2], 'recon-z': [0, 1, 2], baseline: [0, 1, 2] });
    const c = calibrateScores({ ...r.raw, latent: Float32Array.from([1, 2.4826, 5, 1, 1, 1]) }, cal);
    expect(c.calibrated.latent[0]).toBe(0);
    expect(c.calibrated.latent[1]).toBeCloseTo(1, 5);
    expect(c.percentile.latent[2]).toBe(100);
    expect(c.percentile.latent[0]).toBe(50);
  });

  it('refuses input of the wrong size with a clear error', async () => {
    await expect(scoreBatch(model, new Float32Array(100), 1)).rejects.toThrow(/expected 1 images of 16x16x3 = 768/);
    await expect(scoreBatch(model, new Float32Array(0), 0)).rejects.toThrow(/positive integer/);
  });
});
