// How long a training runs, decided before it starts: the one home of the epoch/step planning, used by
// the trainer while it trains and by the ETA shown before training (jobs/training-estimate.ts), so the
// two can never disagree. No tfjs here: the main process plans without loading the engine.
import type { GanomalyOptions } from './options';

/** Epochs when options.epochs is unset and minSteps asks for fewer: the reference's count. */
export const DEFAULT_EPOCHS = 15;

type PlanOptions = Pick<GanomalyOptions, 'epochs' | 'minSteps' | 'patienceSteps' | 'batchSize'>;

/** How long a training runs: epochs enough for `minSteps` optimiser steps, and early stopping's patience. */
export interface TrainingPlan {
  batchesPerEpoch: number;
  /** options.epochs when given, else enough for options.minSteps steps and at least DEFAULT_EPOCHS. */
  epochs: number;
  steps: number;
  /** Epochs without a 1 % improvement of the validation reconstruction loss that end training early. */
  patienceEpochs: number;
}

/** Held-out validation images of a set of `count` (the trainer's seeded split takes this many). */
export function validationCount(count: number, fraction: number): number {
  return Math.max(1, Math.round(count * fraction));
}

/** Batches per epoch of `n` images; a lone last image joins the previous batch (trainer's batchesOf). */
export function batchCount(n: number, batchSize: number): number {
  const full = Math.ceil(n / batchSize);
  return full > 1 && n % batchSize === 1 ? full - 1 : full;
}

export function trainingPlan(o: PlanOptions, trainCount: number): TrainingPlan {
  const batchesPerEpoch = batchCount(trainCount, o.batchSize);
  const epochs = o.epochs ?? Math.min(10_000, Math.max(DEFAULT_EPOCHS, Math.ceil(o.minSteps / batchesPerEpoch)));
  const patienceEpochs = o.patienceSteps > 0 ? Math.max(5, Math.ceil(o.patienceSteps / batchesPerEpoch)) : Infinity;
  return { batchesPerEpoch, epochs, steps: epochs * batchesPerEpoch, patienceEpochs };
}

/** The plan of a new training on `imageCount` good images, before the split: what the trainer will do. */
export interface RunPlan extends TrainingPlan {
  images: number;
  trainImages: number;
  validationImages: number;
  /** One validation (precise BatchNorm + validation scores) after every epoch. */
  validations: number;
  /** True when early stopping may end the run sooner: the steps are then an upper bound. */
  upperBound: boolean;
}

export function planRun(o: PlanOptions & Pick<GanomalyOptions, 'validationFraction'>, imageCount: number): RunPlan {
  const validationImages = validationCount(imageCount, o.validationFraction);
  const trainImages = imageCount - validationImages;
  if (trainImages < 2) {
    throw new Error(`training needs at least 2 training images after holding out ${validationImages} for validation; the set has ${imageCount}`);
  }
  const p = trainingPlan(o, trainImages);
  return { ...p, images: imageCount, trainImages, validationImages, validations: p.epochs, upperBound: canStopEarly(p) };
}

/** Whether early stopping can end the run before its last epoch: epoch 1 always improves, so the
 *  earliest stop is after epoch patienceEpochs + 1. */
export function canStopEarly(p: TrainingPlan): boolean {
  return p.patienceEpochs + 1 < p.epochs;
}

/** The plan in words, as the trainer's progress and the CLI print it. */
export function planLine(p: TrainingPlan, o: Pick<GanomalyOptions, 'epochs' | 'minSteps' | 'batchSize'>): string {
  return `${p.epochs} epoch${p.epochs === 1 ? '' : 's'}, ${p.steps} steps of ${o.batchSize} images${o.epochs ? '' : ` (at least ${o.minSteps} steps)`}` +
    `${canStopEarly(p) ? `, or fewer: training stops after ${p.patienceEpochs} epochs without a 1 % better validation loss` : ''}`;
}
