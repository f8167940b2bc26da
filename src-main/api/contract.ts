// The one API contract: every request (name, zod input schema, output type) and every event.
// Main-process handlers are typed by it and validate inputs with it; the renderer's client derives
// its types from it with `import type` only, so zod never ships to the renderer.
import { z } from 'zod';
import { checkedText, optionsPatchSchema } from '../engine/options';
import {
  BACKEND_PREFERENCES, DECISIONS, EXPORT_FORMATS, LABEL_FILTERS, PICK_KINDS, RANKING_SORTS, SCORING_SCOPES, SPLITS, SUGGEST_METHODS,
  THRESHOLD_SOURCES,
} from '../shared/vocabulary';
import { parseDayStart } from '../shared/lots';
import type * as T from './types';

export type * from './types';

const id = z.number().int().positive();
const split = z.enum(SPLITS);
const decision = z.enum(DECISIONS);
/** A reviewer's name as typed: trimmed, no control characters; empty or absent is no name. */
// eslint-disable-next-line no-control-regex
const reviewer = z.string().trim().max(100).regex(/^[^\u0000-\u001f\u007f]*$/, 'a name without control characters').default('');
const labelFilter = z.enum(LABEL_FILTERS);
const none = z.object({}).strict().optional();
const page = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) };

/** Training options the UI may set: the engine's schema, every field optional; omitted ones take the
 *  engine's defaults (isize 32, epochs 15, ...). */
export const trainOptionsInput = optionsPatchSchema;

