// Deleting a model: its rows (snapshot, runs, scores, thresholds; reviews stay, unlinked from it), the
// jobs it left unfinished, and its files under the library's folder. Rows first: a model whose files
// outlive it is only disk space, a row whose files are gone would be a broken model.
import { rm } from 'node:fs/promises';
import { modelPaths } from '../data-dir';
import type { Store } from '../store';

/** Deletes a model that has no running or queued job (the caller checks: it owns the queue). */
export async function deleteModel(store: Store, dataDir: string, modelId: number): Promise<void> {
  const model = store.models.get(modelId);
  if (!model) throw new Error(`No model with id ${modelId}.`);
  store.transaction(() => {
    store.jobs.cancelInterruptedOf(modelId, `model "${model.name}" was deleted`);
    store.models.remove(modelId);
  });
  const paths = modelPaths(dataDir, modelId);
  await rm(paths.modelDir, { recursive: true, force: true });
  await rm(paths.mapsDir, { recursive: true, force: true });
}
