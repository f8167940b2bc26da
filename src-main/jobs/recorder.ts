// Writes what the job process reports into the store. The main process is the only SQLite writer, and
// every write here is one short transaction: a kill at any moment leaves the last finished epoch or batch.
import type { Job, Store } from '../store';
import type { JobEnding, JobFailure } from '../shared/vocabulary';
import type { ChildMessage, EpochRecord, ScoreResult, TrainResult } from './protocol';
import { storedEpoch } from './model-record';

const num = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

export interface Recorder {
  /** Applies one message; returns true when the job has ended (done or error). */
  apply(m: ChildMessage): boolean;
  /** The job process is gone without a done/error message. */
  ended(status: JobFailure, message: string): void;
  /** Final store status after apply() returned true. */
  readonly outcome: { status: Exclude<JobEnding, 'interrupted'>; message: string } | null;
}

export function trainRecorder(store: Store, job: Job, modelId: number): Recorder {
  const run = store.training.startRun(modelId, job.id);
  store.models.update(modelId, { status: 'training' });
  const pending = new Map<number, EpochRecord>();
  let outcome: Recorder['outcome'] = null;
  let kept: number | null = null;

  const finish = (status: JobEnding, message: string, result?: TrainResult) => {
    store.transaction(() => {
      if (result) {
        store.models.update(modelId, {
          status: 'ready', weightsDir: result.modelDir, backend: result.backend, scoreKind: result.scoreKind,
          patchScale: result.patchScale ?? null,
          validationStats: JSON.parse(JSON.stringify(result.validation ?? null)), trainingMs: Math.round(result.trainingSeconds * 1000),
        });
      } else {
        store.models.update(modelId, { status: status === 'done' ? 'ready' : status });
      }
      store.training.finishRun(run.id, { status, epochKept: result?.epochKept ?? kept, error: status === 'done' ? null : message });
      store.jobs.finish(job.id, {
        status, message, result: result ? { modelId, epochKept: result.epochKept, epochsRun: result.epochsRun } : { modelId },
      });
    });
    if (status !== 'interrupted') outcome = { status, message };
  };

  return {
    get outcome() { return outcome; },
    apply(m) {
      switch (m.type) {
        case 'epoch':
          pending.set(m.epoch, m);
          return false;
        case 'checkpoint':
          // The checkpoint's files are complete: only now do its epochs count as done.
          store.transaction(() => {
            for (const [epoch, e] of [...pending].sort((a, b) => a[0] - b[0])) {
              if (epoch > m.epoch) continue;
              store.training.addEpoch(run.id, storedEpoch(e));
              kept = e.bestEpoch;
              pending.delete(epoch);
            }
            if (kept) store.training.keepEpoch(run.id, kept);
          });
          return false;
        case 'done':
          if (m.cancelled) finish('cancelled', 'cancelled by the user');
          else if (m.result?.kind === 'train') finish('done', `trained ${m.result.epochsRun} epochs, kept epoch ${m.result.epochKept}`, m.result);
          else finish('failed', 'the job process ended training without a result');
          return true;
        case 'error':
          finish('failed', m.message);
          return true;
        default:
          return false;
      }
    },
    ended(status, message) {
      finish(status, message);
    },
  };
}

export function scoreRecorder(store: Store, job: Job, modelId: number): Recorder {
  let outcome: Recorder['outcome'] = null;
  let written = 0;
  const finish = (status: JobEnding, message: string, result?: ScoreResult) => {
    store.jobs.finish(job.id, {
      status, message, result: { modelId, scored: written, failed: result?.failed.length ?? 0, failures: (result?.failed ?? []).slice(0, 100) },
    });
    if (status !== 'interrupted') outcome = { status, message };
  };
  return {
    get outcome() { return outcome; },
    apply(m) {
      switch (m.type) {
        case 'scores':
          store.scores.write(modelId, m.rows.map((r) => ({
            imageId: r.imageId, latent: r.latent ?? null, reconTop1: r.reconTop1, ssim: r.ssim ?? null, reconZ: r.reconZ ?? null, feature: r.feature ?? null, baseline: r.baseline, shift: r.shift ?? null, score: r.score,
            calibrated: num(r.calibrated), percentile: num(r.percentile), reconMapPath: r.reconPath, diffMapPath: r.diffPath,
          })));
          written += m.rows.length;
          return false;
        case 'done': {
          const failed = m.result?.kind === 'score' ? m.result.failed : [];
          const note = failed.length ? `; ${failed.length} could not be read (first: ${failed[0].message})` : '';
          if (m.cancelled) finish('cancelled', `cancelled by the user after ${written} images`, m.result?.kind === 'score' ? m.result : undefined);
          else finish('done', `scored ${written} images${note}`, m.result?.kind === 'score' ? m.result : undefined);
          return true;
        }
        case 'error':
          finish('failed', m.message);
          return true;
        default:
          return false;
      }
    },
    ended(status, message) {
      finish(status, message);
    },
  };
}