/** Filters shared by the ranking and the counts; `threshold` overrides the saved one (slider preview). */
const rankingFilter = z
  .object({
    flagged: z.boolean().optional(),
    unreviewed: z.boolean().optional(),
    label: labelFilter.optional(),
    split: split.optional(),
    folder: z.string().min(1).optional(),
    /** Only images that came in at or after this time: a followed folder's since (follow.get). */
    since: z.iso.datetime().optional(),
    /** Only the parts of the lot that holds this import (results.scores' lots[].id: its first import). */
    lot: id.optional(),
    /** Leave out the images the model trained or validated on (their scores are no evidence). */
    notTrained: z.boolean().optional(),
    /** Only parts whose file name holds this text, in any case: a serial number the line asks about. */
    name: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

// A request = its input schema plus a phantom output type (never read at run time).
const req = <O>() => <I extends z.ZodType>(input: I) => ({ input, output: undefined as unknown as O });

export const requests = {
  'app.info': req<T.AppInfo>()(none),
  'backend.info': req<T.BackendInfo>()(none),

  'projects.list': req<T.Project[]>()(none),
  'projects.create': req<T.Project>()(z.object({ name: z.string().trim().min(1).max(200) }).strict()),
  /** Renames a project ("default" to the line's name); the CLI's --project takes the new name. */
  'projects.rename': req<T.Project>()(z.object({ projectId: id, name: z.string().trim().min(1).max(200) }).strict()),
  /** When the project's day starts ("06:00"): its lots are a day's imports of the same folders, and a line whose night
   *  shift runs past midnight counts its day from its first shift. */
  'projects.setDayStart': req<T.Project>()(z.object({ projectId: id, dayStart: checkedText(parseDayStart) }).strict()),
  /** Deletes a project with its images' rows, models, scores and reviews (files on disk stay); refused while a job of it runs or waits. */
  'projects.delete': req<{ deleted: true }>()(z.object({ projectId: id }).strict()),

  /** Native folder/file dialog. In web mode it answers available=false: use the path field. */
  'dialog.pickPaths': req<T.PickPathsResult>()(
    z.object({ kind: z.enum(PICK_KINDS).default('folders'), title: z.string().max(200).optional() }).strict(),
  ),

  /** Imports folders and files (recursively); progress arrives as `import.progress` events. */
  'import.start': req<T.JobStarted>()(
    z.object({ projectId: id, paths: z.array(z.string().min(1).max(4096)).min(1).max(1000) }).strict(),
  ),
  'import.list': req<T.ImportSummary[]>()(z.object({ projectId: id }).strict()),
  /** Follows a camera folder: the import's folders are imported again every minute while this app or server runs, and
   *  `modelId` (when given) scores what came in. Not for uploads (a browser sends files only when they are dropped). */
  'follow.start': req<T.FollowState>()(z.object({ projectId: id, importId: id, modelId: id.nullable().default(null) }).strict()),
  'follow.stop': req<{ stopped: boolean }>()(z.object({ projectId: id }).strict()),
  /** What the project follows, or null. */
  'follow.get': req<T.FollowState | null>()(z.object({ projectId: id }).strict()),
  'import.summary': req<T.ImportSummary>()(
    z.object({ importId: id, failuresLimit: z.number().int().min(0).max(10_000).default(200) }).strict(),
  ),

  /** Browser uploads (web mode): what the server takes, then files by relative path and content hash. */
  'upload.limits': req<T.UploadLimits>()(none),
  /** Puts uploaded content at its relative path in the project's upload folder; answers what is still to send. */
  'upload.place': req<T.UploadPlaceResult>()(
    z
      .object({
        projectId: id,
        // Names are checked one by one (a hostile one is refused with its reason, the rest go on).
        files: z
          .array(z.object({ path: z.string().max(4096), sha256: z.string().max(64), bytes: z.number().int().min(0).optional() }).strict())
          .min(1)
          .max(2000),
      })
      .strict(),
  ),
  /** Imports placed uploads by their top-level names (the dropped folders and loose files). */
  'upload.import': req<T.JobStarted>()(
    z.object({ projectId: id, roots: z.array(z.string().min(1).max(1024)).min(1).max(1000) }).strict(),
  ),

  /** The whole library's database (every project) copied where the user picks in a save dialog, safe while it is written
   *  (desktop; a browser downloads GET /download/library.sqlite). */
  'library.backup': req<T.LibraryBackupResult>()(none),
  'library.counts': req<T.LibraryCounts>()(z.object({ projectId: id }).strict()),
  /** `uploadedAs`: for a folder of the library's uploaded copies, its path as the browser sent it ('' for loose files). */
  'library.folders': req<Array<{ folder: string; count: number; uploadedAs: string | null }>>()(z.object({ projectId: id }).strict()),
  /** Takes a folder's images out of the project (a folder imported by mistake); refused while a job of the project runs or waits. */
  'library.removeFolder': req<{ removed: number }>()(z.object({ projectId: id, folder: z.string().min(1) }).strict()),
  'library.images': req<T.Page<T.ImageSummary>>()(
    z
      .object({
        projectId: id,
        label: labelFilter.optional(),
        split: split.optional(),
        folder: z.string().min(1).optional(),
        ...page,
      })
      .strict(),
  ),

  'models.list': req<T.ModelSummary[]>()(z.object({ projectId: id }).strict()),
  'models.get': req<T.ModelDetail>()(z.object({ modelId: id }).strict()),
  /** Deletes a model with its scores, thresholds and files (reviews stay); refused while a job of it runs or waits. */
  'models.delete': req<{ deleted: true }>()(z.object({ modelId: id }).strict()),
  /** A new name, unique in the model's project. */
  'models.rename': req<T.ModelSummary>()(z.object({ modelId: id, name: z.string().trim().min(1).max(200) }).strict()),
  /** Brings a model trained elsewhere (its folder on this machine, with model.json, or its .zip) into the project, ready to score. */
  'models.import': req<T.ModelSummary>()(
    z.object({ projectId: id, folder: z.string().min(1).max(4096), name: z.string().trim().min(1).max(200).optional() }).strict(),
  ),
  /** The model's folder as one .zip, written where the user picks in a save dialog (desktop; a browser downloads GET /download/model/<id>.zip). */
  'models.saveArchive': req<T.SaveArchiveResult>()(z.object({ modelId: id }).strict()),
  /** The same from a browser (web mode): the folder's files (or one .zip of them), each sent first over PUT /upload/<sha256>, by name; `folder` is its name there. */
  'models.importUpload': req<T.ModelSummary>()(
    z
      .object({
        projectId: id,
        folder: z.string().trim().min(1).max(255),
        files: z.array(z.object({ name: z.string().min(1).max(255), sha256: z.string().max(64), bytes: z.number().int().min(0) }).strict()).min(1).max(64),
        name: z.string().trim().min(1).max(200).optional(),
      })
      .strict(),
  ),

  /** The engine's defaults and one-line explanations, for the training form. */
  'training.defaults': req<T.TrainingDefaults>()(none),
  /** The images a new model of the project would train on now: how many, chosen by which rule. */
  'training.set': req<T.TrainingSetSummary>()(z.object({ projectId: id }).strict()),
  /** Trains on the project's good images (train split when the folders say so). */
  'training.start': req<T.JobStarted>()(
    z
      .object({
        projectId: id,
        name: z.string().trim().min(1).max(200).optional(),
        options: trainOptionsInput.default({}),
        backend: z.enum(BACKEND_PREFERENCES).default('auto'),
      })
      .strict(),
  ),
  /** The plan (epochs, steps) and a measured ETA of training the project now with these options; may take
   *  seconds the first time (it times real steps in a job process). */
  'training.estimate': req<T.TrainingEstimate>()(
    z
      .object({
        projectId: id,
        options: trainOptionsInput.default({}),
        backend: z.enum(BACKEND_PREFERENCES).default('auto'),
      })
      .strict(),
  ),
  'training.resume': req<T.JobStarted>()(z.object({ modelId: id }).strict()),
  'training.cancel': req<{ cancelled: boolean }>()(z.object({ modelId: id }).strict()),
  /** Scores the project's images with a model: `missing` = only images not scored yet (resume). */
  'scoring.start': req<T.JobStarted>()(
    z.object({ modelId: id, scope: z.enum(SCORING_SCOPES).default('missing') }).strict(),
  ),

  'jobs.list': req<T.JobSummary[]>()(
    z.object({ projectId: id.optional(), active: z.boolean().optional() }).strict().default({}),
  ),
  'jobs.get': req<T.JobSummary>()(z.object({ jobId: id }).strict()),
  'jobs.cancel': req<{ cancelled: boolean }>()(z.object({ jobId: id }).strict()),

  'results.ranking': req<T.Page<T.RankedImage>>()(
    z
      .object({
        modelId: id,
        sort: z.enum(RANKING_SORTS).default('score-desc'),
        filter: rankingFilter.default({}),
        threshold: z.number().finite().optional(),
        ...page,
      })
      .strict(),
  ),
  /** All scores of a model in rank order, so the renderer's slider recomputes metrics at once. */
  'results.scores': req<T.ScoreArrays>()(z.object({ modelId: id }).strict()),
  'results.histogram': req<T.Histogram>()(
    z.object({ modelId: id, bins: z.number().int().min(2).max(500).default(50) }).strict(),
  ),
  'results.counts': req<T.ThresholdCounts>()(
    z
      .object({ modelId: id, threshold: z.number().finite().optional(), lower: z.number().finite().nullable().optional() })
      .strict(),
  ),
  'results.image': req<T.ImageResult>()(z.object({ modelId: id, imageId: id }).strict()),

  'thresholds.get': req<T.ThresholdState>()(z.object({ modelId: id }).strict()),
  'thresholds.set': req<T.ThresholdRow>()(
    z
      .object({
        modelId: id,
        value: z.number().finite(),
        lower: z.number().finite().nullable().default(null),
        source: z.enum(THRESHOLD_SOURCES).default('manual'),
      })
      .strict()
      .refine((v) => v.lower === null || v.lower <= v.value, {
        message: 'lower must be at most value',
        path: ['lower'],
      }),
  ),
  'thresholds.suggest': req<T.ThresholdSuggestion>()(
    z
      .object({
        modelId: id,
        method: z.enum(SUGGEST_METHODS),
        percentile: z.number().min(50).max(100).default(99),
        /** method 'recall': the share of known defects, in %, the threshold must flag. */
        recall: z.number().min(50).max(100).default(95),
      })
      .strict(),
  ),

  'metrics.get': req<T.MetricsResult>()(z.object({ modelId: id }).strict()),
  /** Two models of a project on the parts both scored, with a known answer, that neither trained on. */
  'metrics.compare': req<T.ModelComparison>()(z.object({ modelId: id, otherId: id }).strict()),

  /** `reviewer`: who decides, as they gave their name (kept with the review; empty: none given). */
  'reviews.add': req<T.ReviewRow>()(
    z.object({ imageId: id, modelId: id.nullable().default(null), decision, note: z.string().max(2000).default(''), reviewer }).strict(),
  ),
  /** Appends a review that restores the previous state (audit trail kept, with who took it back); null when nothing to undo. */
  'reviews.undo': req<T.ReviewRow | null>()(z.object({ imageId: id, reviewer }).strict()),
  'reviews.history': req<T.ReviewRow[]>()(z.object({ imageId: id }).strict()),
  /** Flagged + uncertain images of a model, most anomalous first. */
  'reviews.queue': req<T.Page<T.RankedImage> & { remaining: number }>()(
    z.object({
      modelId: id, includeReviewed: z.boolean().default(false), ...page,
      /** Only these parts of the queue (Results' "Review these": a lot, a followed folder's new parts…); the queue
       *  itself is the flagged and uncertain parts, reviewed or not as `includeReviewed` says. */
      scope: rankingFilter.omit({ flagged: true, unreviewed: true }).default({}),
    }).strict(),
  ),

  /** Every scored image, or with `filter` the list Results shows (a lot's flagged parts for the rework station),
   *  flagged at `threshold` (a previewed one) or the saved threshold. */
  'export.results': req<T.ExportText>()(
    z.object({ modelId: id, format: z.enum(EXPORT_FORMATS), filter: rankingFilter.optional(), threshold: z.number().finite().optional() }).strict(),
  ),
  /** The project's review trail as written (every decision and undo, with when and by whom; those of folders taken out
   *  of it too), oldest first; without a project, every project's, deleted ones included. */
  'export.reviews': req<T.ExportText>()(z.object({ projectId: id.optional(), format: z.enum(EXPORT_FORMATS) }).strict()),
} as const;

export type Requests = typeof requests;
export type RequestName = keyof Requests;
/** What a caller passes (defaults may be omitted). */
export type RequestInput<N extends RequestName> = z.input<Requests[N]['input']>;
/** What a handler receives after validation (defaults filled in). */
export type ParsedInput<N extends RequestName> = z.output<Requests[N]['input']>;
export type RequestOutput<N extends RequestName> = Requests[N]['output'];
export const requestNames = Object.keys(requests) as RequestName[];
export function isRequestName(name: string): name is RequestName {
  return Object.prototype.hasOwnProperty.call(requests, name);
}

/** Events the main process pushes to every window (IPC) or browser (SSE). */
export interface Events {
  'job.progress': {
    jobId: number; kind: T.JobKind; status: T.JobStatus; projectId: number | null; modelId: number | null;
    phase: string; // e.g. 'loading', 'training', 'validating', 'scoring', 'saving'
    progress: number; // 0..1
    epoch?: number; epochs?: number; batch?: number; batches?: number;
    losses?: Record<string, number>; // errD, errG, errGAdv, errGCon, errGEnc
    validation?: Record<string, number>; // per finished epoch
    imagesPerSecond?: number; etaSeconds?: number;
    message?: string; // e.g. "batch split into 4 micro-batches to fit memory", or the failure
  };
  'import.progress': {
    jobId: number; projectId: number; importId: number | null; done: boolean;
    seen: number; imported: number; duplicates: number; skipped: number; masks: number; notFiles: number; failed: number;
    imagesPerSecond: number; message?: string;
    /** A followed folder's look (api/follow.ts), not an import someone started: screens leave it out of "importing". */
    followed?: boolean;
  };
  'library.changed': { projectId: number; what: 'images' | 'models' | 'scores' | 'reviews' | 'thresholds' | 'projects' | 'follow' };
}
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = Events[E];
/** One pushed event; a union discriminated by `name`, so checking the name narrows the payload. */
export type EventMessage<E extends EventName = EventName> = { [K in E]: { name: K; payload: Events[K] } }[E];

export { IPC_REQUEST_CHANNEL, IPC_EVENT_CHANNEL, MEDIA_SCHEME } from './channels';

/** What the preload exposes as `window.inspector` (checked there with `satisfies`). */
export interface InspectorBridge {
  request(name: string, input: unknown): Promise<T.Envelope<unknown>>;
  onEvent(listener: (message: EventMessage) => void): () => void;
  /** The OS path of a dropped File (Electron's webUtils); '' when it has none. */
  pathForFile(file: File): string;
  platform: string;
}
