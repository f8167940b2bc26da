// Times what a training will cost on this machine, before it runs: real optimiser steps with the chosen
// options on random images (a step's time does not depend on the pixels), then the per-epoch precise
// BatchNorm and validation over a few random images. The ETA before training (jobs/training-estimate.ts)
// is computed from these measurements when the library has no finished run with the same settings.
import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from './image-set';
import { parseOptions, type GanomalyOptionsInput } from './options';
import { createStepRunner, type StepRunner, type WorkersOption } from './parallel/step-runner';
import { preciseBatchNorm, preciseImageCount } from './precise-bn';
import { createRng } from './random';
import { createNets, disposeNets, planMemory } from './train-step';
import { validate } from './trainer';

export interface StepTiming {
  /** Seconds of one optimiser step of a full batch: the median of the timed steps (after a warm-up step). */
  stepSeconds: number;
  /** Seconds before the first timed step: starting the replicas plus the first (warm-up) step. */
  startSeconds: number;
  /** Seconds per image of precise BatchNorm, run over the training images after every epoch. */
  bnSecondsPerImage: number;
  /** Seconds per image of validation (inference-mode losses and every score kind). */
  validationSecondsPerImage: number;
  /** Most training images precise BatchNorm uses (its activations must fit in memory). */
  bnImageCap: number;
  /** Steps timed (the warm-up step not counted). */
  steps: number;
  /** Threads that trained (data-parallel replicas). */
  workers: number;
  /** The tfjs backend the steps ran on. */
  backend: string;
}

export interface TimeTrainingArgs {
  options: GanomalyOptionsInput;
  workers?: WorkersOption;
  /** Steps to time after the warm-up step (default 2). */
  steps?: number;
  /** Random images precise BatchNorm and validation are timed on (default 32). */
  images?: number;
  memoryBudgetBytes?: number;
}

/** `count` random images in [-1, 1] of the options' size (seeded: the same timing run each time). */
function randomSet(count: number, isize: number, nc: 1 | 3): ImageSet {
  const per = isize * isize * nc;
  const rng = createRng(12345);
  const pixels = Float32Array.from({ length: count * per }, () => rng.next() * 2 - 1);
  return { count, isize, nc, load: async (idx) => {
    const out = new Float32Array(idx.length * per);
    idx.forEach((i, k) => out.set(pixels.subarray(i * per, (i + 1) * per), k * per));
    return out;
  } };
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const seconds = (since: number): number => (performance.now() - since) / 1000;

/** Runs 1 + `steps` real training steps and one precise BatchNorm + validation pass on random images. */
export async function timeTraining(a: TimeTrainingArgs): Promise<StepTiming> {
  const o = parseOptions(a.options);
  const steps = Math.max(1, a.steps ?? 2);
  const plan = planMemory(o, a.memoryBudgetBytes);
  const batch = randomSet(o.batchSize, o.isize, o.nc);
  const x = await batch.load(Array.from({ length: o.batchSize }, (_, i) => i));
  const nets = createNets(o);
  let runner: StepRunner | undefined;
  try {
    const t0 = performance.now();
    runner = await createStepRunner(nets, o, plan.microBatch, a.workers ?? 'auto');
    await runner.step(x, o.batchSize);
    const startSeconds = seconds(t0);
    const times: number[] = [];
    for (let i = 0; i < steps; i++) {
      const ts = performance.now();
      await runner.step(x, o.batchSize);
      times.push(seconds(ts));
    }
    await runner.sync();
    const count = Math.max(2, a.images ?? 32);
    const set = randomSet(count, o.isize, o.nc);
    const all = Array.from({ length: count }, (_, i) => i);
    const tb = performance.now();
    await preciseBatchNorm(nets, (idx) => set.load(idx), all, plan.microBatch);
    const bnSeconds = seconds(tb);
    const tv = performance.now();
    await validate(nets, o, set, all, new Float32Array(o.isize * o.isize * o.nc), plan.microBatch);
    const validationSeconds = seconds(tv);
    return {
      stepSeconds: median(times), startSeconds, steps, workers: runner.replicas, backend: tf.getBackend(),
      bnSecondsPerImage: bnSeconds / count, validationSecondsPerImage: validationSeconds / count,
      bnImageCap: preciseImageCount(nets.netG, nets.netD, Number.MAX_SAFE_INTEGER),
    };
  } finally {
    await runner?.close();
    disposeNets(nets);
  }
}
