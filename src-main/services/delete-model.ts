// Deleting a model or a whole project: the rows (a model's snapshot, runs, scores, thresholds; a project's
// images, models, reviews, imports and jobs), the jobs a model left unfinished, and the models' files under
// the library's folder. Rows first: a model whose files outlive it is only disk space, a row whose files are
// gone would be a broken model. Image files on disk are never touched.
import { rm } from 'node:fs/promises';
import { modelPaths } from '../data-dir';
import type { Store } from '../store';

async function removeModelFiles(dataDir: string, modelId: number): Promise<void> {
  const paths = modelPaths(dataDir, modelId);
  await rm(paths.modelDir, { recursive: true, force: true });
  await rm(paths.mapsDir, { recursive: true, force: true });
}

/** Deletes a model that has no running or queued job (the caller checks: it owns the queue). */
export async function deleteModel(store: Store, dataDir: string, modelId: number): Promise<void> {
  const model = store.models.get(modelId);
  if (!model) throw new Error(`No model with id ${modelId}.`);
  store.transaction(() => {
    // Never resumed onto a later model given the same id.
    store.jobs.cancelInterruptedOf(modelId, `model "${model.name}" was deleted`);
    store.models.remove(modelId);
  });
  await removeModelFiles(dataDir, modelId);
}

/** Deletes a project with no running or queued job, and everything in it (its jobs go with it). */
export async function deleteProject(store: Store, dataDir: string, projectId: number): Promise<void> {
  if (!store.projects.get(projectId)) throw new Error(`No project with id ${projectId}.`);
  const models = store.models.list(projectId);
  store.projects.remove(projectId);
  for (const m of models) await removeModelFiles(dataDir, m.id);
}
