// The job queue: one engine job at a time in its own process, the rest waiting in the jobs table so a
// restart sees them. Progress snapshots go to subscribers (UI events, CLI progress lines).
import { dirname } from 'node:path';
import type { Job, JobKind, JobStatus, Store } from '../store';
import { parseOptions, type GanomalyOptionsInput } from '../engine/options';
import type { JobProcess, JobProcessFactory } from './job-process';
import { nodeJobProcessFactory } from './node-process';
import { parseChildMessage, type BackendPreference, type ProgressFields } from './protocol';
import { scoreRecorder, trainRecorder, type Recorder } from './recorder';
import { buildScoreTask, buildTrainTask, parseParams, scoreParams, trainParams, type ScoreParams } from './tasks';
import { selectTrainingSet } from './training-set';

/** What subscribers receive: the shape of the API's `job.progress` event. */
export interface JobSnapshot extends ProgressFields {
  jobId: number;
  kind: JobKind;
  status: JobStatus;
  projectId: number | null;
  modelId: number | null;
}

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
}

export interface EnqueueScoreInput {
  modelId: number;
  /** Default: every present image of the project. */
  imageIds?: number[];
  /** 'missing' (default): only images the model has not scored; 'all': score again. */
  scope?: 'missing' | 'all';
  backend?: BackendPreference;
}

interface Active {
  job: Job;
  proc: JobProcess;
  recorder: Recorder;
  snapshot: JobSnapshot;
  cancelRequested: boolean;
  lastWrite: number;
  ended: Promise<void>;
}

const FINAL: JobStatus[] = ['done', 'failed', 'cancelled', 'interrupted'];
const ENGINE_KINDS: JobKind[] = ['train', 'score'];

export class JobQueue {
  private readonly store: Store;
  private readonly dataDir: string;
  private readonly factory: JobProcessFactory;
  private active: Active | null = null;
  private listeners = new Set<(s: JobSnapshot) => void>();
  private waiters = new Map<number, Array<(job: Job) => void>>();
  private running = false;
  private closing = false;

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
      const job = this.store.jobs.create('train', { modelId: model.id, backend: input.backend ?? this.opts.backend ?? 'auto' }, input.projectId);
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
      batchSize: this.opts.scoreBatchSize ?? 32,
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
    if (!['interrupted', 'failed', 'cancelled'].includes(old.status)) throw new Error(`Job ${jobId} is ${old.status}; only an interrupted, failed or cancelled job can be resumed.`);
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

