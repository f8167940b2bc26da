// A training replica in a worker thread: the same networks, built from the same seed on the same
// backend, computing gradients on its part of each batch and applying the summed ones it is sent.
// Or a scoring replica: the generator only, scoring its part of each batch (score-pool.ts).
// Entry point only; the parent side is replica-worker.ts (spawning), step-runner.ts and score-pool.ts (the pools).
import * as tf from '@tensorflow/tfjs';
import { parentPort } from 'node:worker_threads';
import { selectBackend } from '../backends/select';
import { scoringNets } from '../folded-nets';
import { initWeights, readWeights, writeWeights } from '../networks';
import { EVERY_KIND, scoreBatch, type ScoringModel } from '../scoring';
import { createRng } from '../random';
import { createNets, stepGradients, writeOptimizer, type Nets } from '../train-step';
import { flattenGrads, readMovingStats, unflattenGrads, writeMovingStats } from './flat';
import type { FromWorker, ToWorker } from './protocol';

const port = parentPort;
if (!port) throw new Error('src-main/engine/parallel/worker.ts must run as a worker thread');

let nets: Nets | undefined;
let opts: { options: import('../options').GanomalyOptions; microBatch: number } | undefined;
let scorer: ScoringModel | undefined;

const ready = (): Nets => {
  if (!nets) throw new Error('replica worker: not initialised');
  return nets;
};

function apply(n: Nets, gradsG: Float32Array, gradsD: Float32Array, reinitSeed: number | null): void {
  const g = unflattenGrads(gradsG, n.varsG);
  const d = unflattenGrads(gradsD, n.varsD);
  try {
    n.optG.applyGradients(g);
    n.optD.applyGradients(d);
  } finally {
    tf.dispose([...Object.values(g), ...Object.values(d)]);
  }
  if (reinitSeed !== null) initWeights(n.netD.models, createRng(reinitSeed));
}

async function handle(m: ToWorker): Promise<{ reply: FromWorker; transfer?: ArrayBufferLike[] }> {
  switch (m.type) {
    case 'init': {
      await selectBackend(m.backend);
      nets = createNets(m.options);
      opts = { options: m.options, microBatch: m.microBatch };
      writeWeights(nets.netG.models, m.state.netG);
      writeWeights(nets.netD.models, m.state.netD);
      if (m.state.optG) await writeOptimizer(nets.optG, m.state.optG);
      if (m.state.optD) await writeOptimizer(nets.optD, m.state.optD);
      return { reply: { type: 'ok' } };
    }
    case 'grads': {
      const n = ready();
      const o = opts as NonNullable<typeof opts>;
      if (m.n === 0) return { reply: { type: 'grads', gradsG: null, gradsD: null, sums: new Float64Array(5) } };
      const x = tf.tensor4d(m.x, [m.n, o.options.isize, o.options.isize, o.options.nc]);
      let s;
      try { s = await stepGradients(n, x, o.options, o.microBatch, m.total); } finally { x.dispose(); }
      try {
        const gradsG = await flattenGrads(s.gradsG, n.varsG);
        const gradsD = await flattenGrads(s.gradsD, n.varsD);
        return { reply: { type: 'grads', gradsG, gradsD, sums: s.sums }, transfer: [gradsG.buffer, gradsD.buffer] };
      } finally {
        tf.dispose([...Object.values(s.gradsG), ...Object.values(s.gradsD)]);
      }
    }
    case 'apply':
      apply(ready(), m.gradsG, m.gradsD, m.reinitSeed);
      return { reply: { type: 'ok' } };
    case 'read-stats': {
      const n = ready();
      const stats = await readMovingStats([...n.netG.models, ...n.netD.models]);
      return { reply: { type: 'stats', stats }, transfer: [stats.buffer] };
    }
    case 'write-stats': {
      const n = ready();
      writeMovingStats([...n.netG.models, ...n.netD.models], m.stats);
      return { reply: { type: 'ok' } };
    }
    case 'read-weights': {
      const n = ready();
      return { reply: { type: 'weights', netG: await readWeights(n.netG.models), netD: await readWeights(n.netD.models) } };
    }
    case 'memory':
      return { reply: { type: 'memory', numTensors: tf.memory().numTensors } };
    case 'score-init': {
      await selectBackend(m.backend);
      const nets = await scoringNets(m.options, { netG: m.netG, netD: m.netD });
      scorer = { ...nets, isize: m.options.isize, nc: m.options.nc, meanImage: m.meanImage, errorStats: m.errorStats };
      // One image through every network while starting: wasm's XNNPACK packs each filter on its first call
      // (a first batch took twice as long), so that cost is start-up, not the first batch's.
      await scoreBatch(scorer, new Float32Array(m.options.isize * m.options.isize * m.options.nc), 1, false, EVERY_KIND);
      return { reply: { type: 'ok' } };
    }
    case 'score': {
      if (!scorer) throw new Error('scoring worker: not initialised');
      return { reply: { type: 'scores', result: await scoreBatch(scorer, m.x, m.n, m.withMaps, m.costly) } };
    }
  }
}

// One message at a time: init is async, and the parent relies on replies coming back in order.
let chain: Promise<void> = Promise.resolve();
port.on('message', (m: ToWorker) => {
  chain = chain.then(async () => {
    try {
      const { reply, transfer } = await handle(m);
      port.postMessage(reply, (transfer ?? []) as ArrayBuffer[]); // ours are never shared buffers
    } catch (err) {
      port.postMessage({ type: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) } satisfies FromWorker);
    }
  });
});
