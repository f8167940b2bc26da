// What a queued job row means, and how it becomes a task for the job process. A job row is one attempt:
// resuming creates a new row with the same params, and the state it resumes from lives in the store
// (recorded epochs, written scores) and on disk (the checkpoint), never in the old row.
import { modelPaths } from '../data-dir';
import { z } from 'zod';
import { parseOptions, type GanomalyOptionsInput } from '../engine/options';
import type { Job, Store } from '../store';
import { backendPreference, workersPreference, type ScoreTask, type TrainTask } from './protocol';

export const trainParams = z.object({
  modelId: z.number().int(),
  backend: backendPreference.default('auto'),
  workers: workersPreference.default('auto'),
});
export type TrainParams = z.infer<typeof trainParams>;

/**
 * Images per scoring batch: 64 when only scores are wanted, since each batch costs the scoring thread and each
 * worker a fixed few milliseconds (600 small images for a latent model: 390-411 img/s after start-up in batches
 * of 64, 357-377 in 32); 32 with maps, whose decoded originals (up to 3 MB each) are kept for the batch.
 */
export const scoreBatchSize = (withMaps: boolean): number => (withMaps ? 32 : 64);

export const scoreParams = z.object({
  modelId: z.number().int(),
  /** null: every present image of the model's project. */
  imageIds: z.array(z.number().int()).nullable().default(null),
  /** Images scored before this time (ms) count as not scored: a re-score of 'all' that can resume. */
  rescoreBefore: z.number().nullable().default(null),
  batchSize: z.number().int().positive().default(scoreBatchSize(true)), // the library's scoring always writes maps
  backend: backendPreference.default('auto'),
});
export type ScoreParams = z.infer<typeof scoreParams>;


export function parseParams<T>(schema: z.ZodType<T>, job: Job): T {
  const r = schema.safeParse(job.params);
  if (!r.success) throw new Error(`job ${job.id} has unreadable params: ${r.error.issues[0]?.message}`);
  return r.data;
}

/** The last epoch whose checkpoint the store recorded for this model (0 if none). */
export function recordedCheckpointEpoch(store: Store, modelId: number): number {
  let last = 0;
  for (const run of store.training.runs(modelId)) {
    for (const e of store.training.epochs(run.id)) last = Math.max(last, e.epoch);
  }
  return last;
}

export function buildTrainTask(store: Store, dataDir: string, job: Job): TrainTask {
  const p = parseParams(trainParams, job);
  const model = store.models.get(p.modelId);
  if (!model) throw new Error(`model ${p.modelId} no longer exists`);
  const ids = store.models.trainImageIds(model.id);
  const images = ids.map((id) => {
    const img = store.images.get(id);
    if (!img) throw new Error(`training image ${id} of model ${model.id} no longer exists`);
    return { id, path: img.path, hash: img.hash };
  });
  const paths = modelPaths(dataDir, model.id);
  const epoch = recordedCheckpointEpoch(store, model.id);
  return {
    kind: 'train',
    jobId: job.id,
    modelId: model.id,
    // Stored as parsed when the model was queued; parsing again types them (and fills options added since).
    options: parseOptions(model.options as GanomalyOptionsInput),
    images,
    fileListHash: model.fileListHash,
    modelDir: paths.modelDir,
    checkpointsDir: paths.checkpointsDir,
    resumeFrom: epoch > 0 ? { epoch, dir: paths.checkpointsDir } : null,
    backend: p.backend,
    workers: p.workers,
  };
}

export function buildScoreTask(store: Store, dataDir: string, job: Job): ScoreTask {
  const p = parseParams(scoreParams, job);
  const model = store.models.get(p.modelId);
  if (!model) throw new Error(`model ${p.modelId} no longer exists`);
  if (model.status !== 'ready' || !model.weightsDir) {
    throw new Error(`model ${model.id} ("${model.name}") is ${model.status}, not ready: train it to the end first`);
  }
  const todo = (id: number) => {
    const s = store.scores.get(model.id, id);
    return !s || (p.rescoreBefore !== null && s.scoredAt < p.rescoreBefore);
  };
  let candidates: { id: number; path: string; hash: string }[] = [];
  if (p.imageIds) {
    for (const id of p.imageIds) {
      const img = store.images.get(id);
      if (img && img.projectId === model.projectId && !img.missing) candidates.push({ id, path: img.path, hash: img.hash });
    }
  } else {
    for (let page = store.images.list(model.projectId, {}, { limit: 5000 }); page.length; ) {
      for (const img of page) candidates.push({ id: img.id, path: img.path, hash: img.hash });
      page = store.images.list(model.projectId, {}, { afterId: page[page.length - 1].id, limit: 5000 });
    }
  }
  candidates = candidates.filter((c) => todo(c.id));
  const paths = modelPaths(dataDir, model.id);
  return {
    kind: 'score',
    jobId: job.id,
    modelId: model.id,
    modelDir: model.weightsDir,
    mapsDir: paths.mapsDir,
    images: candidates,
    batchSize: p.batchSize,
    backend: p.backend,
    kinds: 'model', // the library ranks by the model's kind; the feature score alone would cost two passes of D
  };
}
