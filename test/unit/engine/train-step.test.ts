import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src-main/engine/backends/select';
import { readWeights, type WeightValue } from '../../../src-main/engine/networks';
import { parseOptions } from '../../../src-main/engine/options';
import { createNets, disposeNets, planMemory, trainStep } from '../../../src-main/engine/train-step';
import { makeParts } from '../../fixtures/synthetic-parts';

beforeAll(async () => { await selectBackend('wasm'); });

const o = parseOptions({ isize: 16, nz: 8, ngf: 8, ndf: 8, batchSize: 8, seed: 3 });
const parts = makeParts({ count: 8, isize: 16, seed: 1 });

async function run(steps: number, microBatch?: number) {
  const nets = createNets(o);
  const x = tf.tensor4d(parts.images, [8, 16, 16, 1]);
  const losses = [];
  for (let i = 0; i < steps; i++) losses.push(await trainStep(nets, x, o, microBatch));
  x.dispose();
  return { nets, losses };
}

describe('train step', () => {
  it('updates both networks, returns finite losses, and leaks no tensors over many steps', async () => {
    const { nets, losses: warm } = await run(1);
    const g0 = await readWeights(nets.netG.models);
    const d0 = await readWeights(nets.netD.models);
    const x = tf.tensor4d(parts.images, [8, 16, 16, 1]);
    const before = tf.memory().numTensors;
    const losses = [];
    for (let i = 0; i < 15; i++) losses.push(await trainStep(nets, x, o));
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    for (const l of [...warm, ...losses]) {
      for (const k of ['errD', 'errG', 'errGAdv', 'errGCon', 'errGEnc'] as const) expect(Number.isFinite(l[k])).toBe(true);
      expect(l.errG).toBeCloseTo(o.wAdv * l.errGAdv + o.wCon * l.errGCon + o.wEnc * l.errGEnc, 3);
    }
    expect(losses[14].errGCon).toBeLessThan(warm[0].errGCon);
    const changed = (a: WeightValue[], b: WeightValue[]) =>
      a.some((w, i) => w.values.some((v, j) => v !== b[i].values[j]));
    expect(changed(g0, await readWeights(nets.netG.models))).toBe(true);
    expect(changed(d0, await readWeights(nets.netD.models))).toBe(true);
    disposeNets(nets);
  });

  it('is deterministic for a seed on one backend', async () => {
    const a = await run(3);
    const b = await run(3);
    expect(b.losses).toEqual(a.losses);
    disposeNets(a.nets);
    disposeNets(b.nets);
  });

  it('micro-batches accumulate gradients without leaking', async () => {
    const a = await run(1, 4);
    const x = tf.tensor4d(parts.images, [8, 16, 16, 1]);
    const before = tf.memory().numTensors;
    const l = await trainStep(a.nets, x, o, 3); // uneven slices 3, 3, 2
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(l.errG)).toBe(true);
    x.dispose();
    disposeNets(a.nets);
  });

  it('plans micro-batches when a step would not fit', async () => {
    const big = parseOptions({ isize: 128, batchSize: 64 });
    const p = planMemory(big, 3.0e9);
    expect(p.microBatch).toBeLessThan(64);
    expect(p.microBatch).toBeGreaterThanOrEqual(8);
    expect(p.message).toMatch(/split into \d+ micro-batches/);
    expect(planMemory(parseOptions({ isize: 32 }), 3.0e9).microBatch).toBe(64);
    expect(() => planMemory(parseOptions({ isize: 256, ngf: 512, ndf: 512 }), 3.0e9)).toThrow(/use a smaller isize/);
  });
});
