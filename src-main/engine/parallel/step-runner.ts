// How the trainer runs a step: on this thread alone (local), or data-parallel over this thread plus
// worker threads, each a replica of the networks. Per step every replica computes gradients on its part
// of the batch, this thread sums them (each part already weighted by its share of the batch) in a fixed
// order, and every replica applies the same sums with the same Adam state, so weights stay identical.
// BatchNorm normalises each part on its own (PyTorch DDP without SyncBN); its moving statistics are
// averaged across replicas by sync(), before anything reads the weights.
import * as tf from '@tensorflow/tfjs';
import { availableParallelism } from 'node:os';
import type { BackendName } from '../backends/select';
import { initWeights, readWeights, type WeightValue } from '../networks';
import type { GanomalyOptions } from '../options';
import { createRng } from '../random';
import { readOptimizer, stepGradients, stepLosses, trainStep, type Nets, type StepLosses } from '../train-step';
import { addInto, flattenGrads, readMovingStats, unflattenGrads, writeMovingStats } from './flat';
import type { ReplicaState } from './protocol';
import { ReplicaWorker } from './replica-worker';

export type WorkersOption = 'auto' | number;

export interface StepRunner {
  /** Threads training: 1 = this one only. */
  readonly replicas: number;
  /** One step on n images (NHWC floats in [-1, 1]). */
  step(x: Float32Array, n: number): Promise<StepLosses>;
  /** Makes all replicas' weights equal (BatchNorm moving statistics averaged): call before reading weights. */
  sync(): Promise<void>;
  /** Ends the workers; safe to call more than once. */
  close(): Promise<void>;
}

export const MAX_WORKERS = 16;

/**
 * 'auto': both cores on the single-threaded backends (wasm, cpu); 1 on 'tensorflow', which is
 * multi-threaded or on a GPU already, and on 'webgpu' (one device, which replicas in threads would share). Never more replicas than the batch has pairs of images, since
 * BatchNorm needs at least two per part.
 */
export function resolveWorkers(requested: WorkersOption | undefined, backend: string, batchSize: number): number {
  let n: number;
  if (requested === undefined || requested === 'auto') {
    n = backend === 'tensorflow' || backend === 'webgpu' ? 1 : Math.min(availableParallelism(), 2);
  } else if (Number.isInteger(requested) && requested >= 1 && requested <= MAX_WORKERS) {
    n = requested;
    if (backend === 'webgpu' && n > 1) {
      throw new Error(`workers: webgpu trains on one device from one thread; ${n} replicas run only on wasm or cpu (use --workers 1 or auto)`);
    }
  } else {
    throw new Error(`workers must be 'auto' or a whole number from 1 to ${MAX_WORKERS}, got ${String(requested)}`);
  }
  return Math.max(1, Math.min(n, Math.floor(batchSize / 2)));
}

/** Part sizes of a batch of n over `replicas`: as even as possible, none below 2 (the rest get 0). */
export function splitBatch(n: number, replicas: number): number[] {
  const parts = Math.max(1, Math.min(replicas, Math.floor(n / 2)));
  return Array.from({ length: replicas }, (_, i) => (i < parts ? Math.floor(n / parts) + (i < n % parts ? 1 : 0) : 0));
}

export function localStepRunner(nets: Nets, o: GanomalyOptions, microBatch: number): StepRunner {
  return {
    replicas: 1,
    async step(x, n) {
      const input = tf.tensor4d(x, [n, o.isize, o.isize, o.nc]);
      try { return await trainStep(nets, input, o, microBatch); } finally { input.dispose(); }
    },
    async sync() { /* one replica: nothing to reconcile */ },
    async close() { /* nothing started */ },
  };
}

export async function createStepRunner(
  nets: Nets, o: GanomalyOptions, microBatch: number, workers: WorkersOption | undefined,
): Promise<StepRunner> {
  const replicas = resolveWorkers(workers, tf.getBackend(), o.batchSize);
  return replicas === 1 ? localStepRunner(nets, o, microBatch) : ParallelStepRunner.start(nets, o, microBatch, replicas);
}

export class ParallelStepRunner implements StepRunner {
  private closed = false;

  private constructor(
    private readonly nets: Nets, private readonly o: GanomalyOptions, private readonly microBatch: number,
    private readonly workers: ReplicaWorker[],
  ) {}

  get replicas(): number { return this.workers.length + 1; }

