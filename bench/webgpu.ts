// GPU backends beside wasm on the same GANomaly step: does the GPU backend give wasm's losses (same seed,
// same first batch), what does its first step cost (shader compilation), and what does it train and
// score per second afterwards, as a ratio to wasm measured in the same run. On the software adapter
// (no GPU here) the figures say correctness and overhead only; on a real GPU they say speed.
// Run: npx tsx bench/webgpu.ts [--backends webgpu,tensorflow] [--sizes 32] [--batch 16] [--steps 2] [--ngf 64] [--json out.json]
//   --batch applies to every backend (wasm splits it into micro-batches where its heap needs); --json also
//   writes every figure to a file (bench/gpu-check.sh reads it).
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { selectBackend, type BackendInfo, type BackendName } from '../src-main/engine/backends/select';
import { parseOptions, type GanomalyOptions } from '../src-main/engine/options';
import { scoreBatch } from '../src-main/engine/scoring';
import { createNets, disposeNets, planMemory, trainStep, type StepLosses } from '../src-main/engine/train-step';
import { makeParts } from '../test/fixtures/synthetic-parts';
import { flagValue as opt } from './flags';

const others = opt('backends', 'webgpu,tensorflow').split(',') as BackendName[];
const sizes = opt('sizes', '32').split(',').map(Number);
const batch = Number(opt('batch', '16'));
const steps = Number(opt('steps', '2'));
const width = Number(opt('ngf', '64'));
const jsonOut = opt('json', '');
const results: Record<string, unknown>[] = [];

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Figures { first: StepLosses; firstSeconds: number; trainIps: number; scoreIps: number; leaked: number }

async function measure(o: GanomalyOptions, images: Float32Array): Promise<Figures> {
  const plan = planMemory(o);
  const nets = createNets(o);
  const x = tf.tensor4d(images, [batch, o.isize, o.isize, o.nc]);
  try {
    let t = performance.now();
    const first = await trainStep(nets, x, o, plan.microBatch); // compiles every kernel/shader once
    const firstSeconds = (performance.now() - t) / 1000;
    const before = tf.memory().numTensors;
    const walls: number[] = [];
    for (let i = 0; i < steps; i++) {
      t = performance.now();
      await trainStep(nets, x, o, plan.microBatch);
      walls.push((performance.now() - t) / 1000);
    }
    const leaked = tf.memory().numTensors - before;
    const model = { netG: nets.netG, netD: nets.netD, isize: o.isize, nc: o.nc, meanImage: new Float32Array(o.isize * o.isize) };
    await scoreBatch(model, images, batch); // warm-up
    t = performance.now();
    await scoreBatch(model, images, batch);
    const scoreIps = batch / ((performance.now() - t) / 1000);
    return { first, firstSeconds, trainIps: batch / median(walls), scoreIps, leaked };
  } finally {
    x.dispose();
    disposeNets(nets);
  }
}

function describe(info: BackendInfo): string {
  return `${info.name}${info.adapter ? ` on '${info.adapter}'` : ''} (${info.gpu ? 'GPU' : 'CPU'})`;
}

async function main(): Promise<void> {
  console.log(`GANomaly step, batch ${batch}, nz 100, ngf = ndf = ${width}, ${steps} timed step(s) after one warm-up`);
  for (const isize of sizes) {
    const o = parseOptions({ isize, batchSize: batch, ngf: width, ndf: width, seed: 1 });
    const images = makeParts({ count: batch, isize, seed: 1 }).images;
    await selectBackend('wasm');
    const ref = await measure(o, images);
    results.push({ isize, backend: 'wasm', batch, ...ref });
    console.log(`isize ${isize} wasm: first step ${ref.firstSeconds.toFixed(1)} s, train ${ref.trainIps.toFixed(2)} img/s, ` +
      `score ${ref.scoreIps.toFixed(1)} img/s, tensors leaked ${ref.leaked}`);
    for (const name of others) {
      let info: BackendInfo;
      try {
        info = await selectBackend(name);
      } catch (err) {
        console.log(`isize ${isize} ${name}: not available here (${(err as Error).message})`);
        continue;
      }
      const f = await measure(o, images);
      results.push({ isize, backend: name, adapter: info.adapter, gpu: info.gpu, batch, ...f });
      const lossDiff = Math.max(...(['errG', 'errGAdv', 'errGCon', 'errGEnc', 'errD'] as const)
        .map((k) => Math.abs(f.first[k] - ref.first[k]) / Math.max(1, Math.abs(ref.first[k]))));
      console.log(`isize ${isize} ${describe(info)}: first step ${f.firstSeconds.toFixed(1)} s (shader/kernel set-up included), ` +
        `train ${f.trainIps.toFixed(2)} img/s = ${(f.trainIps / ref.trainIps).toFixed(2)}x wasm, ` +
        `score ${f.scoreIps.toFixed(1)} img/s = ${(f.scoreIps / ref.scoreIps).toFixed(2)}x wasm, ` +
        `first-step losses vs wasm: max relative difference ${lossDiff.toExponential(1)}, tensors leaked ${f.leaked}`);
    }
  }
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 1));
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