  /** A queued job is cancelled at once; a running one stops within one batch. */
  cancel(jobId: number): boolean {
    if (this.active?.job.id === jobId) {
      const a = this.active;
      if (!a.cancelRequested) {
        a.cancelRequested = true;
        a.proc.send({ type: 'cancel' });
        const timer = setTimeout(() => a.proc.kill('SIGKILL'), this.opts.cancelGraceMs ?? 30_000);
        void a.ended.then(() => clearTimeout(timer));
      }
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
    if (this.active?.job.id === jobId) return { ...this.active.snapshot };
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
    const a = this.active;
    if (a) {
      a.proc.kill('SIGTERM');
      await a.ended;
    }
  }

  private defaultName(projectId: number): string {
    const taken = new Set(this.store.models.list(projectId).map((m) => m.name));
    let n = taken.size + 1;
    while (taken.has(`Model ${n}`)) n++;
    return `Model ${n}`;
  }

  private pump(): void {
    if (!this.running || this.closing || this.active) return;
    const job = this.store.jobs.nextQueued();
    if (!job) return;
    if (!ENGINE_KINDS.includes(job.kind)) {
      // Imports run in the main process, not here; a stray queued import row must not block the queue.
      this.store.jobs.finish(job.id, { status: 'failed', message: `${job.kind} jobs are not run by the engine queue` });
      return this.pump();
    }
    if (!this.store.jobs.start(job.id)) return this.pump();
    try {
      this.launch({ ...job, status: 'running' });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.store.jobs.finish(job.id, { status: 'failed', message });
      const modelId = (job.params as { modelId?: number }).modelId;
      if (job.kind === 'train' && modelId !== undefined && this.store.models.get(modelId)) this.store.models.update(modelId, { status: 'failed' });
      this.emitStored(job.id);
      this.notifyEnded(job.id);
      setImmediate(() => this.pump());
    }
  }

  private launch(job: Job): void {
    const task = job.kind === 'train' ? buildTrainTask(this.store, this.dataDir, job) : buildScoreTask(this.store, this.dataDir, job);
    const proc = this.factory({ jobId: job.id, dataDir: this.dataDir });
    let recorder: Recorder;
    try {
      recorder = job.kind === 'train' ? trainRecorder(this.store, job, task.modelId) : scoreRecorder(this.store, job, task.modelId);
    } catch (err) {
      proc.kill('SIGKILL');
      throw err;
    }
    let resolveEnded!: () => void;
    const a: Active = {
      job, proc, recorder, cancelRequested: false, lastWrite: 0,
      ended: new Promise<void>((r) => (resolveEnded = r)),
      snapshot: {
        jobId: job.id, kind: job.kind, status: 'running', projectId: job.projectId, modelId: task.modelId,
        phase: 'starting', progress: 0, message: task.kind === 'score' ? `${task.images.length} images to score` : undefined,
      },
    };
    this.active = a;
    this.store.jobs.progress(job.id, { progress: 0, phase: 'starting', message: a.snapshot.message });
    this.emit(a.snapshot);
    let finished = false;
    proc.onMessage((raw) => {
      if (finished) return;
      const m = parseChildMessage(raw);
      if (m.type === 'progress') {
        const { type: _type, ...p } = m;
        return this.onProgress(a, p);
      }
      if (m.type === 'epoch') a.snapshot = { ...a.snapshot, validation: m.validation };
      if (m.type === 'error') a.snapshot = { ...a.snapshot, message: m.message };
      let ended: boolean;
      try {
        ended = recorder.apply(m);
      } catch (err) {
        // e.g. a non-finite score the store refuses: the job fails with that reason, the queue goes on.
        const reason = err instanceof Error ? err.message : String(err);
        try { recorder.ended('failed', `could not record the job's results: ${reason}`); } catch { /* reported below */ }
        a.snapshot = { ...a.snapshot, message: reason };
        ended = true;
      }
      if (ended) {
        finished = true;
        proc.kill('SIGTERM'); // it exits by itself after 'done'; this only makes sure
      }
    });
    proc.onExit((info) => {
      if (!finished) try {
        finished = true;
        const how = info.signal ? `signal ${info.signal}` : `exit code ${info.code}`;
        const why = info.stderrTail ? `: ${info.stderrTail.split('\n').slice(-3).join(' ').slice(0, 500)}` : '';
        if (a.cancelRequested) recorder.ended('cancelled', 'cancelled by the user');
        else if (this.closing) recorder.ended('interrupted', 'interrupted: the app stopped while it ran; resume to continue');
        else if (info.signal) recorder.ended('interrupted', `interrupted: the job process was killed (${how}); resume to continue`);
        else recorder.ended('failed', `the job process ended unexpectedly (${how})${why}`);
      } catch (err) {
        process.stderr.write(`job ${job.id}: could not record its end: ${err instanceof Error ? err.message : String(err)}\n`);
      }
      this.active = null;
      this.emitStored(job.id);
      this.notifyEnded(job.id);
      resolveEnded();
      setImmediate(() => this.pump());
    });
    proc.send({ type: 'start', task });
  }

  private onProgress(a: Active, p: ProgressFields): void {
    a.snapshot = { ...a.snapshot, ...p, status: 'running' };
    const now = Date.now();
    if (now - a.lastWrite >= (this.opts.progressWriteMs ?? 1000) || p.phase !== a.job.phase) {
      a.lastWrite = now;
      a.job = { ...a.job, phase: p.phase };
      this.store.jobs.progress(a.job.id, { progress: p.progress, phase: p.phase, message: p.message });
    }
    this.emit(a.snapshot);
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

export function toSnapshot(job: Job): JobSnapshot {
  const modelId = (job.params as { modelId?: unknown } | null)?.modelId;
  return {
    jobId: job.id, kind: job.kind, status: job.status, projectId: job.projectId,
    modelId: typeof modelId === 'number' ? modelId : null,
    phase: job.phase ?? job.status, progress: job.progress, message: job.message ?? undefined,
  };
}
