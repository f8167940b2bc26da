// The epoch loop: seeded split and shuffles, per-epoch validation on held-out good images, keeping the
// best epoch, progress/cancel/checkpoint hooks, and resume; what the kept epoch then computes is kept-epoch's.
import { LOSS_NAMES, type LossName, type TrainPhase } from '../shared/vocabulary';
import * as tf from '@tensorflow/tfjs';
import { baselineScores, MeanImage, type DeviationStats } from './baseline';
import { buildCalibration, type Calibration } from './calibration';
import { discriminatorLoss, generatorLoss } from './losses';
import { readWeights, writeWeights, type WeightValue } from './networks';
import { spread } from './even-sample';
import { preciseBatchNorm, preciseImageCount } from './precise-bn';
import { MODEL_SCORE_KINDS, parseOptions, SCORE_KINDS, type GanomalyOptions, type GanomalyOptionsInput, type ScoreKind } from './options';
import { batchesOf, createRng, shuffled } from './random';
import { keepBestEpoch } from './kept-epoch';
import { planLine, trainingPlan, validationCount } from './run-plan';
import type { CropDraw, ImageSet } from './image-set';
import { scoreTensors } from './scoring';
import type { ErrorStats } from './error-stats';
import type { SyntheticCheck } from './synthetic-check';
import { createStepRunner, type StepRunner, type WorkersOption } from './parallel/step-runner';
import {
  createNets, disposeNets, planMemory, readOptimizer, writeOptimizer, type MemoryPlan, type Nets, type StepLosses,
} from './train-step';


/** errD, errG and the generator's parts, named as in the vocabulary all the way to the screen. */
export type Losses = Record<LossName, number>;
export interface ScoreSummary { mean: number; median: number; std: number }

export interface EpochRecord {
  epoch: number;
  train: Losses;
  validation: Losses;
  /** Raw validation scores of every kind computed (good images only: a tighter spread is better); recon-z
   *  exists only after training (its error statistics come with the kept weights). */
  validationScores: Partial<Record<ScoreKind, ScoreSummary>>;
  dReinits: number;
  /** Threads that trained this epoch (data-parallel replicas); absent in records older than that option. */
  workers?: number;
  seconds: number;
  imagesPerSecond: number;
}

export interface TrainProgress {
  phase: TrainPhase;
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  losses?: StepLosses;
  imagesPerSecond: number;
  etaSeconds: number;
  /** For phase 'planning': how the batch is split to fit memory, in words for the user. */
  message?: string;
  plan?: MemoryPlan;
  /** For phase 'planning': threads training (data-parallel replicas), 1 = this thread only. */
  workers?: number;
  /** Optimiser steps planned in all (epochs x batches); training may stop early. */
  steps?: number;
}

/** Everything needed to resume, or to save the kept model. Weight arrays are copies. */
export interface TrainingSnapshot {
  options: GanomalyOptions;
  /** Epochs completed. */
  epoch: number;
  /** True once early stopping ended the training (a resume then has nothing left to do). */
  stoppedEarly?: boolean;
  history: EpochRecord[];
  /** The epoch whose weights are kept (lowest validation errGCon), 0 before the first. */
  bestEpoch: number;
  split: { train: number[]; validation: number[] };
  meanImage: Float32Array;
  /** Validation score statistics of the kept epoch. */
  calibration: Calibration | null;
  /** The kept weights judged on validation images with synthetic defects (after training ends). */
  synthetic?: SyntheticCheck;
  /** The kept weights' per-pixel error on training images, for recon-z (after training ends). */
  errorStats?: ErrorStats;
  /** Whole images: the training images' per-pixel |x - mean image|, for the normalised baseline `eval` prints. */
  deviationStats?: DeviationStats;
  /** Whole images: where the validation images' capture shifts (median normalised deviation; the good parts held
   *  out) reach a calibrated FAR_OUT; an image beyond it differs from them as a whole (after training ends). */
  shiftLimit?: number;
  /** Patch mode's working scale (native pixels per model pixel), null for whole images; absent in
   *  checkpoints older than patch mode (whole images). */
  patchScale?: number | null;
  current: { netG: WeightValue[]; netD: WeightValue[]; optG: WeightValue[]; optD: WeightValue[] };
  best: { netG: WeightValue[]; netD: WeightValue[] } | null;
}

