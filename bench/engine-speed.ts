// Training and scoring speed of the real engine per backend, at isize 32 and 64 with the reference
// defaults (nz 100, ngf = ndf = 64, batch 64), training on this thread alone and data-parallel over
// worker threads (--workers). Prints medians over a few steps after a warm-up step.
// Besides wall-clock images/s it prints CPU-time figures, which hold on a shared, loaded machine:
// CPU-s per image (all threads: the cost, including what parallel training adds) and images per second
// of the busiest thread's CPU time (what the step would take on idle cores, one per replica).
// Run: nice -n 10 npx tsx bench/engine-speed.ts [--backends wasm,cpu] [--sizes 32,64] [--steps 3] [--workers 1,2]
import * as tf from '@tensorflow/tfjs';
import { readdirSync, readFileSync } from 'node:fs';
import { selectBackend, type BackendName } from '../src-main/engine/backends/select';
import { parseOptions } from '../src-main/engine/options';
import { createStepRunner } from '../src-main/engine/parallel/step-runner';
import { FoldedNets } from '../src-main/engine/folded-nets';
import { scoreBatch } from '../src-main/engine/scoring';
import { createNets, disposeNets, planMemory } from '../src-main/engine/train-step';
import { makeParts } from '../test/fixtures/synthetic-parts';
import { flagValue as opt } from './flags';

const backends = opt('backends', 'tensorflow,wasm,cpu').split(',') as BackendName[];
const sizes = opt('sizes', '32,64').split(',').map(Number);
const steps = Number(opt('steps', '3'));
const workerCounts = opt('workers', '1,2').split(',').map(Number);

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** CPU seconds (user + system) of each thread of this process, by thread id (Linux /proc; empty elsewhere). */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    const tick = 100; // USER_HZ on Linux
    for (const tid of readdirSync('/proc/self/task')) {
      const f = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(fields[11]) + Number(fields[12])) / tick);
    }
  } catch { /* not Linux */ }
  return out;
}

interface Timing { wall: number; cpu: number; busiest: number }

async function time(fn: () => Promise<void> | void, reps: number): Promise<Timing[]> {
  await fn(); // warm-up: kernels compile, buffers grow, Adam's slots appear
  const out: Timing[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = threadCpu();
    const w0 = performance.now();
    await fn();
    const wall = (performance.now() - w0) / 1000;
    const c = process.cpuUsage(c0);
    const t1 = threadCpu();
    const busiest = Math.max(0, ...[...t1].map(([tid, s]) => s - (t0.get(tid) ?? 0)));
    out.push({ wall, cpu: (c.user + c.system) / 1e6, busiest });
  }
  return out;
}

async function main(): Promise<void> {
  for (const name of backends) {
    let info;
    try {
      info = await selectBackend(name);
    } catch (err) {
      console.log(`${name}: not available here (${(err as Error).message})`);
      continue;
    }
    // The pure-JavaScript backend is two orders slower: a small batch and one step say enough.
    const batch = name === 'cpu' ? 8 : 64;
    const reps = name === 'cpu' ? 1 : steps;
    for (const isize of sizes) {
      const o = parseOptions({ isize, batchSize: batch });
      const plan = planMemory(o);
      const parts = makeParts({ count: batch, isize, seed: 1 });
      const label = `${info.name} (${info.threads} thread${info.threads > 1 ? 's' : ''}) isize ${isize} batch ${batch}` +
        `${plan.microBatch < batch ? ` (micro-batch ${plan.microBatch})` : ''}`;
      const trainIps = new Map<number, { wall: number; busiest: number }>();
      for (const workers of workerCounts) {
        const nets = createNets(o);
        const runner = await createStepRunner(nets, o, plan.microBatch, workers);
        try {
          await runner.step(parts.images, batch); // creates Adam's slots, which then stay
          const before = tf.memory().numTensors;
          const t = await time(async () => { await runner.step(parts.images, batch); }, reps);
          const leaked = tf.memory().numTensors - before;
          const wall = median(t.map((x) => x.wall));
          const cpu = median(t.map((x) => x.cpu));
          const busiest = median(t.map((x) => x.busiest));
          trainIps.set(runner.replicas, { wall: batch / wall, busiest: batch / busiest });
          console.log(`${label}: train on ${runner.replicas} thread(s) ${(batch / wall).toFixed(1)} img/s wall ` +
            `(${wall.toFixed(2)} s/step); CPU ${(cpu / batch * 1000).toFixed(1)} ms/img over all threads, ` +
            `${(batch / busiest).toFixed(1)} img/s by the busiest thread's CPU time; tensors leaked ${leaked}`);
        } finally {
          await runner.close();
          disposeNets(nets);
        }
      }
      const one = trainIps.get(1);
      for (const [n, v] of trainIps) {
        if (one && n > 1) {
          console.log(`${label}: ${n} threads vs 1: ${(v.wall / one.wall).toFixed(2)}x wall, ` +
            `${(v.busiest / one.busiest).toFixed(2)}x by busiest-thread CPU time`);
        }
      }
      const nets = createNets(o);
      const meanImage = new Float32Array(isize * isize);
      // Folded, as a loaded model scores.
      const folded = await FoldedNets.fold(nets.netG, nets.netD);
      const score = await time(async () => { await scoreBatch({ netG: nets.netG, netD: nets.netD, folded, isize, nc: 1, meanImage }, parts.images, batch); }, reps);
      folded.dispose();
      disposeNets(nets);
      const s = median(score.map((x) => x.wall));
      console.log(`${label}: score ${(batch / s).toFixed(1)} img/s`);
    }
  }
}

await main();
