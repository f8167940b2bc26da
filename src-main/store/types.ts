// Row types the store hands out. Times are milliseconds since the Unix epoch; JSON columns are parsed.

import type { Decision, ImportStatus, JobKind, JobStatus, Label, LossName, ModelStatus, RunStatus, ScoreKind, Split, ThresholdSource } from '../shared/vocabulary';

export type { Decision, ImportStatus, JobKind, JobStatus, Label, ModelStatus, RunStatus, ScoreKind, Split, ThresholdSource } from '../shared/vocabulary';
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Project {
  id: number;
  name: string;
  createdAt: number;
  /** When its day starts, minutes after midnight (its lots are a day's imports: shared/lots). */
  dayStart: number;
}

export interface ImportCounts {
  seen: number;
  imported: number;
  /** Same content as an image already in the project, found at another path that still exists. */
  duplicate: number;
  /** Already in the project at the same path (re-import). */
  skipped: number;
  /** Skipped: segmentation masks (MVTec ground_truth/), not part images. */
  masks: number;
  /** Skipped: named like an image but not a regular file (a FIFO, socket or device). */
  notFiles: number;
  /** Known content found at a new path while its old path is gone: the row was moved. */
  moved: number;
  failed: number;
}

export interface ImportRow extends ImportCounts {
  id: number;
  projectId: number;
  roots: string[];
  status: ImportStatus;
  startedAt: number;
  finishedAt: number | null;
}

export interface ImportErrorRow {
  id: number;
  importId: number;
  path: string;
  kind: string;
  message: string;
}

export interface ImageRow {
  id: number;
  projectId: number;
  path: string;
  hash: string;
  width: number;
  height: number;
  channels: 1 | 3;
  hasAlpha: boolean;
  format: string;
  bitDepth: number;
  bytes: number;
  /** File modification time when last seen; lets a re-import skip unchanged files without decoding them. */
  mtimeMs: number | null;
  label: Label | null;
  split: Split | null;
  defectType: string | null;
  /** Absolute directory that holds the file. */
  folder: string;
  importId: number | null;
  thumbnailPath: string | null;
  addedAt: number;
  missing: boolean;
}

export interface ModelRow {
  id: number;
  projectId: number;
  name: string;
  options: Json;
  backend: Json;
  /** sha256 over the sorted content hashes of the training images (see models.ts). */
  fileListHash: string;
  validationStats: Json;
  /** 'auto' until training has chosen the kind on synthetic defects. */
  scoreKind: ScoreKind | 'auto';
  /** Patch mode's crop scale (native pixels per model pixel, chosen at training), null = whole images
   *  (also before training has chosen and for models older than patch mode). */
  patchScale: number | null;
  weightsDir: string | null;
  status: ModelStatus;
  createdAt: number;
  trainingMs: number | null;
  /** Images of this project the model trained or validated on (for a model brought in: those whose content it lists). */
  trainCount: number;
  /** The model folder a model trained elsewhere was brought in from; null for one trained in this library. */
  importedFrom: string | null;
}

export interface TrainingRun {
  id: number;
  modelId: number;
  jobId: number | null;
  status: RunStatus;
  startedAt: number;
  finishedAt: number | null;
  epochKept: number | null;
  error: string | null;
}

/** The engine's loss names (vocabulary LOSS_NAMES); the columns err_adv/err_con/err_enc hold the generator parts. */
export type EpochLosses = Record<LossName, number | null>;

export interface TrainingEpoch extends EpochLosses {
  runId: number;
  epoch: number;
  validation: Json;
  seconds: number;
}

export interface ScoreRow {
  modelId: number;
  imageId: number;
  latent: number | null;
  reconTop1: number | null;
  ssim: number | null;
  feature: number | null;
  reconZ: number | null;
  baseline: number | null;
  /** Whole-image models: the image's capture shift (median normalised deviation from the mean image); else null. */
  shift: number | null;
  /** The raw score of the model's chosen kind: what thresholds and ranking use. */
  score: number;
  calibrated: number | null;
  percentile: number | null;
  reconMapPath: string | null;
  diffMapPath: string | null;
  scoredAt: number;
}

export interface Threshold {
  id: number;
  modelId: number;
  /** On the raw `score` scale: flagged means score >= value. */
  value: number;
  /** Lower edge of the 'uncertain' band (lower <= score < value), or null for none. */
  lower: number | null;
  source: ThresholdSource;
  createdAt: number;
}

export interface Review {
  id: number;
  imageId: number;
  modelId: number | null;
  /** null on an undo back to unreviewed; an undo that restores an earlier decision has that decision. */
  decision: Decision | null;
  note: string | null;
  createdAt: number;
  /** On an undo: the review it takes back (either kind); null on a decision. */
  reverts: number | null;
  /** Who made it, as they gave their name; null when none was given (and for reviews made before names were kept). */
  reviewer: string | null;
}

export interface Job {
  id: number;
  projectId: number | null;
  kind: JobKind;
  status: JobStatus;
  params: Json;
  progress: number;
  phase: string | null;
  message: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  result: Json;
}
