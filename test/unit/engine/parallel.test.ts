import * as tf from '@tensorflow/tfjs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src-main/engine/backends/select';
import { readWeights, type WeightValue } from '../../../src-main/engine/networks';
import { parseOptions } from '../../../src-main/engine/options';
import { liveReplicaWorkers, workerEntry } from '../../../src-main/engine/parallel/replica-worker';
import { ParallelStepRunner, resolveWorkers, splitBatch } from '../../../src-main/engine/parallel/step-runner';
import { scoreBatch } from '../../../src-main/engine/scoring';
import { createNets, disposeNets, trainStep, type StepLosses } from '../../../src-main/engine/train-step';
import { train, type TrainProgress } from '../../../src-main/engine/trainer';
import { makeParts, partsImageSet } from '../../fixtures/synthetic-parts';

const o = parseOptions({ isize: 16, nz: 16, ngf: 8, ndf: 8, batchSize: 8, seed: 5 });
const parts = makeParts({ count: 8, isize: 16, seed: 2 });

beforeAll(async () => { await selectBackend('wasm'); });
afterAll(() => { expect(liveReplicaWorkers()).toBe(0); });

const differing = (a: WeightValue[], b: WeightValue[]): string[] =>
  a.filter((w, i) => w.values.length !== b[i].values.length || w.values.some((v, j) => v !== b[i].values[j])).map((w) => w.name);

async function run(steps: number) {
  const nets = createNets(o);
  const runner = await ParallelStepRunner.start(nets, o, o.batchSize, 2);
  const losses: StepLosses[] = [];
  try {
    for (let i = 0; i < steps; i++) losses.push(await runner.step(parts.images, 8));
    return { nets, runner, losses };
  } catch (err) {
    await runner.close();
    disposeNets(nets);
    throw err;
  }
}

