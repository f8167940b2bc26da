// Side by side with the reference PyTorch GANomaly (samet-akcay/ganomaly) on the same CPU: the same
// real images (ELPV train/good, resized by our own loader), the same settings (isize, batch 64, nz 100,
// ngf = ndf = 64, Adam 2e-4 / 0.5) and the same number of cores, alternating ours and theirs in one
// run so that load from other work hits both alike. Prints both img/s and the ratio per run, then
// the median ratio. Images per CPU-second (all threads) are printed too: on a loaded machine wall time
// punishes PyTorch's OpenMP threads, which wait for each other, more than our independent replicas;
// --cores 1 compares one thread each, the fairest figure there. Needs python3 with torch (Debian: apt-get install -y python3-torch) and a checkout
// of the reference (git clone https://github.com/samet-akcay/ganomaly) named by GANOMALY_REFERENCE;
// without them it says what is missing and exits 0.
// Run: npm run bench -- reference [--sizes 32,64] [--runs 3] [--steps 8] [--cores 2] [--count 448]
// (GANOMALY_PYTHON picks the interpreter; default: the first of /usr/bin/python3, python3 with torch).
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '../src-main/engine/backends/select';
import { parseOptions } from '../src-main/engine/options';
import { createStepRunner } from '../src-main/engine/parallel/step-runner';
import { FoldedNets } from '../src-main/engine/folded-nets';
import { scoreBatch } from '../src-main/engine/scoring';
import { createNets, disposeNets, planMemory } from '../src-main/engine/train-step';
import { loadBatch } from '../src-main/library/prepare';
import { ELPV_DIR } from '../test/fixtures/elpv';
import { flagValue as opt } from './flags';

const sizes = opt('sizes', '32').split(',').map(Number);
const runs = Number(opt('runs', '3'));
const steps = Number(opt('steps', '8'));
const cores = Number(opt('cores', String(Math.min(2, availableParallelism()))));
// 448 = 7 batches of 64, within ELPV's 470 train/good images.
const count = Number(opt('count', '448'));
const batch = 64;
const driver = fileURLToPath(new URL('./reference_driver.py', import.meta.url));

function findPython(): string | undefined {
  const candidates = process.env.GANOMALY_PYTHON ? [process.env.GANOMALY_PYTHON] : ['/usr/bin/python3', 'python3'];
  return candidates.find((py) => spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
}

/** Images per second: training by wall and by CPU time (all threads), scoring by wall. */
interface Figures { train: number; trainCpu: number; score: number }

function runReference(py: string, ref: string, file: string, isize: number): Figures {
  const r = spawnSync(py, [driver, '--ref', ref, '--images', file, '--count', String(count), '--isize', String(isize),
    '--nc', '1', '--batch', String(batch), '--steps', String(steps), '--threads', String(cores)], { encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`reference driver failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const j = JSON.parse(line) as { train_ips: number; train_cpu_ips: number; score_ips: number };
  return { train: j.train_ips, trainCpu: j.train_cpu_ips, score: j.score_ips };
}

/** Ours as the trainer runs it: the default step runner over `cores` replicas, one warm-up step first. */
async function runOurs(images: Float32Array, isize: number): Promise<Figures> {
  const o = parseOptions({ isize, batchSize: batch, seed: 0 });
  const per = isize * isize;
  const batches = Math.floor(count / batch);
  const nets = createNets(o);
  const runner = await createStepRunner(nets, o, planMemory(o).microBatch, cores);
  const at = (i: number) => images.slice((i % batches) * batch * per, ((i % batches) + 1) * batch * per);
  let trainS: number;
  let trainCpuS: number;
  try {
    await runner.step(at(0), batch);
    const c0 = process.cpuUsage(); // this process: the main thread and its replica workers
    const t0 = performance.now();
    for (let i = 1; i <= steps; i++) await runner.step(at(i), batch);
    trainS = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    trainCpuS = (c.user + c.system) / 1e6;
    await runner.sync();
  } finally {
    await runner.close();
  }
  // Folded, as a loaded model scores.
  const model = { netG: nets.netG, netD: nets.netD, folded: await FoldedNets.fold(nets.netG, nets.netD), isize, nc: 1 as const, meanImage: new Float32Array(per) };
  await scoreBatch(model, images.subarray(0, batch * per), batch);
  const t0 = performance.now();
  for (let s = 0; s < count; s += batch) {
    const n = Math.min(batch, count - s);
    await scoreBatch(model, images.subarray(s * per, (s + n) * per), n);
  }
  const scoreS = (performance.now() - t0) / 1000;
  model.folded.dispose();
  disposeNets(nets);
  return { train: (steps * batch) / trainS, trainCpu: (steps * batch) / trainCpuS, score: count / scoreS };
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const ref = process.env.GANOMALY_REFERENCE;
  const py = findPython();
  if (!ref || !existsSync(join(ref, 'lib', 'model.py')) || !py) {
    console.log('reference: skipped. ' + (!py ? 'No python3 with torch (Debian: apt-get install -y python3-torch). ' : '') +
      (!ref || !existsSync(join(ref, 'lib', 'model.py'))
        ? 'Set GANOMALY_REFERENCE to a checkout of git clone https://github.com/samet-akcay/ganomaly. ' : ''));
    return;
  }
  const backend = await selectBackend('auto');
  const dir = join(ELPV_DIR, 'train', 'good');
  const paths = readdirSync(dir).filter((f) => f.endsWith('.png')).sort().slice(0, count).map((f) => join(dir, f));
  if (paths.length < count) throw new Error(`${dir} has ${paths.length} images, --count asks for ${count}`);
  const tmp = mkdtempSync(join(tmpdir(), 'ganomaly-ref-bench-'));
  console.log(`ours: ${backend.name} (${backend.detail}), ${cores} replica(s); reference: ${py} with torch, ${cores} thread(s); ` +
    `${count} ELPV train/good images, batch ${batch}, ${steps} timed steps after one warm-up, ${runs} runs alternating`);
  try {
    for (const isize of sizes) {
      const images = await loadBatch(paths, isize, 1);
      const file = join(tmp, `x${isize}.f32`);
      writeFileSync(file, Buffer.from(images.buffer, images.byteOffset, images.byteLength));
      const trainRatios: number[] = [];
      const cpuRatios: number[] = [];
      const scoreRatios: number[] = [];
      for (let r = 1; r <= runs; r++) {
        const theirs = runReference(py, ref, file, isize);
        const ours = await runOurs(images, isize);
        trainRatios.push(ours.train / theirs.train);
        cpuRatios.push(ours.trainCpu / theirs.trainCpu);
        scoreRatios.push(ours.score / theirs.score);
        console.log(`isize ${isize} run ${r}: train ours ${ours.train.toFixed(1)} img/s, reference ${theirs.train.toFixed(1)} img/s, ` +
          `ratio ${(ours.train / theirs.train).toFixed(2)}x (per CPU-second: ours ${ours.trainCpu.toFixed(1)}, reference ` +
          `${theirs.trainCpu.toFixed(1)}, ${(ours.trainCpu / theirs.trainCpu).toFixed(2)}x) | score (model only) ours ${ours.score.toFixed(0)} img/s, ` +
          `reference ${theirs.score.toFixed(0)} img/s, ratio ${(ours.score / theirs.score).toFixed(2)}x`);
      }
      console.log(`isize ${isize}: median ratio ours/reference: train ${median(trainRatios).toFixed(2)}x ` +
        `(${median(cpuRatios).toFixed(2)}x per CPU-second), score ${median(scoreRatios).toFixed(2)}x ` +
        `(tensors live: ${tf.memory().numTensors})`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
