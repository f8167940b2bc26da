// Models, training, scoring and the job list.
import { join } from 'node:path';
import { trainingDefaults } from '../../engine/options';
import { estimateTraining } from '../../jobs/training-estimate';
import { colourNote, trainingSetOf } from '../../jobs/training-set';
import { deleteModel } from '../../services/deletions';
import { importModel, type ImportModelInput } from '../../services/import-model';
import { UploadRefused } from '../../services/uploads';
import { importPath } from './library';
import type { Job } from '../../store';
import type { ApiContext } from '../context';
import { need } from '../context';
import { ApiFailure } from '../dispatch';
import type { Handlers } from '../dispatch';
import { saveModelArchive } from '../model-download';
import { epochFigures, imageVersion, jobSummary, modelSummary, trainingRun } from '../mappers';
import type * as T from '../types';

type ModelHandlers = Pick<
  Handlers,
  | 'models.list'
  | 'models.get'
  | 'models.delete'
  | 'models.import'
  | 'models.importUpload'
  | 'models.saveArchive'
  | 'models.rename'
  | 'training.defaults'
  | 'training.set'
  | 'training.start'
  | 'training.estimate'
  | 'training.resume'
  | 'training.cancel'
  | 'scoring.start'
  | 'jobs.list'
  | 'jobs.get'
  | 'jobs.cancel'
>;

