// The job queue: one engine job at a time in its own process, the rest waiting in the jobs table so a
// restart sees them. Progress snapshots go to subscribers (UI events, CLI progress lines).
import { JOB_ENDINGS, type ScoringScope } from '../shared/vocabulary';
import { dirname } from 'node:path';
import type { Job, JobKind, JobStatus, Store } from '../store';
import { parseOptions, type GanomalyOptions, type GanomalyOptionsInput } from '../engine/options';
import type { JobProcessFactory } from './job-process';
import { JobRun, toSnapshot, type JobSnapshot } from './job-run';
import { nodeJobProcessFactory } from './node-process';
import type { BackendPreference } from './protocol';
import type { WorkersOption } from '../engine/parallel/step-runner';
import { parseParams, scoreBatchSize, scoreParams, trainParams, type ScoreParams } from './tasks';
import { selectTrainingSet } from './training-set';
import { runTimeProbe } from './time-probe';
import { COST_KEYS } from './training-estimate';
import type { TimeResult } from './protocol';

export { toSnapshot, type JobSnapshot } from './job-run';

export interface JobQueueOptions {
  store: Store;
  /** Models, checkpoints and maps go here; default: the database's folder. */
  dataDir?: string;
  processFactory?: JobProcessFactory;
  backend?: BackendPreference;
  /** Images per scoring batch (and per store transaction). */
  scoreBatchSize?: number;
  /** How often progress is written to the jobs table (subscribers get every message). */
  progressWriteMs?: number;
  /** After a cancel, how long the job process may take to stop before it is killed. */
  cancelGraceMs?: number;
}

export interface EnqueueTrainInput {
  projectId: number;
  options?: GanomalyOptionsInput;
  name?: string;
  backend?: BackendPreference;
  /** Training replicas (default 'auto'): how it runs, so it is a job param, not a model option. */
  workers?: WorkersOption;
}

export interface TimeTrainingInput {
  /** Complete options (isize and nc included): the ones the training would run with. */
  options: GanomalyOptions;
  backend?: BackendPreference;
  workers?: WorkersOption;
}

export interface EnqueueScoreInput {
  modelId: number;
  /** Default: every present image of the project. */
  imageIds?: number[];
  /** 'missing' (default): only images the model has not scored; 'all': score again. */
  scope?: ScoringScope;
  backend?: BackendPreference;
}

const FINAL: readonly JobStatus[] = JOB_ENDINGS;
/** Endings a job can be resumed from. */
const RESUMABLE: readonly JobStatus[] = JOB_ENDINGS.filter((s) => s !== 'done');
const ENGINE_KINDS: JobKind[] = ['train', 'score'];

export class JobQueue {
  private readonly store: Store;
  private readonly dataDir: string;
  private readonly factory: JobProcessFactory;
  private active: JobRun | null = null;
  private listeners = new Set<(s: JobSnapshot) => void>();
  private waiters = new Map<number, Array<(job: Job) => void>>();
  private running = false;
  private closing = false;
  /** A timing in progress: no job starts until it ends, so neither disturbs the other. */
  private probe: Promise<unknown> | null = null;
  private timings = new Map<string, Promise<TimeResult>>();
  private readonly probeStop = new AbortController();

  constructor(private readonly opts: JobQueueOptions) {
    this.store = opts.store;
    this.dataDir = opts.dataDir ?? dirname(opts.store.file);
    this.factory = opts.processFactory ?? nodeJobProcessFactory();
  }

  /**
   * Call once at start-up: jobs a crash left 'running' become 'interrupted' (their models and runs too),
   * then queued jobs start. Returns the interrupted train/score jobs, each resumable with `resume(id)`.
   */
  resumeInterrupted(): Job[] {
    this.store.recoverInterrupted();
    this.running = true;
    this.pump();
    return this.store.jobs.list({ status: 'interrupted', limit: 1000 }).filter((j) => ENGINE_KINDS.includes(j.kind));
  }