export interface TrainArgs {
  set: ImageSet;
  /** isize and nc default to the set's; given and different, they are an error. */
  options?: GanomalyOptionsInput;
  onProgress?: (p: TrainProgress) => void;
  /** Called after every epoch; awaited, so a checkpoint is on disk before training goes on. */
  onEpoch?: (s: TrainingSnapshot) => Promise<void> | void;
  /** Checked before every batch: cancel takes effect within one batch. */
  shouldStop?: () => boolean;
  /** Continue from a checkpoint: its options, split and weights are used; only `options.epochs` may change. */
  resume?: TrainingSnapshot;
  /** Bytes the activations of one step may use; defaults to what fits the wasm heap on wasm. */
  memoryBudgetBytes?: number;
  /**
   * Data-parallel replicas in worker threads: 'auto' = both cores on wasm/cpu (single-threaded there),
   * 1 on 'tensorflow' (threaded or on a GPU already). Default 1: this thread only.
   */
  workers?: WorkersOption;
}

export interface TrainResult {
  /** Networks holding the kept epoch's weights; the caller disposes them (disposeNets). */
  nets: Nets;
  snapshot: TrainingSnapshot;
  stopped: boolean;
}

/** Improvement that counts for early stopping: 1 % below the best validation reconstruction loss so far. */
const MIN_IMPROVEMENT = 0.99;

/** Epochs since the validation reconstruction loss last improved by 1 % (0 when the last epoch did). */
export function epochsWithoutImprovement(history: { epoch: number; validation: Pick<Losses, 'errGCon'> }[]): number {
  let best = Infinity;
  let last = 0;
  for (const h of history) {
    if (h.validation.errGCon < best * MIN_IMPROVEMENT) last = h.epoch;
    best = Math.min(best, h.validation.errGCon);
  }
  return history.length ? history[history.length - 1].epoch - last : 0;
}

/** Seeded split: the validation images are never trained on. */
export function splitIndices(count: number, fraction: number, seed: number): { train: number[]; validation: number[] } {
  const nVal = validationCount(count, fraction);
  if (count - nVal < 2) {
    throw new Error(`training needs at least 2 training images after holding out ${nVal} for validation; the set has ${count}`);
  }
  const order = shuffled(Array.from({ length: count }, (_, i) => i), createRng(seed ^ 0x5bd1e995));
  return { validation: order.slice(0, nVal).sort((a, b) => a - b), train: order.slice(nVal).sort((a, b) => a - b) };
}

const zeroLosses = (): Losses => ({ errD: 0, errG: 0, errGAdv: 0, errGCon: 0, errGEnc: 0 });
const LOSS_KEYS = LOSS_NAMES;

function summary(v: Float32Array): ScoreSummary {
  const s = Float32Array.from(v).sort();
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const median = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { mean, median, std: Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / s.length) };
}

/** Losses (inference mode) and raw scores of every kind over the validation images (in patch mode over
 *  each image's fixed views, the same crops every epoch), both from one pass of G and two of D per batch. */
export async function validate(
  nets: Nets, o: GanomalyOptions, set: ImageSet, indices: number[], meanImage: Float32Array, batchSize: number,
) {
  const totals = zeroLosses();
  const scores = Object.fromEntries(SCORE_KINDS.map((k) => [k, [] as number[]])) as Record<ScoreKind, number[]>;
  const views = set.patches?.views ?? 1;
  for (let view = 0; view < views; view++) for (const batch of batchesOf(indices, batchSize)) {
    const x = await set.load(batch, { view });
    const n = batch.length;
    const [l, s] = tf.tidy(() => {
      const input = tf.tensor4d(x, [n, o.isize, o.isize, o.nc]);
      const g = nets.netG.apply(input, false);
      const dReal = nets.netD.apply(input, false);
      const dFake = nets.netD.apply(g.fake, false);
      const gl = generatorLoss({ real: input, fake: g.fake, featReal: dReal.features, featFake: dFake.features,
        latentI: g.latentI, latentO: g.latentO }, o);
      const k = scoreTensors(input, g, { real: dReal.features, fake: dFake.features });
      return [
        tf.stack([discriminatorLoss(dReal.prob, dFake.prob), gl.errG, gl.errGAdv, gl.errGCon, gl.errGEnc]),
        tf.stack(MODEL_SCORE_KINDS.map((kind) => k[kind])),
      ];
    });
    let v: Float32Array;
    let byKind: Float32Array;
    try { [v, byKind] = (await Promise.all([l.data(), s.data()])) as Float32Array[]; } finally { tf.dispose([l, s]); }
    LOSS_KEYS.forEach((k, i) => { totals[k] += v[i] * n; });
    MODEL_SCORE_KINDS.forEach((kind, i) => scores[kind].push(...byKind.subarray(i * n, (i + 1) * n)));
    scores.baseline.push(...baselineScores(x, n, meanImage, o.nc));
  }
  for (const k of LOSS_KEYS) totals[k] /= indices.length * views;
  return { losses: totals, scores };
}