describe('data-parallel training', () => {
  it('splits batches into parts of at least 2 and resolves the worker count', async () => {
    expect(splitBatch(8, 2)).toEqual([4, 4]);
    expect(splitBatch(9, 2)).toEqual([5, 4]);
    expect(splitBatch(3, 2)).toEqual([3, 0]);
    expect(splitBatch(7, 3)).toEqual([3, 2, 2]);
    expect(resolveWorkers('auto', 'tensorflow', 64)).toBe(1);
    expect(resolveWorkers('auto', 'wasm', 64)).toBeGreaterThanOrEqual(1);
    expect(resolveWorkers('auto', 'wasm', 64)).toBeLessThanOrEqual(2);
    expect(resolveWorkers(4, 'wasm', 4)).toBe(2);
    expect(() => resolveWorkers(0, 'wasm', 64)).toThrow(/whole number from 1/);
    expect(() => resolveWorkers(1.5, 'wasm', 64)).toThrow(/whole number from 1/);
  });

  it('finds the bundled worker entry beside the bundle or one folder up, and says where it looked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'engine-parallel-'));
    try {
      await mkdir(join(dir, 'main', 'chunks'), { recursive: true });
      await writeFile(join(dir, 'main', 'train-worker.js'), '');
      const entry = pathToFileURL(join(dir, 'main', 'train-worker.js')).href;
      expect(workerEntry(pathToFileURL(join(dir, 'main', 'job-child.js')).href).href).toBe(entry);
      expect(workerEntry(pathToFileURL(join(dir, 'main', 'chunks', 'trainer-abc.js')).href).href).toBe(entry);
      expect(() => workerEntry(pathToFileURL(join(dir, 'elsewhere.js')).href)).toThrow(/training worker entry not found/);
      expect(workerEntry().pathname).toMatch(/parallel\/worker\.ts$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('2 replicas train with finite losses, identical weights, no tensor growth, and stop their worker', async () => {
    const { nets, runner, losses } = await run(2);
    try {
      const tensors = tf.memory().numTensors;
      const workerTensors = await runner.workerTensors();
      for (let i = 0; i < 4; i++) losses.push(await runner.step(parts.images, 8));
      expect(tf.memory().numTensors).toBe(tensors);
      expect(await runner.workerTensors()).toEqual(workerTensors);
      for (const l of losses) {
        for (const k of ['errD', 'errG', 'errGAdv', 'errGCon', 'errGEnc'] as const) expect(Number.isFinite(l[k])).toBe(true);
        expect(l.errG).toBeCloseTo(o.wAdv * l.errGAdv + o.wCon * l.errGCon + o.wEnc * l.errGEnc, 3);
      }
      expect(losses[5].errGCon).toBeLessThan(losses[0].errGCon);
      // Trainable weights match bit for bit; BatchNorm moving statistics differ (each part its own) until sync.
      const [w] = await runner.workerWeights();
      const trainable = (ws: WeightValue[]) => ws.filter((x) => !/moving_(mean|variance)$/.test(x.name));
      expect(differing(trainable(await readWeights(nets.netG.models)), trainable(w.netG))).toEqual([]);
      expect(differing(trainable(await readWeights(nets.netD.models)), trainable(w.netD))).toEqual([]);
      expect(differing(await readWeights(nets.netG.models), w.netG).length).toBeGreaterThan(0);
      await runner.sync();
      const [s] = await runner.workerWeights();
      expect(differing(await readWeights(nets.netG.models), s.netG)).toEqual([]);
      expect(differing(await readWeights(nets.netD.models), s.netD)).toEqual([]);
      expect(liveReplicaWorkers()).toBe(1);
    } finally {
      await runner.close();
      disposeNets(nets);
    }
    expect(liveReplicaWorkers()).toBe(0);
    await expect(runner.step(parts.images, 8)).rejects.toThrow(/closed/);
  });

  it('is deterministic for a seed', async () => {
    const a = await run(3);
    await a.runner.close();
    const b = await run(3);
    await b.runner.close();
    expect(b.losses).toEqual(a.losses);
    expect(differing(await readWeights(a.nets.netG.models), await readWeights(b.nets.netG.models))).toEqual([]);
    disposeNets(a.nets);
    disposeNets(b.nets);
  });

  it('copies weights and Adam state to the workers when started mid-training (resume)', async () => {
    const nets = createNets(o);
    const x = tf.tensor4d(parts.images, [8, 16, 16, 1]);
    await trainStep(nets, x, o);
    x.dispose();
    const runner = await ParallelStepRunner.start(nets, o, o.batchSize, 2);
    try {
      for (let i = 0; i < 2; i++) await runner.step(parts.images, 8);
      await runner.sync();
      const [w] = await runner.workerWeights();
      expect(differing(await readWeights(nets.netG.models), w.netG)).toEqual([]);
      expect(differing(await readWeights(nets.netD.models), w.netD)).toEqual([]);
    } finally {
      await runner.close();
      disposeNets(nets);
    }
  });

  it('train() ends its workers when loading a batch fails', async () => {
    const set = partsImageSet(makeParts({ count: 20, isize: 16, seed: 4 }));
    let loads = 0;
    const failing = { ...set, load: (idx: number[]) => (++loads === 2 ? Promise.reject(new Error('disk gone')) : set.load(idx)) };
    const tensors = tf.memory().numTensors;
    await expect(train({ set: failing, options: { nz: 16, ngf: 8, ndf: 8, batchSize: 8, epochs: 1 }, workers: 2 }))
      .rejects.toThrow(/disk gone/);
    expect(liveReplicaWorkers()).toBe(0);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('train() with 2 workers says so, records it, leaks nothing, ends its worker, and gives a model that scores', async () => {
    const set = makeParts({ count: 20, isize: 16, seed: 4 });
    const tensors = tf.memory().numTensors;
    const events: TrainProgress[] = [];
    const r = await train({
      set: partsImageSet(set), options: { nz: 16, ngf: 8, ndf: 8, batchSize: 8, epochs: 2, seed: 7, validationFraction: 0.2 },
      workers: 2, onProgress: (p) => events.push(p),
    });
    expect(liveReplicaWorkers()).toBe(0);
    expect(events[0]).toMatchObject({ phase: 'planning', workers: 2 });
    expect(events[0].message).toMatch(/data-parallel on 2 threads/);
    expect(r.snapshot.history.map((h) => h.workers)).toEqual([2, 2]);
    const s = await scoreBatch({ netG: r.nets.netG, netD: r.nets.netD, isize: 16, nc: 1, meanImage: r.snapshot.meanImage, errorStats: r.snapshot.errorStats }, set.images, set.count);
    expect(s.raw['recon-top1'].every(Number.isFinite)).toBe(true);
    disposeNets(r.nets);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
