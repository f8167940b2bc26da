// Scoring on more than one thread: this thread and worker threads each hold the generator and score
// their part of a batch (inference is per image: BatchNorm runs on its moving statistics, so the split
// changes no score). Workers are the training replicas' threads, started in scoring mode.
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../backends/select';
import { readWeights } from '../networks';
import type { GanomalyOptions } from '../options';
import { scoreBatch, type ScoreResult, type ScoringModel } from '../scoring';
import { ReplicaWorker } from './replica-worker';
import { resolveWorkers } from './step-runner';

export type BatchScorer = (x: Float32Array, count: number, withMaps: boolean, withFeature?: boolean) => Promise<ScoreResult>;

/** Below this many images a batch is scored here alone: handing parts over would cost more than it saves. */
const MIN_SPLIT = 8;

export class ScorePool {
  private closed = false;

  private constructor(private readonly model: ScoringModel, private readonly workers: ReplicaWorker[]) {}

  get threads(): number { return this.workers.length + 1; }

  /** 'auto': both cores on the single-threaded backends (wasm, cpu), this thread alone on 'tensorflow'. */
  static async start(model: ScoringModel, options: GanomalyOptions, threads: 'auto' | number = 'auto'): Promise<ScorePool> {
    const backend = tf.getBackend() as BackendName;
    const n = resolveWorkers(threads, backend, MIN_SPLIT * 2);
    const workers: ReplicaWorker[] = [];
    const pool = new ScorePool(model, workers);
    try {
      const netG = await readWeights(model.netG.models);
      const netD = await readWeights(model.netD.models);
      for (let i = 1; i < n; i++) workers.push(new ReplicaWorker());
      await Promise.all(workers.map((w) => w.request({ type: 'score-init', backend, options, netG, netD, meanImage: model.meanImage }, 'ok')));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** scoreBatch over this thread and the workers; the result is in input order. */
  async score(x: Float32Array, count: number, withMaps: boolean, withFeature = true): Promise<ScoreResult> {
    if (this.closed) throw new Error('scoring pool: closed');
    if (!this.workers.length || count < MIN_SPLIT) return scoreBatch(this.model, x, count, withMaps, withFeature);
    const per = this.model.isize * this.model.isize * this.model.nc;
    const parts = this.threads;
    const sizes = Array.from({ length: parts }, (_, i) => Math.floor(count / parts) + (i < count % parts ? 1 : 0));
    // Workers first, so they compute while this thread scores its own part.
    let off = sizes[0];
    const replies = this.workers.map((w, i) => {
      const part = x.slice(off * per, (off + sizes[i + 1]) * per);
      off += sizes[i + 1];
      return w.request({ type: 'score', x: part, n: sizes[i + 1], withMaps, withFeature }, 'scores', [part.buffer]);
    });
    const own = await scoreBatch(this.model, x.subarray(0, sizes[0] * per), sizes[0], withMaps, withFeature);
    return joinResults([own, ...(await Promise.all(replies)).map((r) => r.result)]);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

export function joinResults(parts: ScoreResult[]): ScoreResult {
  const first = parts[0];
  const raw = Object.fromEntries(Object.keys(first.raw).map((k) => [k, concat(parts.map((p) => p.raw[k as keyof ScoreResult['raw']]))]));
  const out: ScoreResult = { count: parts.reduce((a, p) => a + p.count, 0), raw: raw as ScoreResult['raw'] };
  if (first.reconstructions) out.reconstructions = concat(parts.map((p) => p.reconstructions as Float32Array));
  if (first.diffMaps) out.diffMaps = concat(parts.map((p) => p.diffMaps as Float32Array));
  return out;
}
