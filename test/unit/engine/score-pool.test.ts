import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src-main/engine/backends/select';
import { FoldedNets } from '../../../src-main/engine/folded-nets';
import { parseOptions, SCORE_KINDS } from '../../../src-main/engine/options';
import { liveReplicaWorkers } from '../../../src-main/engine/parallel/replica-worker';
import { ScorePool } from '../../../src-main/engine/parallel/score-pool';
import { scoreBatch } from '../../../src-main/engine/scoring';
import { createNets, disposeNets, trainStep } from '../../../src-main/engine/train-step';
import { makeParts } from '../../fixtures/synthetic-parts';

const o = parseOptions({ isize: 16, nz: 16, ngf: 8, ndf: 8, batchSize: 8, seed: 4 });

beforeAll(async () => { await selectBackend('wasm'); });
afterAll(() => { expect(liveReplicaWorkers()).toBe(0); });

describe('scoring on worker threads', () => {
  it('gives every image the score, reconstruction and map that this thread alone gives, in order, with batches queued', async () => {
    const nets = createNets(o);
    const train = makeParts({ count: 8, isize: 16, seed: 1 });
    const x = tf.tensor4d(train.images, [8, 16, 16, 1]);
    for (let i = 0; i < 3; i++) await trainStep(nets, x, o); // moving statistics away from their start
    x.dispose();
    // Folded as a loaded model is (and as the workers fold theirs), so both sides run the very same computation.
    const folded = await FoldedNets.fold(nets.netG, nets.netD);
    const model = { netG: nets.netG, netD: nets.netD, folded, isize: 16, nc: 1 as const, meanImage: train.images.slice(0, 256), errorStats: { mean: new Float32Array(256).fill(0.1), scale: new Float32Array(256).fill(0.2) } };
    const test = makeParts({ count: 21, isize: 16, seed: 9, defectFraction: 0.3 });
    const alone = await scoreBatch(model, test.images, 21, true);
    const pool = await ScorePool.start(model, o, 2);
    try {
      expect(pool.threads).toBe(2);
      const both = await pool.score(test.images, 21, true);
      expect(both.count).toBe(21);
      for (const k of SCORE_KINDS) {
        expect(both.raw[k].length).toBe(21);
        both.raw[k].forEach((v, i) => expect(v).toBeCloseTo(alone.raw[k][i], 5));
      }
      expect(both.reconstructions!.length).toBe(alone.reconstructions!.length);
      expect(Math.max(...both.diffMaps!.map((v, i) => Math.abs(v - alone.diffMaps![i])))).toBeLessThan(1e-5);
      // A small batch goes to one worker whole; batches sent before the last is back come back in order.
      const few = pool.score(test.images.subarray(0, 3 * 256), 3, false);
      const again = pool.score(test.images, 21, false);
      expect(Array.from((await few).raw.latent)).toEqual(Array.from((await scoreBatch(model, test.images.subarray(0, 3 * 256), 3)).raw.latent));
      expect(Array.from((await again).raw.latent)).toEqual(Array.from(both.raw.latent));
    } finally {
      await pool.close();
      folded.dispose();
      disposeNets(nets);
    }
    await expect(pool.score(test.images, 21, false)).rejects.toThrow(/closed/);
  });
});
