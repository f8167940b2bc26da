// The names every layer shares (engine, store, API, renderer). Each set of names is declared here once,
// as a constant, and its type derives from it; everything else imports them.
// test/unit/architecture/vocabulary.test.ts fails when a set is spelled out again anywhere else.
// Pure data, no imports: the renderer may import these constants too.

const names = <const T extends readonly string[]>(...list: T) => list;

// Images
export const LABELS = names('good', 'defect');
export type Label = (typeof LABELS)[number];
/** A label filter: a label, or images without one. */
export const LABEL_FILTERS = names(...LABELS, 'unlabeled');
export type LabelFilter = (typeof LABEL_FILTERS)[number];
/** A filter that may also show every image. */
export type LabelChoice = 'all' | LabelFilter;
export const SPLITS = names('train', 'test');
export type Split = (typeof SPLITS)[number];
/** What a reviewer may decide about an image. */
export const DECISIONS = names('good', 'defect', 'unsure');
export type Decision = (typeof DECISIONS)[number];

// Scores
/** Every score an image gets; `baseline` is model-free and never a model's own kind. */
export const SCORE_KINDS = names('recon-top1', 'ssim', 'feature', 'latent', 'recon-z', 'baseline');
export type ScoreKind = (typeof SCORE_KINDS)[number];
/** The kinds a model may rank by. */
export const MODEL_SCORE_KINDS = names('recon-top1', 'ssim', 'feature', 'latent', 'recon-z');
/** What a user may ask a model to rank by: a kind, or 'auto' (chosen on synthetic defects after training). */
export const SCORE_KIND_CHOICES = names('auto', ...MODEL_SCORE_KINDS);
export type ScoreKindChoice = (typeof SCORE_KIND_CHOICES)[number];
export type ModelScoreKind = (typeof MODEL_SCORE_KINDS)[number];
/** Which kinds a scoring run computes: every kind, or the model's ('model': latent and feature only when one is the model's kind). */
export const SCORE_KIND_SETS = names('all', 'model');
export type ScoreKindSet = (typeof SCORE_KIND_SETS)[number];
export const THRESHOLD_SOURCES = names('manual', 'best-f1', 'percentile', 'recall');
export type ThresholdSource = (typeof THRESHOLD_SOURCES)[number];
/** How a threshold can be suggested. */
export const SUGGEST_METHODS = names('best-f1', 'percentile', 'recall');
export type SuggestMethod = (typeof SUGGEST_METHODS)[number];
export const RANKING_SORTS = names('score-desc', 'score-asc', 'newest', 'path', 'review-time');
export type RankingSort = (typeof RANKING_SORTS)[number];
export const EXPORT_FORMATS = names('csv', 'json');
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const MEDIA_VARIANTS = names('original', 'thumb', 'recon', 'diff', 'region');
export type MediaVariant = (typeof MEDIA_VARIANTS)[number];

// Training: the engine's loss names, kept unchanged from the engine to the screen.
/** errD: discriminator BCE; errG = wAdv·errGAdv + wCon·errGCon + wEnc·errGEnc. */
export const LOSS_NAMES = names('errD', 'errG', 'errGAdv', 'errGCon', 'errGEnc');
export type LossName = (typeof LOSS_NAMES)[number];
/** The engine's training phases; they travel unchanged into the job's progress. */
export const TRAIN_PHASES = names('planning', 'training', 'validating');
export type TrainPhase = (typeof TRAIN_PHASES)[number];

// Jobs, models, runs, imports
export const JOB_KINDS = names('train', 'score', 'import');
export type JobKind = (typeof JOB_KINDS)[number];
export const JOB_STATUSES = names('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted');
export type JobStatus = (typeof JOB_STATUSES)[number];
/** How a job can end. */
export const JOB_ENDINGS = names('done', 'failed', 'cancelled', 'interrupted');
export type JobEnding = (typeof JOB_ENDINGS)[number];
/** Endings that are not success. */
export type JobFailure = Exclude<JobEnding, 'done'>;
export const MODEL_STATUSES = names('training', 'ready', 'failed', 'cancelled', 'interrupted');
export type ModelStatus = (typeof MODEL_STATUSES)[number];
export const RUN_STATUSES = names('running', ...JOB_ENDINGS);
export type RunStatus = (typeof RUN_STATUSES)[number];
export const IMPORT_STATUSES = names('running', 'done', 'interrupted');
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
/** Which images a scoring job takes: all of them, or those without a score yet. */
export const SCORING_SCOPES = names('all', 'missing');
export type ScoringScope = (typeof SCORING_SCOPES)[number];

// Compute backends the engine can run on, in the order 'auto' tries them, and what a user may ask for.
export const BACKEND_NAMES = names('tensorflow', 'webgpu', 'wasm', 'cpu');
export type BackendName = (typeof BACKEND_NAMES)[number];
export const BACKEND_PREFERENCES = names('auto', ...BACKEND_NAMES);
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];

// The app
export const APP_MODES = names('electron', 'web');
export type AppMode = (typeof APP_MODES)[number];
/** What a native dialog picks. */
export const PICK_KINDS = names('folders', 'files');
export type PickKind = (typeof PICK_KINDS)[number];
