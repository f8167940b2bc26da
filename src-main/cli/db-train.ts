// `train --db <file> [--project <name>] [--name <model>] [engine flags]`: trains a model on a library
// project's good images in a job process, recording every epoch in the database. The lead's `train`
// command dispatches here when --db is given.
import type { ScoreKind } from '../shared/vocabulary';
import { trainValidation } from '../jobs/protocol';
import { estimateTraining } from '../jobs/training-estimate';
import { trainingSetOf } from '../jobs/training-set';
import { describeCrop } from '../engine/patches';
import { storedOptions } from '../engine/options';
import { engineOptionsFrom, type EngineFlags } from './engine-options';
import { andColour } from './folder-images';
import { failIfNotDone, findProject, openLibrary, runJobs, startQueue } from './library-db';

export interface DbTrainFlags extends EngineFlags {
  db?: string;
  project?: string;
  name?: string;
}

export async function runDbTrain(flags: DbTrainFlags): Promise<void> {
  const lib = openLibrary(flags.db, { create: false });
  try {
    const project = findProject(lib.store, flags.project);
    const queue = startQueue(lib);
    let started: { jobId: number; modelId: number };
    try {
      // The plan and a measured ETA before the first step (the library's last run, else 2 timed steps).
      const estimate = await estimateTraining(lib.store, queue, {
        projectId: project.id, options: engineOptionsFrom(flags), backend: flags.backend ?? 'auto', workers: flags.workers ?? 'auto',
      });
      process.stderr.write(`plan: ${estimate.text}\n`);
      started = queue.enqueueTrain({
        projectId: project.id,
        name: flags.name,
        options: engineOptionsFrom(flags),
        backend: flags.backend ?? 'auto',
        workers: flags.workers,
      });
    } catch (err) {
      await queue.close();
      throw err;
    }
    const set = trainingSetOf(lib.store, project.id);
    process.stderr.write(`training model ${started.modelId} of project "${project.name}" as job ${started.jobId}: ` +
      `${set.images.length} ${set.rule} (${set.nc === 1 ? 'gray' : 'RGB'})${andColour(set.images)}\n`);
    const [job] = await runJobs(lib, queue, [started.jobId]);
    const model = lib.store.models.get(started.modelId);
    if (job.status === 'done' && model) {
      process.stdout.write(`model ${model.id} "${model.name}" ready: ${model.trainCount} training images, ` +
        `score kind ${model.scoreKind}, ${((model.trainingMs ?? 0) / 1000).toFixed(1)} s of training\n` +
        syntheticFigure(model.validationStats, model.scoreKind) +
        `crop: ${describeCrop(model.patchScale, storedOptions(model.options).isize ?? 32)}\n` +
        `next: score --db ${lib.dbFile} --model ${model.id}\n`);
    }
    failIfNotDone([job]);
  } finally {
    lib.close();
  }
}

/** The synthetic-defect AUROC saved with the model's validation statistics, as one line (or nothing). */
function syntheticFigure(stats: unknown, kind: string): string {
  const parsed = trainValidation.pick({ synthetic: true }).safeParse(stats);
  const a = parsed.success ? parsed.data.synthetic?.auroc : undefined;
  const own = a?.[kind as ScoreKind];
  return a && own !== undefined ? `detects synthetic defects at AUROC ${own.toFixed(3)} (model-free baseline ${a.baseline.toFixed(3)})\n` : '';
}
