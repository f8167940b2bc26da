// What the store records of a finished model, from the engine's own account of it: each epoch's figures and
// the validation statistics. One place, so a model trained here and one brought in from another machine
// read the same. No TensorFlow.js: the main process uses it.
import type { ModelMeta } from '../engine/model-dir';
import type { EpochRecord as EngineEpoch } from '../engine/trainer';
import type { NewEpoch } from '../store';
import type { EpochRecord, TrainValidation } from './protocol';

/** One epoch as the store keeps it: train losses, and validation losses plus score summaries. */
export function epochMessage(e: EngineEpoch, bestEpoch: number): EpochRecord {
  const validation: Record<string, number> = { ...e.validation };
  for (const [kind, s] of Object.entries(e.validationScores)) {
    if (!s) continue;
    validation[`${kind}.mean`] = s.mean;
    validation[`${kind}.median`] = s.median;
    validation[`${kind}.std`] = s.std;
  }
  return { epoch: e.epoch, losses: { ...e.train }, validation, seconds: e.seconds, imagesPerSecond: e.imagesPerSecond, bestEpoch };
}

const num = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

/** An epoch's record as a row of the store's training_epochs. */
export function storedEpoch(e: EpochRecord): NewEpoch {
  const l = e.losses;
  return {
    epoch: e.epoch, errG: num(l.errG), errD: num(l.errD), errGAdv: num(l.errGAdv), errGCon: num(l.errGCon), errGEnc: num(l.errGEnc),
    validation: e.validation, seconds: e.seconds,
  };
}

/** The saved model's validation statistics as the store keeps them (models.validationStats). */
export function modelValidation(meta: ModelMeta): TrainValidation {
  return {
    calibration: meta.calibration,
    epochKept: meta.epochKept,
    trainCount: meta.trainCount,
    validationCount: meta.validationCount,
    kept: meta.history.find((h) => h.epoch === meta.epochKept)?.validation ?? null,
    // Good validation images vs the same with pasted synthetic defects: AUROC per score kind.
    synthetic: meta.synthetic ?? null,
    // An image beyond it differs from the held-out good parts as a whole (results.scores: shifted).
    shiftLimit: meta.shiftLimit ?? null,
  };
}

/** Seconds the model's epochs took to train. */
export const trainingSeconds = (meta: Pick<ModelMeta, 'history'>): number => meta.history.reduce((a, h) => a + h.seconds, 0);
