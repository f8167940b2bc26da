// `score --db <file> --model <id> [--all]`: scores the project's images with a trained model in a job
// process; scores are written batch by batch, so a re-run after a kill continues where it stopped. Then, as
// the Threshold screen does, names the lots that flag more than the others beyond chance at the saved threshold
// and those most of whose parts differ from the good parts as a whole.
import type { BackendName } from '../engine/backends/select';
import { failIfNotDone, findModel, openLibrary, runJobs, lotWarnings, startQueue } from './library-db';

export interface DbScoreFlags {
  db?: string;
  model?: string;
  /** Score again images the model has already scored. */
  all?: boolean;
  backend?: BackendName | 'auto';
}

export async function runDbScore(flags: DbScoreFlags): Promise<void> {
  const lib = openLibrary(flags.db, { create: false });
  try {
    const model = findModel(lib.store, flags.model);
    const modelId = model.id;
    const queue = startQueue(lib);
    let jobId: number;
    try {
      jobId = queue.enqueueScore({ modelId, scope: flags.all ? 'all' : 'missing', backend: flags.backend ?? 'auto' }).jobId;
    } catch (err) {
      await queue.close();
      throw err;
    }
    const [job] = await runJobs(lib, queue, [jobId]);
    if (job.status === 'done') {
      process.stdout.write(`${job.message ?? 'done'}; model ${modelId} has ${lib.store.scores.count(modelId)} scores\n`);
      const lots = lotWarnings(lib.store, model);
      for (const warning of [lots.flagJumps, lots.shifted]) if (warning) process.stdout.write(`warning: ${warning}\n`);
      process.stdout.write(`next: export --db ${lib.dbFile} --model ${modelId} --csv scores.csv\n`);
    }
    failIfNotDone([job]);
  } finally {
    lib.close();
  }
}
