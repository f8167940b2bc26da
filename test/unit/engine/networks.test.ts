import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src-main/engine/backends/select';
import { initWeights, NetD, NetG, readWeights } from '../../../src-main/engine/networks';
import { geometry, parseOptions } from '../../../src-main/engine/options';
import { createRng } from '../../../src-main/engine/random';

beforeAll(async () => { await selectBackend('wasm'); });

describe('networks', () => {
  for (const isize of [16, 32, 48, 64, 80]) {
    for (const nc of [1, 3] as const) {
      it(`shapes at isize ${isize}, nc ${nc}`, async () => {
        const o = parseOptions({ isize, nc, nz: 7, ngf: 4, ndf: 4, extraLayers: isize === 48 ? 1 : 0 });
        const g = new NetG(o);
        const d = new NetD(o);
        const before = tf.memory().numTensors;
        tf.tidy(() => {
          const x = tf.zeros([2, isize, isize, nc]) as tf.Tensor4D;
          const r = g.apply(x, true);
          expect(r.fake.shape).toEqual([2, isize, isize, nc]);
          expect(r.latentI.shape).toEqual([2, 1, 1, 7]);
          expect(r.latentO.shape).toEqual([2, 1, 1, 7]);
          const k = geometry(isize).finalSize;
          const out = d.apply(x, false);
          expect(out.prob.shape).toEqual([2]);
          expect(out.features.shape).toEqual([2, k, k, 4 * 2 ** geometry(isize).pyramid]);
        });
        expect(tf.memory().numTensors).toBe(before);
        g.dispose();
        d.dispose();
      });
    }
  }

  it('DCGAN init is seeded: conv N(0, 0.02), BN gamma N(1, 0.02), beta 0', async () => {
    const o = parseOptions({ isize: 32, nz: 16, ngf: 16, ndf: 16 });
    const a = new NetG(o);
    const b = new NetG(o);
    initWeights(a.models, createRng(5));
    initWeights(b.models, createRng(5));
    const wa = await readWeights(a.models);
    const wb = await readWeights(b.models);
    expect(wa.map((w) => w.name)).toEqual(wb.map((w) => w.name));
    wa.forEach((w, i) => expect(w.values).toEqual(wb[i].values));
    const stats = (suffix: string) => {
      const v = wa.filter((w) => w.name.endsWith(suffix)).flatMap((w) => Array.from(w.values));
      const mean = v.reduce((s, x) => s + x, 0) / v.length;
      return { mean, std: Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length) };
    };
    expect(stats('/kernel').mean).toBeCloseTo(0, 3);
    expect(stats('/kernel').std).toBeCloseTo(0.02, 3);
    expect(stats('/gamma').mean).toBeCloseTo(1, 2);
    expect(stats('/beta')).toEqual({ mean: 0, std: 0 });
    a.dispose();
    b.dispose();
  });
});
