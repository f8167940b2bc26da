// Shapes the API returns. Plain types (no runtime code) so the renderer can `import type` them.
import type { GanomalyOptions, OptionField, OptionKey } from '../engine/options';
import type { HeldOutF1 } from '../engine/held-out';
export type { HeldOutF1 };

export type { GanomalyOptions, OptionField, OptionKey, OptionsPatch } from '../engine/options';
export type { RunPlan } from '../engine/run-plan';
export type { TrainingEstimate } from '../jobs/training-estimate';

import type {
  AppMode, BackendName, Decision, ImportStatus, JobKind, JobStatus, Label, MediaVariant, ScoreKind, Split, SuggestMethod, ThresholdSource,
} from '../shared/vocabulary';

export type * from '../shared/vocabulary';

/** Every failure crosses the boundary as this object, never as a thrown stack. */
export type ErrorCode =
  | 'bad-request' // input failed the contract's schema
  | 'unknown-request' // no such request name
  | 'not-found' // an id that does not exist
  | 'conflict' // e.g. a job already running for this model
  | 'not-available' // a feature this build or mode does not have (yet)
  | 'unauthorized' // web mode request without the printed token
  | 'forbidden' // e.g. a media path the library does not know
  | 'too-large' // a web mode request body or uploaded file over its size limit
  | 'internal';
export interface ApiError { code: ErrorCode; message: string; issues?: Array<{ path: string; message: string }> }
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ApiError };

export interface AppInfo { name: string; version: string; mode: AppMode; platform: string; dataDir: string; dbPath: string }
/** adapter: the GPU adapter's name (webgpu); reason: why this backend runs (what 'auto' skipped). */
export interface BackendInfo { name: BackendName; gpu: boolean; threads: number; detail: string; adapter?: string; reason?: string }

/** `dayStart`: when the project's day starts ("06:00"): its lots are a day's imports of the same folders. */
export interface Project { id: number; name: string; createdAt: string; imageCount: number; dayStart: string }

export interface PickPathsResult { available: boolean; paths: string[]; message?: string }
/** A backup of the library's database where the user chose (desktop): `path` null when the dialog was cancelled;
 *  `held` what the copy holds, in words ("1 project(s), 1074 images, 3 reviewed, 2 model(s)"). */
export interface LibraryBackupResult { available: boolean; path: string | null; held: string | null; modelsDir: string; message?: string }
/** A model saved as one .zip where the user chose (desktop); `path` null when the dialog was cancelled. */
export interface SaveArchiveResult { available: boolean; path: string | null; message?: string }

export interface ImportFailure { path: string; kind: string; message: string }
export interface ImportSummary {
  id: number; projectId: number; roots: string[]; status: ImportStatus;
  startedAt: string; finishedAt: string | null;
  seen: number; imported: number; duplicates: number;
  skipped: number; // already in the project at that path
  masks: number; notFiles: number; // skipped: segmentation masks; named like images but not regular files
  failed: number;
  failures: ImportFailure[]; // first page only; `failuresTotal` says how many exist
  failuresTotal: number;
  /** Files a browser uploaded (new parts come by another upload, not by reading these folders again). */
  uploaded: boolean;
}

export interface LibraryCounts {
  total: number; missing: number;
  byLabel: { good: number; defect: number; unlabeled: number };
  bySplit: { train: number; test: number; none: number };
  cells: Array<{ label: Label | null; split: Split | null; count: number }>;
  /** Images whose file is the library's own uploaded copy, and the disk those copies take. */
  uploaded: { images: number; bytes: number };
}
export interface UploadLimits {
  maxFileBytes: number; maxFilesPerRequest: number;
  /** Extensions the import reads inside folders (".png", ...): other files in a dropped folder are not sent. */
  imageExtensions: string[];
}
export interface UploadPlaceResult {
  placed: number;
  /** Sent back to the client to upload (by sha256), then place again. */
  missing: Array<{ path: string; sha256: string; bytes?: number }>;
  refused: Array<{ path: string; reason: string }>;
}
export interface ImageSummary {
  id: number; path: string; name: string; folder: string;
  /** The folder's own name as the user knows it (for an uploaded copy the folder it was dropped in; '' for a loose file). */
  folderName: string;
  label: Label | null; split: Split | null; defectType: string | null;
  width: number; height: number; channels: number; missing: boolean;
  thumbUrl: string; originalUrl: string;
  /** The file is a copy the library keeps from a browser upload (not the user's original). */
  uploaded: boolean;
}
export interface Page<T> { total: number; offset: number; items: T[] }

