import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src-main/engine/backends/select';
import { readWeights } from '../../../src-main/engine/networks';
import { parseOptions } from '../../../src-main/engine/options';
import { createNets, disposeNets, planMemory, trainStep } from '../../../src-main/engine/train-step';
import { makeParts } from '../../fixtures/synthetic-parts';

beforeAll(async () => { await selectBackend('wasm'); });

const o = parseOptions({ isize: 16, nz: 8, ngf: 8, ndf: 8, batchSize: 8, seed: 3 });
const parts = makeParts({ count: 8, isize: 16, seed: 1 });

function run(steps: number, microBatch?: number) {
  const nets = createNets(o);
  const x = tf.tensor4d(parts.images, [8, 16, 16, 1]);
  const losses = Array.from({ length: steps }, () => trainStep(nets, x, o, microBatch));
  x.dispose();
  return { nets, losses };
}

describe('train step', () => {
  it('updates both networks, returns finite losses, and leaks no tensors over many steps', () => {
    const { nets, losses: warm } = run(1);
    const g0 = readWeights(nets.netG.models);
    const d0 = readWeights(nets.netD.models);
    const x = tf.tensor4d(parts.images, [8, 16, 16, 1]);
    const before = tf.memory().numTensors;
    const losses = [];
    for (let i = 0; i < 15; i++) losses.push(trainStep(nets, x, o));
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    for (const l of [...warm, ...losses]) {
      for (const k of ['errD', 'errG', 'errGAdv', 'errGCon', 'errGEnc'] as const) expect(Number.isFinite(l[k])).toBe(true);
      expect(l.errG).toBeCloseTo(o.wAdv * l.errGAdv + o.wCon * l.errGCon + o.wEnc * l.errGEnc, 3);
    }
    expect(losses[14].errGCon).toBeLessThan(warm[0].errGCon);
    const changed = (a: ReturnType<typeof readWeights>, b: ReturnType<typeof readWeights>) =>
      a.some((w, i) => w.values.some((v, j) => v !== b[i].values[j]));
    expect(changed(g0, readWeights(nets.netG.models))).toBe(true);
    expect(changed(d0, readWeights(nets.netD.models))).toBe(true);
    disposeNets(nets);
  });

  it('is deterministic for a seed on one backend', () => {
    const a = run(3);
    const b = run(3);
    expect(b.losses).toEqual(a.losses);
    disposeNets(a.nets);
    disposeNets(b.nets);
  });

  it('micro-batches accumulate gradients without leaking', () => {
    const a = run(1, 4);
    const x = tf.tensor4d(parts.images, [8, 16, 16, 1]);
    const before = tf.memory().numTensors;
    const l = trainStep(a.nets, x, o, 3); // uneven slices 3, 3, 2
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(l.errG)).toBe(true);
    x.dispose();
    disposeNets(a.nets);
  });

  it('plans micro-batches when a step would not fit', () => {
    const big = parseOptions({ isize: 128, batchSize: 64 });
    const p = planMemory(big, 3.0e9);
    expect(p.microBatch).toBeLessThan(64);
    expect(p.microBatch).toBeGreaterThanOrEqual(8);
    expect(p.message).toMatch(/split into \d+ micro-batches/);
    expect(planMemory(parseOptions({ isize: 32 }), 3.0e9).microBatch).toBe(64);
    expect(() => planMemory(parseOptions({ isize: 256, ngf: 512, ndf: 512 }), 3.0e9)).toThrow(/use a smaller isize/);
  });
});
