// What a training run computes once, with the epoch it keeps (the lowest validation reconstruction loss): those
// weights put back, then from them, as they will score, where good parts are usually reconstructed poorly (recon-z),
// the normalised baseline's statistics, the calibration on the validation images, the synthetic-defect check that
// picks an 'auto' score kind without test labels, and the capture-shift limit.
import { DeviationStatsSum, type DeviationStats } from './baseline';
import { buildCalibration, farOutLimit, scoreStats, type Calibration } from './calibration';
import { ERROR_STATS_IMAGES, errorStats, SPREAD_FLOOR, type ErrorStats } from './error-stats';
import { FoldedNets } from './folded-nets';
import type { ImageSet } from './image-set';
import { writeWeights, type WeightValue } from './networks';
import type { GanomalyOptions } from './options';
import { batchesOf } from './random';
import type { ScoringModel } from './scoring';
import { patchValidation, syntheticCheck, type SyntheticCheck } from './synthetic-check';
import type { Nets } from './train-step';

export interface KeptEpochArgs {
  nets: Nets;
  options: GanomalyOptions;
  set: ImageSet;
  split: { train: number[]; validation: number[] };
  /** The trainer's snapshot (TrainingSnapshot): read, and filled in place. */
  snapshot: KeptEpochState;
  microBatch: number;
  progress(p: { phase: 'validating'; epoch: number; batch: number; imagesPerSecond: number; etaSeconds: number; message: string }): void;
}

/** What of the trainer's snapshot this reads (the kept weights, the mean image) and fills (the rest). */
export interface KeptEpochState {
  best: { netG: WeightValue[]; netD: WeightValue[] } | null;
  meanImage: Float32Array;
  epoch: number;
  errorStats?: ErrorStats;
  deviationStats?: DeviationStats;
  calibration: Calibration | null;
  synthetic?: SyntheticCheck;
  shiftLimit?: number;
}

/** Nothing without a kept epoch (a run stopped before its first epoch ended). */
export async function keepBestEpoch(a: KeptEpochArgs): Promise<void> {
  const { nets, options: o, set, split, snapshot, microBatch, progress } = a;
  const { best } = snapshot;
  if (!best) return;
  writeWeights(nets.netG.models, best.netG);
  writeWeights(nets.netD.models, best.netD);
  // With the kept weights, as they will score: picks the 'auto' score kind without test labels.
  // Folded as a saved model is when it is loaded, so calibration sees the very computation scoring runs.
  const model: ScoringModel = { netG: nets.netG, netD: nets.netD, isize: o.isize, nc: o.nc, meanImage: snapshot.meanImage,
    folded: await FoldedNets.fold(nets.netG, nets.netD) };
  try {
    // Where good parts are usually reconstructed poorly, from training images (patch mode: their fixed crops),
    // so recon-z is calibrated and checked on validation images that took no part in it.
    const statsFrom = split.train.slice(0, ERROR_STATS_IMAGES);
    // The same images give the normalised baseline's statistics (whole images: a patch has no fixed place).
    const deviations = set.patches ? undefined : new DeviationStatsSum(snapshot.meanImage, o.nc);
    model.errorStats = snapshot.errorStats = await errorStats(model, (async function* () {
      for (const batch of batchesOf(statsFrom, microBatch)) {
        const x = await set.load(batch, { view: 0 });
        deviations?.add(x, batch.length);
        yield { x, n: batch.length };
      }
    })());
    if (deviations) model.deviationStats = snapshot.deviationStats = deviations.result(SPREAD_FLOOR);
    if (set.patches) {
      // Patch mode scores an image by its worst patch over the whole grid: calibration and the check too
      // (each epoch's fixed crops only choose the kept epoch).
      const source = set.patches;
      progress({ phase: 'validating', epoch: snapshot.epoch, batch: 0, imagesPerSecond: NaN, etaSeconds: NaN,
        message: `scoring the ${split.validation.length} validation images patch by patch (calibration and synthetic defects)` });
      const pv = await patchValidation({ model, image: (i) => source.image(i), indices: split.validation, seed: o.seed, batchSize: microBatch, leftOut: set.leftOut });
      snapshot.calibration = buildCalibration(pv.scores);
      snapshot.synthetic = pv.synthetic;
    } else {
      // The check scores the validation images as they are too: those scores calibrate (recon-z included now).
      const check = await syntheticCheck({ model, set, indices: split.validation, seed: o.seed, batchSize: microBatch });
      snapshot.calibration = buildCalibration(check.scores);
      snapshot.synthetic = check.synthetic;
      // Robust: the largest of 24 held-out tyres was 0.20 or 0.87 by which tyres were held out.
      if (check.shifts.length) snapshot.shiftLimit = farOutLimit(scoreStats(check.shifts));
    }
  } finally {
    model.folded?.dispose();
  }
}