  /** Starts replicas - 1 workers on this thread's backend, holding this thread's current weights and Adam state. */
  static async start(nets: Nets, o: GanomalyOptions, microBatch: number, replicas: number): Promise<ParallelStepRunner> {
    const backend = tf.getBackend() as BackendName;
    const optG = await readOptimizer(nets.optG);
    const optD = await readOptimizer(nets.optD);
    const state: ReplicaState = {
      netG: await readWeights(nets.netG.models), netD: await readWeights(nets.netD.models),
      // A fresh optimizer holds only its iteration count; its moments appear at the first step everywhere.
      ...(optG.length > 1 ? { optG } : {}), ...(optD.length > 1 ? { optD } : {}),
    };
    const workers: ReplicaWorker[] = [];
    const runner = new ParallelStepRunner(nets, o, microBatch, workers);
    try {
      for (let i = 1; i < replicas; i++) workers.push(new ReplicaWorker());
      await Promise.all(workers.map((w) => w.request({ type: 'init', backend, options: o, microBatch, state }, 'ok')));
    } catch (err) {
      await runner.close();
      throw err;
    }
    return runner;
  }

  async step(x: Float32Array, n: number): Promise<StepLosses> {
    if (this.closed) throw new Error('parallel training: the step runner is closed');
    const { nets, o } = this;
    const per = o.isize * o.isize * o.nc;
    const sizes = splitBatch(n, this.replicas);
    // Workers first, so they compute while this thread does its own part.
    let off = sizes[0] * per;
    const replies = this.workers.map((w, i) => {
      const part = x.slice(off, off + sizes[i + 1] * per);
      off += part.length;
      return w.request({ type: 'grads', x: part, n: sizes[i + 1], total: n }, 'grads', [part.buffer]);
    });
    const own = tf.tensor4d(x.subarray(0, sizes[0] * per), [sizes[0], o.isize, o.isize, o.nc]);
    let gradsG: Float32Array;
    let gradsD: Float32Array;
    let sums: Float64Array;
    try {
      const s = await stepGradients(nets, own, o, this.microBatch, n);
      try {
        gradsG = await flattenGrads(s.gradsG, nets.varsG);
        gradsD = await flattenGrads(s.gradsD, nets.varsD);
        sums = s.sums;
      } finally {
        tf.dispose([...Object.values(s.gradsG), ...Object.values(s.gradsD)]);
      }
    } finally {
      own.dispose();
    }
    for (const r of await Promise.all(replies)) {
      if (r.gradsG && r.gradsD) { addInto(gradsG, r.gradsG); addInto(gradsD, r.gradsD); }
      for (let i = 0; i < sums.length; i++) sums[i] += r.sums[i];
    }
    const losses = stepLosses(sums);
    // Decided once, on the batch's errD; every replica draws D's new weights from the same seed.
    const reinitSeed = losses.dReinitialised ? nets.rng.seed() : null;
    // Workers first, so their updates run alongside this thread's. Each gets a copy: this thread's tensors
    // may alias the arrays (the cpu backend keeps what it is given). Not awaited: replies come in order,
    // so a failed apply rejects the next step's request.
    for (const w of this.workers) {
      const g = gradsG.slice();
      const d = gradsD.slice();
      void w.request({ type: 'apply', gradsG: g, gradsD: d, reinitSeed }, 'ok', [g.buffer, d.buffer]);
    }
    this.apply(gradsG, gradsD, reinitSeed);
    return losses;
  }

  private apply(gradsG: Float32Array, gradsD: Float32Array, reinitSeed: number | null): void {
    const g = unflattenGrads(gradsG, this.nets.varsG);
    const d = unflattenGrads(gradsD, this.nets.varsD);
    try {
      this.nets.optG.applyGradients(g);
      this.nets.optD.applyGradients(d);
    } finally {
      tf.dispose([...Object.values(g), ...Object.values(d)]);
    }
    if (reinitSeed !== null) initWeights(this.nets.netD.models, createRng(reinitSeed));
  }

  async sync(): Promise<void> {
    const models = [...this.nets.netG.models, ...this.nets.netD.models];
    const all = [await readMovingStats(models), ...(await Promise.all(this.workers.map((w) => w.request({ type: 'read-stats' }, 'stats'))))
      .map((r) => r.stats)];
    const mean = all[0];
    for (const s of all.slice(1)) addInto(mean, s);
    for (let i = 0; i < mean.length; i++) mean[i] /= all.length;
    writeMovingStats(models, mean);
    await Promise.all(this.workers.map((w) => w.request({ type: 'write-stats', stats: mean.slice() }, 'ok')));
  }

  /** Every worker replica's weights, for checking they match this thread's. */
  async workerWeights(): Promise<{ netG: WeightValue[]; netD: WeightValue[] }[]> {
    return Promise.all(this.workers.map((w) => w.request({ type: 'read-weights' }, 'weights')));
  }

  /** Live tensors in each worker. */
  async workerTensors(): Promise<number[]> {
    return (await Promise.all(this.workers.map((w) => w.request({ type: 'memory' }, 'memory')))).map((m) => m.numTensors);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