export async function train(args: TrainArgs): Promise<TrainResult> {
  const { set, resume } = args;
  const o = resume ? parseOptions({ ...resume.options, epochs: args.options?.epochs ?? resume.options.epochs })
    : parseOptions({ ...args.options, isize: args.options?.isize ?? set.isize, nc: args.options?.nc ?? set.nc });
  if (set.isize !== o.isize || set.nc !== o.nc) {
    throw new Error(`the image set is ${set.isize}x${set.isize}x${set.nc} but the model wants ${o.isize}x${o.isize}x${o.nc}`);
  }
  const split = resume ? resume.split : splitIndices(set.count, o.validationFraction, o.seed);
  const patchScale = set.patches?.scale ?? null;
  if (resume && (resume.patchScale ?? null) !== patchScale) {
    throw new Error(`resume: the checkpoint was trained on ${resume.patchScale ? `patches at scale ${resume.patchScale}` : 'whole images'}, ` +
      `this set gives ${patchScale ? `patches at scale ${patchScale}` : 'whole images'}`);
  }
  if (resume && split.train.length + split.validation.length !== set.count) {
    throw new Error(`resume: the checkpoint was trained on ${split.train.length + split.validation.length} images, this set has ${set.count}`);
  }
  const plan = planMemory(o, args.memoryBudgetBytes);
  const nets = createNets(o);
  let snapshot: TrainingSnapshot;
  let runner: StepRunner | undefined;
  try {
    if (resume) {
      writeWeights(nets.netG.models, resume.current.netG);
      writeWeights(nets.netD.models, resume.current.netD);
      await writeOptimizer(nets.optG, resume.current.optG);
      await writeOptimizer(nets.optD, resume.current.optD);
    }
    snapshot = resume ? { ...resume, options: o, history: resume.history.slice() } : {
      options: o, epoch: 0, history: [], bestEpoch: 0, split, meanImage: new Float32Array(0), calibration: null, patchScale,
      current: { netG: [], netD: [], optG: [], optD: [] }, best: null,
    };
    runner = await createStepRunner(nets, o, plan.microBatch, args.workers ?? 1);
    const workers = runner.replicas;
    const tp = trainingPlan(o, split.train.length);
    const batchesPerEpoch = tp.batchesPerEpoch;
    const progress = (p: Omit<TrainProgress, 'epochs' | 'batches'> & { batches?: number }): void =>
      args.onProgress?.({ epochs: tp.epochs, batches: batchesPerEpoch, steps: tp.steps, ...p });
    const parts = Math.min(workers, Math.floor(o.batchSize / 2));
    const message = workers > 1
      ? `${plan.message}; data-parallel on ${workers} threads, each training a replica on its share of the batch ` +
        `(BatchNorm normalises each share of ~${Math.ceil(o.batchSize / parts)} images on its own, like PyTorch DDP without SyncBN)`
      : plan.message;
    progress({ phase: 'planning', epoch: snapshot.epoch, batch: 0, imagesPerSecond: 0, etaSeconds: NaN, message, plan, workers });
    // Inference statistics come from the training images (all of them while their activations fit).
    const bnImages = spread(split.train, preciseImageCount(nets.netG, nets.netD, split.train.length));
    // Seconds per step and per epoch's validation (precise BatchNorm + scoring), measured as training goes.
    let stepSeconds = NaN;
    let overheadSeconds = NaN;
    const eta = (epoch: number, batchesLeft: number): number => {
      const overhead = Number.isFinite(overheadSeconds) ? overheadSeconds
        : stepSeconds * (bnImages.length + split.validation.length) / (3 * o.batchSize); // inference ~3x cheaper per image
      return (batchesLeft + (tp.epochs - epoch) * batchesPerEpoch) * stepSeconds + (tp.epochs - epoch + 1) * overhead;
    };

    let stopped = false;
    let trainedImages = 0;
    let trainSeconds = 0;
    let stepsTimed = 0;
    for (let epoch = snapshot.epoch + 1; epoch <= tp.epochs && !stopped && !snapshot.stoppedEarly; epoch++) {
      const t0 = performance.now();
      const batches = batchesOf(shuffled(split.train, createRng(o.seed + epoch * 7919)), o.batchSize);
      nets.rng = createRng((o.seed * 31 + epoch) >>> 0);
      const mean = epoch === 1 || snapshot.meanImage.length === 0 ? new MeanImage(o.isize * o.isize * o.nc) : undefined;
      const sums = zeroLosses();
      let dReinits = 0;
      let seen = 0;
      for (let b = 0; b < batches.length; b++) {
        if (args.shouldStop?.()) { stopped = true; break; }
        // Patch mode: each image gives a random crop, drawn anew each epoch (the same for the same seed).
        const x = await set.load(batches[b], { random: (o.seed * 1_000_003 + epoch * 7919) >>> 0 });
        const n = batches[b].length;
        mean?.add(x, n);
        const ts = performance.now();
        const l: StepLosses = await runner.step(x, n);
        const took = (performance.now() - ts) / 1000;
        trainSeconds += took;
        trainedImages += n;
        seen += n;
        if (l.dReinitialised) dReinits++;
        for (const k of LOSS_KEYS) sums[k] += l[k] * n;
        // The first step of a run pays for warm-up (kernel compilation, workers starting): timed from the second.
        stepsTimed++;
        if (stepsTimed === 2 || (stepsTimed === 1 && tp.steps === 1)) stepSeconds = took * o.batchSize / n;
        // A short last batch is not scaled up to a full one: its fixed costs would count batchSize / n times
        // (2 images of 64 made the ETA of a 450-image set twice too long).
        else if (stepsTimed > 2 && (n === o.batchSize || batchesPerEpoch === 1)) stepSeconds = 0.9 * stepSeconds + 0.1 * took * o.batchSize / n;
        const ips = trainedImages / trainSeconds;
        if (stepsTimed === 2) {
          progress({ phase: 'planning', epoch, batch: b + 1, imagesPerSecond: ips, etaSeconds: eta(epoch, batches.length - b - 1),
            message: `${planLine(tp, o)}; about ${Math.max(1, Math.round(eta(epoch, batches.length - b - 1) / 60))} min left (timed on this step)` });
        }
        progress({ phase: 'training', epoch, batch: b + 1, losses: l, imagesPerSecond: ips,
          etaSeconds: Number.isFinite(stepSeconds) ? eta(epoch, batches.length - b - 1) : NaN });
      }
      if (stopped) break;
      if (mean) snapshot.meanImage = mean.result();
      await runner.sync(); // replicas' weights identical before reading them
      const tv = performance.now();
      progress({ phase: 'validating', epoch, batch: batches.length, imagesPerSecond: trainedImages / trainSeconds, etaSeconds: eta(epoch, 0) });
      // Inference mode everywhere (validation, kept epoch, calibration, scoring): BatchNorm statistics exact
      // for these weights over the training images. Chunks no larger than the memory plan's micro-batch.
      const fixed: CropDraw = { view: 0 };
      await preciseBatchNorm(nets, (idx) => set.load(idx, fixed), bnImages, plan.microBatch);
      const val = await validate(nets, o, set, split.validation, snapshot.meanImage, plan.microBatch);
      overheadSeconds = (performance.now() - tv) / 1000;
      for (const k of LOSS_KEYS) sums[k] /= seen;
      const seconds = (performance.now() - t0) / 1000;
      const record: EpochRecord = {
        epoch, train: sums, validation: val.losses, dReinits, workers, seconds, imagesPerSecond: seen / seconds,
        validationScores: Object.fromEntries(SCORE_KINDS.filter((k) => !val.scores[k].every(Number.isNaN))
          .map((k) => [k, summary(Float32Array.from(val.scores[k]))])) as Partial<Record<ScoreKind, ScoreSummary>>,
      };
      snapshot.history.push(record);
      // Keep the epoch with the lowest validation reconstruction loss (errGCon). The adversarial part is
      // measured against a discriminator that changes every epoch, and errGEnc can shrink by collapsing
      // both latents, so neither is comparable across epochs; reconstruction is also what the default
      // score reads.
      const bestSoFar = snapshot.history.find((h) => h.epoch === snapshot.bestEpoch);
      if (!bestSoFar || val.losses.errGCon < bestSoFar.validation.errGCon) {
        snapshot.bestEpoch = epoch;
        snapshot.best = { netG: await readWeights(nets.netG.models), netD: await readWeights(nets.netD.models) };
        snapshot.calibration = buildCalibration(val.scores);
      }
      snapshot.epoch = epoch;
      snapshot.stoppedEarly = epochsWithoutImprovement(snapshot.history) >= tp.patienceEpochs;
      snapshot.current = {
        netG: await readWeights(nets.netG.models), netD: await readWeights(nets.netD.models),
        optG: await readOptimizer(nets.optG), optD: await readOptimizer(nets.optD),
      };
      await args.onEpoch?.(snapshot);
    }
    await keepBestEpoch({ nets, options: o, set, split, snapshot, microBatch: plan.microBatch, progress });
    return { nets, snapshot, stopped };
  } catch (err) {
    disposeNets(nets);
    throw err;
  } finally {
    await runner?.close();
  }
}