export interface EpochFigures {
  epoch: number; seconds: number;
  losses: Record<string, number>; // errD, errG, errGAdv, errGCon, errGEnc (training means)
  validation: Record<string, number>; // validation losses and score statistics
}
export interface ModelSummary {
  id: number; projectId: number; name: string; status: string; createdAt: string;
  /** As stored: complete for models trained by this version, possibly fewer for older ones. */
  options: Partial<GanomalyOptions>; scoreKind: ScoreKind | 'auto';
  /** Patch mode's crop scale chosen at training (native pixels per model pixel); null = whole images. */
  patchScale: number | null;
  /** Images it trained and validated on. */
  datasetSize: number; backend: BackendInfo | null; trainingSeconds: number | null;
  epochKept: number | null; validation: Record<string, unknown> | null; scoredCount: number;
  /** The project's present images this model has not scored: imported since it scored (or unreadable then). */
  unscoredCount: number;
  /** Images it trained or validated on that a review has since called defect or unsure: a new model leaves them out. */
  trainedOnRejected: number;
  /** Where its files are (model.json and weights), to bring it to another library: null until it is trained. */
  folder: string | null;
  /** A model trained elsewhere (models.import): the folder it was brought in from, and how many of the images it
   *  trained on (datasetSize, wherever they were) are in this project (marked trained on); null for one trained here. */
  imported: { from: string; inProject: number } | null;
}
/** The engine's defaults, help per option, and the fields the training form shows with their bounds. */
export interface TrainingDefaults { options: GanomalyOptions; help: Record<OptionKey, string>; fields: OptionField[] }
/** What a new model of a project would train on now (the main side's rule, jobs/training-set). */
export interface TrainingSetSummary {
  count: number;
  /** Which images, in words, e.g. "images labelled good (train split or no split)". */
  rule: string;
  /** 1 when every one is gray, else 3. */
  channels: 1 | 3;
  /** When a few colour images make a mostly gray set RGB, which ones, e.g. "z.jpg has colour, the other 48 are gray"; else ''. */
  colourNote: string;
  /** One of them at its own size (the first), to draw the inspection region on; null for none. */
  sampleUrl: string | null;
}
export interface ModelDetail extends ModelSummary { history: EpochFigures[]; runs: TrainingRun[] }
export interface TrainingRun { id: number; status: string; startedAt: string; finishedAt: string | null; epochKept: number | null; error: string | null }

export interface JobSummary {
  id: number; kind: JobKind; status: JobStatus; projectId: number | null; modelId: number | null;
  progress: number; phase: string; message: string;
  createdAt: string; startedAt: string | null; finishedAt: string | null;
  result: Record<string, unknown> | null;
}
export interface JobStarted { jobId: number; modelId?: number }
/** A followed camera folder: an import's folders imported again every `everySeconds`, what came in scored by `modelId`. */
export interface FollowState {
  projectId: number; importId: number; roots: string[]; modelId: number | null; everySeconds: number;
  since: string; lastLook: string | null;
  /** Images the last look brought in, and all looks together since this process began following. */
  lastNew: number; newTotal: number;
  /** Why the last look could not import or score (a folder unplugged, the model gone); null when it could. */
  lastError: string | null;
  looking: boolean;
  /** Parts come in since following began that the model flags at its saved threshold and nobody has reviewed yet,
   *  and when the newest came (the line's andon); null when no model scores them or it has no threshold. */
  flaggedUnreviewed: { count: number; newest: string | null } | null;
  /** The followed folders' newest lot (a day's looks; `id`: its first import, a Results filter; `day`: its day,
   *  "2026-12-01"; `from`: when it began) when it flags more than all the other lots beyond chance at the saved
   *  threshold (shared/lot-flags: a 3-sigma limit); null otherwise. */
  lotJump: { id: number; day: string; from: string; parts: number; flagged: number; restParts: number; restFlagged: number } | null;
}

