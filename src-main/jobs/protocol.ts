// The one message protocol between the main process (sole SQLite writer) and the job process (engine +
// image decoding). Messages travel by structured clone (fork 'advanced' serialization / Electron
// postMessage), so NaN and typed arrays survive. Every message from the other side is parsed with these
// schemas: a malformed message becomes a clear job error, never a crash of the main process.
import { z } from 'zod';
import type { ScoreStats } from '../engine/calibration';
import { ganomalyOptionsSchema } from '../engine/options';
import type { StepTiming } from '../engine/step-timing';
import type { SyntheticCheck } from '../engine/synthetic-check';
import { BACKEND_PREFERENCES, MODEL_SCORE_KINDS, SCORE_KIND_SETS, SCORE_KINDS, type ScoreKind } from '../shared/vocabulary';

export type { BackendPreference } from '../shared/vocabulary';
export const backendPreference = z.enum(BACKEND_PREFERENCES);

/** Data-parallel training replicas: 'auto' (the engine's choice for the backend) or a count. */
export const workersPreference = z.union([z.literal('auto'), z.number().int().positive()]);
export type WorkersPreference = z.infer<typeof workersPreference>;

const imageRef = z.object({ id: z.number().int(), path: z.string(), hash: z.string() });
export type ImageRef = z.infer<typeof imageRef>;

export const checkpointRef = z.object({ epoch: z.number().int().nonnegative(), dir: z.string() });
export type CheckpointRef = z.infer<typeof checkpointRef>;

/** Everything the child needs to train; built by the queue from the store. */
export const trainTask = z.object({
  kind: z.literal('train'),
  jobId: z.number().int(),
  modelId: z.number().int(),
  /** The model's complete engine options, parsed when it was queued (the runner reads isize and nc from them). */
  options: ganomalyOptionsSchema,
  images: z.array(imageRef),
  fileListHash: z.string(),
  /** The final model dir (the kept epoch), written once training ends. */
  modelDir: z.string(),
  /** Per-epoch checkpoints go here, each as epoch-NNNN, written to a temp name and renamed. */
  checkpointsDir: z.string(),
  resumeFrom: checkpointRef.nullable(),
  backend: backendPreference,
  workers: workersPreference.default('auto'),
});
export type TrainTask = z.infer<typeof trainTask>;

export const scoreTask = z.object({
  kind: z.literal('score'),
  jobId: z.number().int(),
  modelId: z.number().int(),
  modelDir: z.string(),
  /** Reconstruction and difference maps go here, named by image hash (by the runner's caller in folder mode); null: none. */
  mapsDir: z.string().nullable(),
  images: z.array(imageRef),
  batchSize: z.number().int().positive(),
  backend: backendPreference,
  /** 'model': the feature score only when it is the model's kind (it costs two passes of D); 'all': every kind. */
  kinds: z.enum(SCORE_KIND_SETS).default('model'),
});
export type ScoreTask = z.infer<typeof scoreTask>;

/** Times training steps with these options on random images (the ETA before training); no job row. */
export const timeTask = z.object({
  kind: z.literal('time'),
  options: ganomalyOptionsSchema,
  backend: backendPreference,
  workers: workersPreference.default('auto'),
  /** Steps timed after a warm-up step. */
  steps: z.number().int().min(1).max(20).default(2),
});
export type TimeTask = z.infer<typeof timeTask>;

export const jobTask = z.discriminatedUnion('kind', [trainTask, scoreTask, timeTask]);
export type JobTask = z.infer<typeof jobTask>;

export const parentMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), task: jobTask }),
  z.object({ type: z.literal('cancel') }),
]);
export type ParentMessage = z.infer<typeof parentMessage>;

/** Any number, NaN and Infinity included: a diverged loss must reach the user, not fail the message. */
const anyNumber = z.custom<number>((v) => typeof v === 'number', { message: 'expected a number' });
const numberMap = z.record(z.string(), anyNumber);

/** A live snapshot of where a job stands; also what `JobQueue.subscribe` listeners receive. */
export const progressFields = z.object({
  phase: z.string(),
  /** 0..1 over the whole job. */
  progress: z.number().min(0).max(1),
  epoch: z.number().int().optional(),
  epochs: z.number().int().optional(),
  batch: z.number().int().optional(),
  batches: z.number().int().optional(),
  losses: numberMap.optional(),
  /** Validation figures of the last finished epoch. */
  validation: numberMap.optional(),
  imagesPerSecond: anyNumber.optional(),
  etaSeconds: anyNumber.optional(),
  message: z.string().optional(),
  /** Live TensorFlow.js tensors in the job process: growth across batches would be a leak. */
  tensors: z.number().int().optional(),
});
export type ProgressFields = z.infer<typeof progressFields>;

export const epochRecord = z.object({
  epoch: z.number().int(),
  losses: numberMap,
  validation: numberMap,
  seconds: anyNumber,
  imagesPerSecond: anyNumber.optional(),
  /** The epoch whose weights are kept so far (lowest validation loss). */
  bestEpoch: z.number().int(),
});
export type EpochRecord = z.infer<typeof epochRecord>;

export const scoreRow = z.object({
  imageId: z.number().int(),
  // Absent when not computed (kinds 'model': latent and feature only for a model ranking by them).
  latent: anyNumber.optional(),
  reconTop1: anyNumber,
  // Absent from rows of a job process older than this kind.
  ssim: anyNumber.optional(),
  // Absent for models saved before recon-z (no error statistics) and from older job processes.
  reconZ: anyNumber.optional(),
  feature: anyNumber.optional(),
  baseline: anyNumber,
  /** The baseline normalised per pixel and the image's capture shift (services/score-images); absent for patch
   *  models and models saved before them. baselineZ is for `eval` only (not stored). */
  baselineZ: anyNumber.optional(),
  shift: anyNumber.optional(),
  /** The model's chosen kind, raw. */
  score: anyNumber,
  calibrated: anyNumber,
  percentile: anyNumber,
  reconPath: z.string().nullable(),
  diffPath: z.string().nullable(),
});
export type ScoreRow = z.infer<typeof scoreRow>;

