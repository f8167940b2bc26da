// One attempt of one job: start its process, route what it reports to the store (through the recorder)
// and to the queue's subscribers, and settle the job however the process ends.
import type { Job, JobKind, JobStatus, Store } from '../store';
import { crashReason, type JobProcess, type JobProcessFactory } from './job-process';
import { parseChildMessage, type ProgressFields } from './protocol';
import { scoreRecorder, trainRecorder, type Recorder } from './recorder';
import { buildScoreTask, buildTrainTask } from './tasks';

/** What subscribers receive: the shape of the API's `job.progress` event. */
export interface JobSnapshot extends ProgressFields {
  jobId: number;
  kind: JobKind;
  status: JobStatus;
  projectId: number | null;
  modelId: number | null;
}

export function toSnapshot(job: Job): JobSnapshot {
  const modelId = (job.params as { modelId?: unknown } | null)?.modelId;
  return {
    jobId: job.id, kind: job.kind, status: job.status, projectId: job.projectId,
    modelId: typeof modelId === 'number' ? modelId : null,
    phase: job.phase ?? job.status, progress: job.progress, message: job.message ?? undefined,
  };
}

export interface JobRunContext {
  store: Store;
  dataDir: string;
  factory: JobProcessFactory;
  progressWriteMs: number;
  emit(s: JobSnapshot): void;
  /** True while the queue is shutting down: an ended process then means 'interrupted'. */
  closing(): boolean;
}

export class JobRun {
  readonly job: Job;
  /** Resolves once the process is gone and the job's final state is in the store. */
  readonly ended: Promise<void>;
  private snap: JobSnapshot;
  private readonly proc: JobProcess;
  private readonly recorder: Recorder;
  private cancelRequested = false;
  private finished = false;
  private lastWrite = 0;
  private phase = '';

  /** Throws (before any process starts) when the job cannot be built, e.g. its model is gone. */
  constructor(private readonly ctx: JobRunContext, job: Job) {
    this.job = job;
    const { store, dataDir } = ctx;
    const task = job.kind === 'train' ? buildTrainTask(store, dataDir, job) : buildScoreTask(store, dataDir, job);
    this.proc = ctx.factory({ jobId: job.id, dataDir });
    try {
      this.recorder = job.kind === 'train' ? trainRecorder(store, job, task.modelId) : scoreRecorder(store, job, task.modelId);
    } catch (err) {
      this.proc.kill('SIGKILL');
      throw err;
    }
    this.snap = {
      jobId: job.id, kind: job.kind, status: 'running', projectId: job.projectId, modelId: task.modelId,
      phase: 'starting', progress: 0, message: task.kind === 'score' ? `${task.images.length} images to score` : undefined,
    };
    store.jobs.progress(job.id, { progress: 0, phase: 'starting', message: this.snap.message });
    ctx.emit(this.snap);
    this.ended = new Promise((resolve) => {
      this.proc.onMessage((raw) => this.onMessage(raw));
      this.proc.onExit((info) => {
        if (!this.finished) {
          this.finished = true;
          const how = info.signal ? `signal ${info.signal}` : `exit code ${info.code}`;
          const why = info.stderrTail ? `: ${crashReason(info.stderrTail)}` : '';
          this.safely(() => {
            if (this.cancelRequested) this.recorder.ended('cancelled', 'cancelled by the user');
            else if (ctx.closing()) this.recorder.ended('interrupted', 'interrupted: the app stopped while it ran; resume to continue');
            else if (info.signal) this.recorder.ended('interrupted', `interrupted: the job process was killed (${how}); resume to continue`);
            else this.recorder.ended('failed', `the job process ended unexpectedly (${how})${why}`);
          });
        }
        resolve();
      });
    });
    this.proc.send({ type: 'start', task });
  }

  get snapshot(): JobSnapshot {
    return { ...this.snap };
  }

  /** Asks the process to stop at the next batch; kills it if it has not ended after `graceMs`. */
  cancel(graceMs: number): void {
    if (this.cancelRequested) return;
    this.cancelRequested = true;
    this.proc.send({ type: 'cancel' });
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    void this.ended.then(() => clearTimeout(timer));
  }

  /** Stops the process now (queue shutdown); the job ends 'interrupted'. */
  stop(): Promise<void> {
    this.proc.kill('SIGTERM');
    return this.ended;
  }

  private onMessage(raw: unknown): void {
    if (this.finished) return;
    const m = parseChildMessage(raw);
    if (m.type === 'progress') {
      const { type: _type, ...p } = m;
      return this.onProgress(p);
    }
    if (m.type === 'epoch') this.snap = { ...this.snap, validation: m.validation };
    if (m.type === 'error') this.snap = { ...this.snap, message: m.message };
    let ended = true;
    try {
      ended = this.recorder.apply(m);
    } catch (err) {
      // e.g. a non-finite score the store refuses: the job fails with that reason, the queue goes on.
      const reason = err instanceof Error ? err.message : String(err);
      this.safely(() => this.recorder.ended('failed', `could not record the job's results: ${reason}`));
      this.snap = { ...this.snap, message: reason };
    }
    if (ended) {
      this.finished = true;
      this.proc.kill('SIGTERM'); // it exits by itself after 'done'; this only makes sure
    }
  }

  private onProgress(p: ProgressFields): void {
    this.snap = { ...this.snap, ...p, status: 'running' };
    const now = Date.now();
    if (now - this.lastWrite >= this.ctx.progressWriteMs || p.phase !== this.phase) {
      this.lastWrite = now;
      this.phase = p.phase;
      this.safely(() => this.ctx.store.jobs.progress(this.job.id, { progress: p.progress, phase: p.phase, message: p.message }));
    }
    this.ctx.emit(this.snap);
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      process.stderr.write(`job ${this.job.id}: could not record its state: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
}