  enqueueTrain(input: EnqueueTrainInput): { jobId: number; modelId: number } {
    const set = selectTrainingSet(this.store, input.projectId);
    const options = parseOptions({ ...input.options, nc: input.options?.nc ?? set.nc });
    if (set.images.length < 3) throw new Error(`Training needs at least 3 images (${set.rule}); the project has ${set.images.length}.`);
    const { jobId, modelId } = this.store.transaction(() => {
      const model = this.store.models.create({
        projectId: input.projectId,
        name: input.name?.trim() || this.defaultName(input.projectId),
        options,
        scoreKind: options.scoreKind,
        trainImageIds: set.images.map((i) => i.id),
      });
      const params = { modelId: model.id, backend: input.backend ?? this.opts.backend ?? 'auto', workers: input.workers ?? 'auto' };
      const job = this.store.jobs.create('train', params, input.projectId);
      this.store.jobs.progress(job.id, { progress: 0, phase: 'queued', message: `training set: ${set.images.length} ${set.rule}` });
      return { jobId: job.id, modelId: model.id };
    });
    this.emitStored(jobId);
    this.pump();
    return { jobId, modelId };
  }

  enqueueScore(input: EnqueueScoreInput): { jobId: number } {
    const model = this.store.models.get(input.modelId);
    if (!model) throw new Error(`No model with id ${input.modelId}.`);
    if (model.status !== 'ready') throw new Error(`Model ${model.id} ("${model.name}") is ${model.status}: only a finished model can score.`);
    const params: ScoreParams = {
      modelId: model.id,
      imageIds: input.imageIds ?? null,
      rescoreBefore: input.scope === 'all' ? Date.now() : null,
      batchSize: this.opts.scoreBatchSize ?? scoreBatchSize(true),
      backend: input.backend ?? this.opts.backend ?? 'auto',
    };
    const job = this.store.jobs.create('score', params, model.projectId);
    this.emitStored(job.id);
    this.pump();
    return { jobId: job.id };
  }

  /** A new attempt of an ended train/score job: training continues from its last recorded checkpoint,
   *  scoring with the images still unscored. */
  resume(jobId: number): { jobId: number } {
    const old = this.store.jobs.get(jobId);
    if (!old || !ENGINE_KINDS.includes(old.kind)) throw new Error(`No training or scoring job with id ${jobId}.`);
    if (!RESUMABLE.includes(old.status)) throw new Error(`Job ${jobId} is ${old.status}; only an interrupted, failed or cancelled job can be resumed.`);
    const schema = old.kind === 'train' ? trainParams : scoreParams;
    const job = this.store.jobs.create(old.kind, parseParams<object>(schema, old) as never, old.projectId);
    this.emitStored(job.id);
    this.pump();
    return { jobId: job.id };
  }

  /** Resume training of a model by id (the UI's 'training.resume'). */
  resumeModel(modelId: number): { jobId: number; modelId: number } {
    const last = this.store.jobs.list({ limit: 10_000 }).find((j) => j.kind === 'train' && (j.params as { modelId?: number }).modelId === modelId);
    if (!last) throw new Error(`Model ${modelId} has no training job to resume.`);
    if (last.status === 'queued' || last.status === 'running') return { jobId: last.id, modelId };
    return { ...this.resume(last.id), modelId };
  }

  /**
   * Times training steps with these options in a job process (the ETA before training). One timing per
   * cost-relevant setting is kept for the queue's life; refused while a job runs (it would time a shared
   * CPU and slow the job), and no job starts while a timing runs.
   */
  timeTraining(input: TimeTrainingInput): Promise<TimeResult> {
    const backend = input.backend ?? this.opts.backend ?? 'auto';
    const workers = input.workers ?? 'auto';
    const key = JSON.stringify([...COST_KEYS.map((k) => input.options[k]), backend, workers]);
    const known = this.timings.get(key);
    if (known) return known;
    if (this.active) return Promise.reject(new Error('a job is running: timing steps now would measure a busy machine'));
    if (this.closing) return Promise.reject(new Error('the job queue is closing'));
    const timing = (this.probe ?? Promise.resolve())
      .then(() => runTimeProbe(this.factory, this.dataDir, { kind: 'time', options: input.options, backend, workers, steps: 2 }, this.probeStop.signal));
    this.timings.set(key, timing);
    timing.catch(() => this.timings.delete(key));
    const probe: Promise<unknown> = timing.catch(() => undefined).finally(() => {
      if (this.probe !== probe) return;
      this.probe = null;
      this.pump();
    });
    this.probe = probe;
    return timing;
  }