/** One score kind's validation statistics (engine/calibration.ts ScoreStats). */
const scoreStats = z.object({
  count: z.number().int(), mean: anyNumber, std: anyNumber, median: anyNumber, mad: anyNumber, sorted: z.array(anyNumber),
}) satisfies z.ZodType<ScoreStats>;

/** Good validation images vs the same with synthetic defects (engine/synthetic-check.ts). */
const syntheticCheck = z.object({
  good: z.number().int(), defective: z.number().int(),
  auroc: z.record(z.enum(SCORE_KINDS), anyNumber), best: z.enum(MODEL_SCORE_KINDS),
}) satisfies z.ZodType<SyntheticCheck>;

/**
 * What the train runner saves as a model's validation statistics (the store keeps it as JSON, the
 * threshold suggestions read the calibration's samples back through this schema).
 */
export const trainValidation = z.object({
  /** Per score kind; models saved before a kind existed lack its entry. */
  calibration: z.partialRecord(z.enum(SCORE_KINDS), scoreStats),
  epochKept: z.number().int(),
  trainCount: z.number().int(),
  validationCount: z.number().int(),
  /** The kept epoch's validation losses. */
  kept: numberMap.nullable(),
  /** Null for a model saved without the check; absent in results older than it. */
  synthetic: syntheticCheck.nullish(),
  /** Whole images: where the validation images' capture shifts reach a calibrated 3 (null for patch models; absent in older results). */
  shiftLimit: z.number().nullish(),
});
export type TrainValidation = z.infer<typeof trainValidation>;

// Readers of one field of a model's saved validation statistics (the store's JSON column), each tolerant of
// models saved before the field existed.

/** The ascending validation scores of a score kind; null: none saved (e.g. 'auto' before it is resolved). */
export function savedValidationSample(stats: unknown, kind: string): number[] | null {
  // Only the calibration: stored JSON turns a NaN elsewhere (a synthetic AUROC) into null.
  const parsed = trainValidation.pick({ calibration: true }).safeParse(stats);
  return parsed.success ? parsed.data.calibration[kind as ScoreKind]?.sorted ?? null : null;
}

/** A model's capture-shift limit from its saved validation statistics; null: none saved (patch models, older models). */
export function savedShiftLimit(stats: unknown): number | null {
  const parsed = trainValidation.pick({ shiftLimit: true }).safeParse(stats);
  return parsed.success ? parsed.data.shiftLimit ?? null : null;
}

export const trainResult = z.object({
  kind: z.literal('train'),
  modelDir: z.string(),
  epochKept: z.number().int(),
  epochsRun: z.number().int(),
  scoreKind: z.enum(MODEL_SCORE_KINDS),
  /** Patch mode's crop scale (options.crop resolved), null for whole images; absent in older results. */
  patchScale: z.number().nullish(),
  validation: trainValidation,
  backend: z.object({
    name: z.string(), gpu: z.boolean(), threads: z.number(), detail: z.string(), adapter: z.string().optional(), reason: z.string().optional(),
  }),
  trainingSeconds: z.number(),
});
export type TrainResult = z.infer<typeof trainResult>;

export const scoreResult = z.object({
  kind: z.literal('score'),
  scored: z.number().int(),
  /** Images that could not be read; they stay unscored, so a later run retries them. */
  failed: z.array(z.object({ imageId: z.number().int(), message: z.string() })),
});
export type ScoreResult = z.infer<typeof scoreResult>;

/** What a time task measured (engine/step-timing.ts StepTiming), and on which backend. */
export const timeResult = z.object({
  kind: z.literal('time'),
  stepSeconds: z.number(),
  startSeconds: z.number(),
  bnSecondsPerImage: z.number(),
  validationSecondsPerImage: z.number(),
  bnImageCap: z.number().int(),
  steps: z.number().int(),
  workers: z.number().int(),
  backend: z.string(),
  /** describeBackend's line. */
  backendDetail: z.string(),
}) satisfies z.ZodType<StepTiming & { kind: 'time'; backendDetail: string }>;
export type TimeResult = z.infer<typeof timeResult>;

export const childMessage = z.discriminatedUnion('type', [
  progressFields.extend({ type: z.literal('progress') }),
  epochRecord.extend({ type: z.literal('epoch') }),
  /** Sent only after the checkpoint's files are complete on disk under their final name. */
  checkpointRef.extend({ type: z.literal('checkpoint') }),
  z.object({ type: z.literal('scores'), rows: z.array(scoreRow) }),
  z.object({ type: z.literal('done'), cancelled: z.boolean(), result: z.discriminatedUnion('kind', [trainResult, scoreResult, timeResult]).nullable() }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type ChildMessage = z.infer<typeof childMessage>;

/** Parse a message from the child; a bad one is turned into an error message that names the problem. */
export function parseChildMessage(raw: unknown): ChildMessage {
  const r = childMessage.safeParse(raw);
  if (r.success) return r.data;
  const type = typeof raw === 'object' && raw !== null && 'type' in raw ? String((raw as { type: unknown }).type) : '?';
  return { type: 'error', message: `job process sent a malformed '${type}' message: ${r.error.issues[0]?.message ?? 'invalid'}` };
}