/** `reviewer`: who made it, as they gave their name; null when none was given. */
export interface ReviewRow { id: number; imageId: number; modelId: number | null; decision: Decision | null; note: string; createdAt: string; reverts: number | null; reviewer: string | null }
export interface RankedImage extends ImageSummary {
  rank: number; // position in this listing (its sort and filters), 1-based
  score: number; calibrated: number | null; percentile: number | null;
  flagged: boolean; uncertain: boolean; review: ReviewRow | null;
  /** The model trained or validated on this image: its score says little about it, and it is no evidence in the figures. */
  trained: boolean;
}
export interface ScoreArrays {
  imageIds: number[]; scores: number[];
  labels: Array<Label | null>; // folder label
  decisions: Array<Decision | null>; // latest review
  trained: boolean[]; // in the model's training snapshot: not evidence for metrics
  defectTypes: Array<string | null>; // the defect folder's name (MVTec test/<kind>), when it gave one
  importIds: Array<number | null>; // the import (batch) that brought the image in
  /** The image's lot (an index in `lots`; shared/lots): the imports of the same folders on one day. */
  lotIds: Array<number | null>;
  lots: LotSummary[];
  /** Differs from the held-out good parts as a whole (capture shift beyond the model's limit: another camera,
   *  lighting?); null: the model cannot tell (a patch model, or one saved before). */
  shifted: boolean[] | null;
}
/** A lot as the Threshold screen names it: its first import (`id`: a Results filter, `lot`, lists its parts), its
 *  folders, its day ("2026-12-01", the project's day start's: shared/lots), when its first and last import started,
 *  how many imports. */
export interface LotSummary { id: number; roots: string[]; day: string; from: string; to: string; imports: number }
export interface HistogramBin { from: number; to: number; good: number; defect: number; unlabeled: number }
export interface Histogram { min: number; max: number; bins: HistogramBin[]; labelSource: 'label' | 'review' }
export interface ThresholdCounts {
  threshold: number; lower: number | null; total: number; flagged: number; uncertain: number;
  confusion: { tp: number; fp: number; tn: number; fn: number } | null; // when labels exist
}
export interface ImageResult {
  image: ImageSummary; modelId: number;
  raw: Partial<Record<ScoreKind, number>>; scoreKind: ScoreKind | 'auto'; score: number;
  /** The model's crop scale: the score is the worst patch's (null: the whole image's). */
  patchScale: number | null; isize: number | null;
  /** The model's inspection region (shared/region text; null: the whole image). urls.region shows the original as
   *  the model saw it: cut to the region, the left-out areas filled. */
  region: string | null;
  /** The model's areas left out inside it (shared/left-out text; null: none). */
  leaveOut: string | null;
  calibrated: number | null; percentile: number | null;
  rank: number; total: number; // where it falls in the ranking
  flagged: boolean; uncertain: boolean; threshold: number | null;
  /** The model trained or validated on this image (as on RankedImage). */
  trained: boolean;
  /** Whole-image models with a capture-shift limit: the image's shift (median normalised deviation from the mean
   *  image), the limit, and whether it lies beyond (the part differs as a whole); null when the model cannot tell. */
  shift: { value: number; limit: number; differs: boolean } | null;
  urls: Record<MediaVariant, string | null>;
  /** The image's reviews, newest first (as `reviews.history`): the first is its current state. */
  reviews: ReviewRow[];
  /** Its content's reviews in this project before its folder was taken out (imported again since), newest first. */
  reviewsBefore: Array<ReviewRow & { removedAt: string }>;
  /** Unreviewed since it was imported again: the decision a new model's training set counts it with (the training-set
   *  rule's, `reviews.carriedDecisions`); else null. */
  countedAs: Decision | null;
}

