// Training and scoring for the API, on the job queue of src-main/jobs: one engine job at a time in its
// own process, progress relayed as `job.progress` events.
import type { Store } from '../store';
import { JobQueue } from '../jobs/queue';
import type { JobProcessFactory } from '../jobs/job-process';
import { ApiFailure } from './dispatch';
import type { EventHub } from './events';
import type { TrainingQueue } from './job-service';

const ENDED = new Set(['done', 'failed', 'cancelled', 'interrupted']);

/** The queue throws plain Errors for refusals (too few images, model not ready): the caller's to fix. */
function refusal<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ApiFailure) throw err;
    throw new ApiFailure('conflict', err instanceof Error ? err.message : String(err));
  }
}

export function createTrainingQueue(
  store: Store,
  events: EventHub,
  dataDir: string,
  processFactory?: JobProcessFactory,
): TrainingQueue {
  const queue = new JobQueue({ store, dataDir, processFactory });
  queue.subscribe((s) => {
    events.emit('job.progress', s);
    if (ENDED.has(s.status) && s.projectId !== null) {
      events.emit('library.changed', { projectId: s.projectId, what: s.kind === 'train' ? 'models' : 'scores' });
    }
  });
  // Start taking queued jobs; a run a crash left 'running' becomes 'interrupted' (resumable).
  queue.resumeInterrupted();
  return {
    startTraining: async (input) =>
      refusal(() =>
        queue.enqueueTrain({ projectId: input.projectId, options: input.options, name: input.name, backend: input.backend }),
      ),
    resumeTraining: async (modelId) => refusal(() => queue.resumeModel(modelId)),
    startScoring: async (modelId, scope) => refusal(() => queue.enqueueScore({ modelId, scope })),
    timeTraining: (input) => queue.timeTraining(input),
    cancel: (jobId) => queue.cancel(jobId),
    close: () => queue.close(),
  };
}
