// Scoring on more than one thread: worker threads each hold the generator (and D) and score their part of
// a batch (inference is per image: BatchNorm runs on its moving statistics, so the split changes no score).
// This thread scores nothing: it stays free to decode, write maps and hand the next batch on, so the
// workers never wait for it. Workers are the training replicas' threads, started in scoring mode; each
// answers in order, so a caller may queue the next batch before the last one is back.
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../backends/select';
import { readWeights } from '../networks';
import type { GanomalyOptions } from '../options';
import { checkBatch, EVERY_KIND, type CostlyKinds, type ScoreResult, type ScoringModel } from '../scoring';
import { ReplicaWorker } from './replica-worker';
import { resolveWorkers } from './step-runner';

export type BatchScorer = (x: Float32Array, count: number, withMaps: boolean, costly?: CostlyKinds) => Promise<ScoreResult>;

/** Below this many images a batch goes to one worker whole: splitting it would cost more than it saves. */
const MIN_SPLIT = 8;

export class ScorePool {
  private closed = false;
  /** Images sent to each worker and not yet back, so a small batch goes to the least busy one. */
  private readonly queued: number[] = [];

  private constructor(private readonly model: ScoringModel, private readonly workers: ReplicaWorker[]) {}

  get threads(): number { return this.workers.length; }

  /**
   * 'auto': one worker per core (two at most) on the single-threaded backends (wasm, cpu). Refuses when that is
   * one thread (one core, or 'tensorflow', which uses every core itself): one worker would only add its start-up.
   */
  static async start(model: ScoringModel, options: GanomalyOptions, threads: 'auto' | number = 'auto'): Promise<ScorePool> {
    const backend = tf.getBackend() as BackendName;
    const n = resolveWorkers(threads, backend, MIN_SPLIT * 2);
    if (n < 2) throw new Error(`scoring pool: ${n} thread on ${backend}; score on this thread`);
    const workers: ReplicaWorker[] = [];
    const pool = new ScorePool(model, workers);
    try {
      const netG = await readWeights(model.netG.models);
      const netD = await readWeights(model.netD.models);
      for (let i = 0; i < n; i++) workers.push(new ReplicaWorker());
      pool.queued.push(...workers.map(() => 0));
      await Promise.all(workers.map((w) => w.request({ type: 'score-init', backend, options, netG, netD, meanImage: model.meanImage, errorStats: model.errorStats }, 'ok')));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** scoreBatch over the workers; the result is in input order. */
  async score(x: Float32Array, count: number, withMaps: boolean, costly: CostlyKinds = EVERY_KIND): Promise<ScoreResult> {
    if (this.closed) throw new Error('scoring pool: closed');
    const per = this.model.isize * this.model.isize * this.model.nc;
    checkBatch(this.model, x, count); // before slicing it into parts
    const order = this.queued.map((q, i) => ({ q, i })).sort((a, b) => a.q - b.q).map((e) => e.i);
    const parts = count < MIN_SPLIT ? 1 : this.workers.length;
    const sizes = Array.from({ length: parts }, (_, i) => Math.floor(count / parts) + (i < count % parts ? 1 : 0));
    let off = 0;
    const replies = sizes.map(async (n, k) => {
      const w = order[k];
      const part = x.slice(off * per, (off + n) * per);
      off += n;
      this.queued[w] += n;
      try {
        return (await this.workers[w].request({ type: 'score', x: part, n, withMaps, costly }, 'scores', [part.buffer])).result;
      } finally {
        this.queued[w] -= n;
      }
    });
    return joinResults(await Promise.all(replies));
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