export interface ThresholdRow { id: number; modelId: number; value: number; lower: number | null; source: ThresholdSource; createdAt: string }
export interface ThresholdState { current: ThresholdRow | null; history: ThresholdRow[] }
export interface ThresholdSuggestion {
  method: SuggestMethod; value: number;
  f1?: number; precision?: number; recall?: number; percentile?: number;
  basis: string; // in words: "best F1 over 431 labelled images", "99th percentile of 47 validation scores"
  /** method 'recall': good parts it flags too, of how many. */
  falseAlarms?: { flagged: number; of: number };
  /** method 'recall': known defects caught with each left out of the choice in turn (null under two defects). */
  heldOutRecall?: { caught: number; of: number } | null;
  /** method 'best-f1': F1 on parts the threshold was not chosen on, folds pooled (null under two of a class). */
  heldOutF1?: HeldOutF1 | null;
}

export interface MetricsResult {
  available: boolean; reason?: string; // e.g. "no defect labels"
  positives: number; negatives: number;
  auroc: number | null; averagePrecision: number | null;
  roc: Array<{ fpr: number; tpr: number; threshold: number }>;
  pr: Array<{ recall: number; precision: number; threshold: number }>;
  bestF1: { f1: number; threshold: number; precision: number; recall: number } | null;
  /** Best F1 judged on parts its threshold was not chosen on (engine/held-out; null under two parts of a class). */
  heldOutF1: HeldOutF1 | null;
  /** The model-free baseline (top 1 % of |x - mean good image|) on the same images: what the model has to beat. Null when a score lacks it.
   *  lead: the 95 % interval of the model's AUROC minus the baseline's (DeLong; null bounds with under 2 parts of a class). */
  baseline: { auroc: number; averagePrecision: number; lead: { low: number | null; high: number | null } } | null;
  /** Per kind of defect, each against every good part: which kinds the model finds and which it misses. Empty
   *  unless the defective parts come in two kinds or more. */
  byDefectKind: DefectKindFigures[];
  /** How many of the good and of the defective parts differ from the held-out good parts as a whole (each part's
   *  shift beyond the model's saved limit, shared/capture-shift); null when the model cannot tell. */
  shifted: { good: number; defective: number } | null;
}

export interface ModelComparison {
  /** Parts both models scored, with a known answer, that neither trained on. */
  defective: number; good: number;
  /** Each model's AUROC on those parts (null without both classes). */
  auroc: number | null; otherAuroc: number | null;
  /** This model's AUROC minus the other's, with its 95 % interval (DeLong; null bounds under 2 parts of a class). */
  lead: { value: number; low: number | null; high: number | null } | null;
  /** Whether these parts settle which model ranks better (the interval leaves out 0); null when it cannot be told. */
  settled: boolean | null;
  /** The comparison in words. */
  text: string;
}

export interface DefectKindFigures {
  /** The defect folder's name (MVTec test/<kind>); null: a defect folder naming no kind (ng, defect) or a part reviewed defect. */
  kind: string | null;
  parts: number;
  auroc: number;
  /** The model-free baseline's AUROC on the same parts (null when a score lacks it). */
  baselineAuroc: number | null;
  /** How many score at or above the current threshold (null without one). */
  caught: number | null;
  /** How many differ from the held-out good parts as a whole (null when the model cannot tell). */
  shifted: number | null;
}

export interface ExportText { filename: string; mime: string; text: string; rows: number }
