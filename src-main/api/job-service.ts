// Long work started from the API. Imports run here (async I/O + sharp's thread pool keep the event
// loop free); training and scoring go to the job queue of src-main/jobs (training-queue.ts).
import type { ImportCounts, Store } from '../store';
import type { ImportOptions, ImportProgress, ImportResult } from '../services/import-folders';
import type { StepTimer } from '../jobs/training-estimate';
import type { EventHub } from './events';
import { ApiFailure } from './dispatch';
import type { ParsedInput } from './contract';
import type * as T from './types';

/** The import service; a host may pass another with the same shape. */
export type ImportFn = (store: Store, opts: ImportOptions) => Promise<ImportResult>;

/** Training and scoring over src-main/jobs; absent in a host opened with `queue: null` (API-only tests). */
export interface TrainingQueue {
  startTraining(input: ParsedInput<'training.start'>): Promise<T.JobStarted>;
  resumeTraining(modelId: number): Promise<T.JobStarted>;
  startScoring(modelId: number, scope: T.ScoringScope): Promise<T.JobStarted>;
  /** Times training steps in a job process (the ETA before training). */
  timeTraining: StepTimer['timeTraining'];
  cancel(jobId: number): boolean;
  close(): Promise<void>;
}

export interface ImportJobOptions {
  /** See ImportOptions (uploads name their upload folder). */
  labelBase?: string;
  /** A followed folder's look (api/follow.ts): its events say so, and `keep` is asked of it once it has finished;
   *  when it says no, neither its import row nor its job row stays (a look that changed nothing). */
  followed?: { keep(counts: ImportCounts): boolean };
}

export interface JobService extends TrainingQueue {
  startImport(projectId: number, paths: string[], opts?: ImportJobOptions): Promise<T.JobStarted>;
}

/** What the import's events report, from its progress ticks and then its result. */
type Counts = Pick<ImportProgress, 'seen' | 'imported' | 'duplicate' | 'skipped' | 'masks' | 'notFiles' | 'failed' | 'imagesPerSecond'> & { importId: number | null };

export interface JobServiceDeps {
  store: Store;
  events: EventHub;
  thumbnailsDir: string;
  /** The library's own output folders, never imported (ImportOptions.skipDirs). */
  skipDirs: readonly string[];
  importFolders: ImportFn;
  queue?: TrainingQueue;
  log: (line: string) => void;
}

const notYet = (what: string): never => {
  throw new ApiFailure('not-available', `${what} is not available here: this server was started without a job queue`);
};

export function createJobService(deps: JobServiceDeps): JobService {
  const { store, events } = deps;
  const running = new Map<number, { abort: AbortController; done: Promise<void> }>();

  function emitJob(job: T.JobSummary | { id: number }, fields: Partial<T.JobSummary> & { status: T.JobStatus }) {
    const row = store.jobs.get(job.id);
    events.emit('job.progress', {
      jobId: job.id,
      kind: row?.kind ?? 'import',
      status: fields.status,
      projectId: row?.projectId ?? null,
      modelId: null,
      phase: fields.phase ?? row?.phase ?? '',
      progress: fields.progress ?? row?.progress ?? 0,
      message: fields.message ?? row?.message ?? undefined,
    });
  }

  async function runImport(jobId: number, projectId: number, paths: string[], opts: ImportJobOptions, abort: AbortController) {
    let last: Counts = { importId: null, seen: 0, imported: 0, duplicate: 0, skipped: 0, masks: 0, notFiles: 0, failed: 0, imagesPerSecond: 0 };
    let lastEmit = 0;
    const emit = (done: boolean, message?: string) =>
      events.emit('import.progress', {
        jobId,
        projectId,
        importId: last.importId,
        done,
        seen: last.seen,
        imported: last.imported,
        duplicates: last.duplicate,
        skipped: last.skipped,
        masks: last.masks,
        notFiles: last.notFiles,
        failed: last.failed,
        imagesPerSecond: last.imagesPerSecond,
        message,
        ...(opts.followed ? { followed: true } : {}),
      });
    let changedNothing = false;
    try {
      const summary = await deps.importFolders(store, {
        projectId,
        roots: paths,
        labelBase: opts.labelBase,
        thumbnailsDir: deps.thumbnailsDir,
        skipDirs: deps.skipDirs,
        signal: abort.signal,
        onProgress: (p) => {
          last = p;
          const now = Date.now();
          if (now - lastEmit > 200) {
            lastEmit = now;
            emit(false);
          }
        },
      });
      last = { ...summary, imagesPerSecond: last.imagesPerSecond };
      const status = abort.signal.aborted ? 'cancelled' : 'done';
      if (status === 'done' && opts.followed && last.importId !== null && !opts.followed.keep(summary)) {
        // Removed before anyone hears it ended, so no screen asks for a row that is gone.
        store.imports.remove(last.importId);
        store.jobs.remove(jobId);
        last = { ...last, importId: null };
        emit(true);
        events.emit('job.progress', { jobId, kind: 'import', status, projectId, modelId: null, phase: 'done', progress: 1 });
        changedNothing = true; // no 'images' change: every minute it would clear the memo and reload the screens
        return;
      }
      store.jobs.finish(jobId, { status, result: { importId: last.importId, imported: last.imported, failed: last.failed } });
      emit(true, status === 'cancelled' ? 'Import cancelled' : undefined);
      emitJob({ id: jobId }, { status, progress: 1, phase: 'done' });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const status = abort.signal.aborted ? 'cancelled' : 'failed';
      store.jobs.finish(jobId, { status, message });
      emit(true, message);
      emitJob({ id: jobId }, { status, message });
    } finally {
      if (!changedNothing) events.emit('library.changed', { projectId, what: 'images' });
    }
  }

  return {
    async startImport(projectId, paths, opts = {}) {
      if (!store.projects.get(projectId)) throw new ApiFailure('not-found', `No project with id ${projectId}`);
      const job = store.jobs.create('import', { paths }, projectId);
      store.jobs.start(job.id);
      const abort = new AbortController();
      const done = runImport(job.id, projectId, paths, opts, abort).finally(() => running.delete(job.id));
      running.set(job.id, { abort, done });
      emitJob({ id: job.id }, { status: 'running', phase: 'importing', progress: 0 });
      return { jobId: job.id };
    },
    startTraining: (input) => (deps.queue ? deps.queue.startTraining(input) : notYet('Training')),
    resumeTraining: (modelId) => (deps.queue ? deps.queue.resumeTraining(modelId) : notYet('Training')),
    startScoring: (modelId, scope) => (deps.queue ? deps.queue.startScoring(modelId, scope) : notYet('Scoring')),
    timeTraining: (input) => (deps.queue ? deps.queue.timeTraining(input) : notYet('Timing training steps')),
    cancel(jobId) {
      const task = running.get(jobId);
      if (task) {
        task.abort.abort();
        return true;
      }
      return deps.queue ? deps.queue.cancel(jobId) : false;
    },
    async close() {
      for (const t of running.values()) t.abort.abort();
      await Promise.allSettled([...running.values()].map((t) => t.done));
      await deps.queue?.close();
    },
  };
}
