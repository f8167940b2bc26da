// Training and scoring speed of the real engine per backend, at isize 32 and 64 with the reference
// defaults (nz 100, ngf = ndf = 64, batch 64). Prints medians over a few steps after a warm-up step.
// Run: nice -n 10 npx tsx bench/engine-speed.ts [--backends wasm,cpu] [--sizes 32,64] [--steps 3]
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../src-main/engine/backends/select';
import { parseOptions } from '../src-main/engine/options';
import { scoreBatch } from '../src-main/engine/scoring';
import { createNets, disposeNets, planMemory, trainStep } from '../src-main/engine/train-step';
import { makeParts } from '../test/fixtures/synthetic-parts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const backends = opt('backends', 'tensorflow,wasm,cpu').split(',') as BackendName[];
const sizes = opt('sizes', '32,64').split(',').map(Number);
const steps = Number(opt('steps', '3'));

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function time(fn: () => void, reps: number): Promise<number[]> {
  fn(); // warm-up: kernels compile, buffers grow
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    fn();
    out.push((performance.now() - t) / 1000);
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
      const nets = createNets(o);
      const parts = makeParts({ count: batch, isize, seed: 1 });
      const x = tf.tensor4d(parts.images, [batch, isize, isize, 1]);
      trainStep(nets, x, o, plan.microBatch); // creates Adam's slots, which then stay
      const before = tf.memory().numTensors;
      const train = await time(() => { trainStep(nets, x, o, plan.microBatch); }, reps);
      const meanImage = new Float32Array(isize * isize);
      const score = await time(() => { scoreBatch({ netG: nets.netG, isize, nc: 1, meanImage }, parts.images, batch); }, reps);
      const leaked = tf.memory().numTensors - before;
      x.dispose();
      disposeNets(nets);
      const t = median(train);
      const s = median(score);
      console.log(`${info.name} (${info.threads} thread${info.threads > 1 ? 's' : ''}) isize ${isize} batch ${batch}` +
        `${plan.microBatch < batch ? ` (micro-batch ${plan.microBatch})` : ''}: train ${(batch / t).toFixed(1)} img/s ` +
        `(${t.toFixed(2)} s/step), score ${(batch / s).toFixed(1)} img/s; tensors leaked ${leaked}`);
    }
  }
}

await main();