  /** A queued job is cancelled at once; a running one stops within one batch. */
  cancel(jobId: number): boolean {
    if (this.active?.job.id === jobId) {
      this.active.cancel(this.opts.cancelGraceMs ?? 30_000);
      return true;
    }
    const job = this.store.jobs.get(jobId);
    if (!job || job.status !== 'queued') return false;
    this.store.transaction(() => {
      this.store.jobs.finish(jobId, { status: 'cancelled', message: 'cancelled before it started' });
      const modelId = (job.params as { modelId?: number }).modelId;
      if (job.kind === 'train' && modelId !== undefined) this.store.models.update(modelId, { status: 'cancelled' });
    });
    this.emitStored(jobId);
    this.notifyEnded(jobId);
    return true;
  }

  list(opts: { status?: JobStatus; limit?: number } = {}): Job[] {
    return this.store.jobs.list(opts);
  }

  /** The live snapshot of a job (running: from its last message; otherwise from the store). */
  snapshot(jobId: number): JobSnapshot | undefined {
    if (this.active?.job.id === jobId) return this.active.snapshot;
    const job = this.store.jobs.get(jobId);
    return job && toSnapshot(job);
  }

  subscribe(listener: (s: JobSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the job's row once it has ended. */
  waitFor(jobId: number): Promise<Job> {
    const job = this.store.jobs.get(jobId);
    if (!job) return Promise.reject(new Error(`No job with id ${jobId}.`));
    if (FINAL.includes(job.status)) return Promise.resolve(job);
    return new Promise((resolve) => this.waiters.set(jobId, [...(this.waiters.get(jobId) ?? []), resolve]));
  }

  /** Stops taking jobs; a running job's process is stopped and the job left 'interrupted' (resumable). */
  async close(): Promise<void> {
    this.closing = true;
    this.running = false;
    this.probeStop.abort();
    await this.probe;
    await this.active?.stop();
  }

  private defaultName(projectId: number): string {
    const taken = new Set(this.store.models.list(projectId).map((m) => m.name));
    let n = taken.size + 1;
    while (taken.has(`Model ${n}`)) n++;
    return `Model ${n}`;
  }

  private pump(): void {
    if (!this.running || this.closing || this.active || this.probe) return;
    const job = this.store.jobs.nextQueued();
    if (!job) return;
    if (!ENGINE_KINDS.includes(job.kind)) {
      // Imports run in the main process, not here; a stray queued import row must not block the queue.
      this.store.jobs.finish(job.id, { status: 'failed', message: `${job.kind} jobs are not run by the engine queue` });
      return this.pump();
    }
    if (!this.store.jobs.start(job.id)) return this.pump();
    let run: JobRun;
    try {
      run = new JobRun({
        store: this.store, dataDir: this.dataDir, factory: this.factory, progressWriteMs: this.opts.progressWriteMs ?? 1000,
        emit: (s) => this.emit(s), closing: () => this.closing,
      }, { ...job, status: 'running' });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.store.jobs.finish(job.id, { status: 'failed', message });
      const modelId = (job.params as { modelId?: number }).modelId;
      if (job.kind === 'train' && modelId !== undefined && this.store.models.get(modelId)) this.store.models.update(modelId, { status: 'failed' });
      this.emitStored(job.id);
      this.notifyEnded(job.id);
      setImmediate(() => this.pump());
      return;
    }
    this.active = run;
    void run.ended.then(() => {
      this.active = null;
      try {
        this.emitStored(job.id);
        this.notifyEnded(job.id);
        setImmediate(() => this.pump());
      } catch (err) {
        // Only if the store was closed under a running queue: nothing more can be recorded.
        process.stderr.write(`job queue: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    });
  }

  private emitStored(jobId: number): void {
    const job = this.store.jobs.get(jobId);
    if (job) this.emit(toSnapshot(job));
  }

  private emit(s: JobSnapshot): void {
    for (const l of this.listeners) {
      try { l(s); } catch { /* a failing listener must not stop the queue */ }
    }
  }

  private notifyEnded(jobId: number): void {
    const job = this.store.jobs.get(jobId);
    const ws = this.waiters.get(jobId);
    if (!job || !ws) return;
    this.waiters.delete(jobId);
    for (const w of ws) w(job);
  }
}