export function modelHandlers(ctx: ApiContext): ModelHandlers {
  const { store } = ctx;
  const model = (modelId: number) => need(store.models.get(modelId), 'model', modelId);
  const lastKept = (modelId: number) => {
    const runs = store.training.runs(modelId);
    for (let i = runs.length - 1; i >= 0; i--) if (runs[i].epochKept !== null) return runs[i].epochKept;
    return null;
  };
  const summary = (m: ReturnType<typeof model>) => modelSummary(m, {
    scored: store.scores.count(m.id), unscored: store.scores.toScoreCount(m.id), trainedOnRejected: store.models.trainedOnRejected(m.id),
  }, lastKept(m.id));
  const activeJobs = (): Job[] => store.jobs.active();
  /** Imports into a project the caller has checked exists. */
  const bringIn = async (input: ImportModelInput): Promise<T.ModelSummary> => {
    let m;
    let threshold;
    try {
      ({ model: m, threshold } = await importModel(store, ctx.dataDir, input));
    } catch (err) {
      // Not a model folder, an incomplete one, a name taken: the caller's to fix, said as the importer says it.
      throw new ApiFailure('conflict', err instanceof Error ? err.message : String(err));
    }
    ctx.events.emit('library.changed', { projectId: input.projectId, what: 'models' });
    if (threshold) ctx.events.emit('library.changed', { projectId: input.projectId, what: 'thresholds' });
    return summary(m);
  };

  return {
    'models.list': ({ projectId }) => {
      need(store.projects.get(projectId), 'project', projectId);
      return store.models.list(projectId).map(summary);
    },
    'models.get': ({ modelId }) => {
      const m = model(modelId);
      const runs = store.training.runs(modelId);
      // A resumed run continues the epochs of the one before: the latest record of each epoch wins.
      const byEpoch = new Map<number, T.EpochFigures>();
      for (const run of [...runs].sort((a, b) => a.id - b.id)) {
        for (const e of store.training.epochs(run.id)) byEpoch.set(e.epoch, epochFigures(e));
      }
      return {
        ...summary(m),
        history: [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch),
        runs: runs.map(trainingRun),
      };
    },
    'models.delete': async ({ modelId }) => {
      const m = model(modelId);
      if (activeJobs().some((j) => jobSummary(j).modelId === modelId)) {
        throw new ApiFailure('conflict', `Model "${m.name}" has a job running or waiting: cancel it first`);
      }
      await deleteModel(store, ctx.dataDir, modelId);
      ctx.events.emit('library.changed', { projectId: m.projectId, what: 'models' });
      return { deleted: true as const };
    },
    'models.rename': ({ modelId, name }) => {
      const m = model(modelId);
      if (store.models.list(m.projectId).some((o) => o.name === name && o.id !== modelId)) {
        throw new ApiFailure('conflict', `A model named "${name}" already exists in this project`);
      }
      store.models.rename(modelId, name);
      ctx.events.emit('library.changed', { projectId: m.projectId, what: 'models' });
      return summary(model(modelId));
    },
    'models.import': ({ projectId, folder, name }) => {
      need(store.projects.get(projectId), 'project', projectId);
      return bringIn({ projectId, folder: importPath(folder), name });
    },
    'models.importUpload': async ({ projectId, folder, files, name }) => {
      need(store.projects.get(projectId), 'project', projectId);
      let staged;
      try {
        staged = await ctx.uploads.stage(files);
      } catch (err) {
        if (err instanceof UploadRefused) throw new ApiFailure('bad-request', err.message);
        throw err;
      }
      try {
        // One .zip (a model downloaded from a library, or a folder zipped by hand) is the model; else the files are.
        const zip = files.length === 1 && /\.zip$/i.test(files[0].name) ? files[0].name : null;
        return await bringIn({ projectId, folder: zip ? join(staged.dir, zip) : staged.dir, name, uploadedAs: zip ?? folder });
      } finally {
        await staged.release();
      }
    },
    'models.saveArchive': async ({ modelId }) => {
      if (!ctx.savePath) {
        return { available: false, path: null, message: 'Save dialogs are not available in the browser: download the model as one .zip from its panel.' };
      }
      return { available: true, path: await saveModelArchive(store, modelId, ctx.savePath) };
    },
    'training.defaults': () => trainingDefaults(),
    'training.set': ({ projectId }) => {
      need(store.projects.get(projectId), 'project', projectId);
      const set = trainingSetOf(store, projectId);
      const sample = set.images[0];
      return {
        count: set.images.length, rule: set.rule, channels: set.nc, colourNote: colourNote(set.images),
        sampleUrl: sample ? ctx.mediaUrl({ imageId: sample.id, variant: 'original', modelId: null, version: imageVersion(sample) }) : null,
      };
    },
    'training.start': (input) => {
      need(store.projects.get(input.projectId), 'project', input.projectId);
      return ctx.jobs.startTraining(input);
    },
    'training.estimate': async (input) => {
      need(store.projects.get(input.projectId), 'project', input.projectId);
      try {
        return await estimateTraining(store, ctx.jobs, input);
      } catch (err) {
        // Too few images, options that cannot train: the caller's to fix, said as the engine says it.
        throw new ApiFailure('conflict', err instanceof Error ? err.message : String(err));
      }
    },
    'training.resume': ({ modelId }) => {
      const m = model(modelId);
      if (m.status === 'training' && activeJobs().some((j) => jobSummary(j).modelId === modelId)) {
        throw new ApiFailure('conflict', `Model ${modelId} is training already`);
      }
      return ctx.jobs.resumeTraining(modelId);
    },
    'training.cancel': ({ modelId }) => {
      model(modelId);
      const job = activeJobs().find((j) => j.kind === 'train' && jobSummary(j).modelId === modelId);
      return { cancelled: job ? ctx.jobs.cancel(job.id) : false };
    },
    'scoring.start': ({ modelId, scope }) => {
      const m = model(modelId);
      if (m.status !== 'ready') throw new ApiFailure('conflict', `Model ${modelId} is ${m.status}; only a trained model can score`);
      return ctx.jobs.startScoring(modelId, scope);
    },
    'jobs.list': (input) => {
      const { projectId, active } = input ?? {};
      const rows = active ? activeJobs() : store.jobs.list({ limit: 200 });
      return rows.filter((j) => projectId === undefined || j.projectId === projectId).map(jobSummary);
    },
    'jobs.get': ({ jobId }) => jobSummary(need(store.jobs.get(jobId), 'job', jobId)),
    'jobs.cancel': ({ jobId }) => {
      const job = need(store.jobs.get(jobId), 'job', jobId);
      if (job.status !== 'running' && job.status !== 'queued') return { cancelled: false };
      return { cancelled: ctx.jobs.cancel(jobId) };
    },
  };
}
