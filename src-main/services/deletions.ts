// Deleting a model, a whole project, or a folder of a project: the rows (a model's snapshot, runs, scores,
// thresholds; a project's images, models, imports and jobs), the jobs a model left unfinished, and
// what the library wrote for them in its folder (models' files, uploaded copies, thumbnails no other image
// shows). Rows first: a file that outlives its row is only disk space, a row whose files are gone would be
// broken. Image files the user imported from disk are never touched, nor the images' reviews: the database keeps
// them in removed_reviews (migration 16) whatever deletes their images.
import { rm } from 'node:fs/promises';
import { sep } from 'node:path';
import { modelPaths, thumbnailsDir } from '../data-dir';
import type { Store } from '../store';
import type { UploadStore } from './uploads';

type Uploads = Pick<UploadStore, 'dropFolder' | 'dropProject'>;

/** Deletes the thumbnails among `paths` that no image shows any more (one of the same content in another
 *  project still does); a thumbnail deleted under a concurrent import only makes its image show the original. */
async function dropUnusedThumbnails(store: Store, dataDir: string, paths: string[]): Promise<void> {
  const inUse = store.images.thumbnailsInUse(paths);
  const ours = thumbnailsDir(dataDir) + sep;
  for (const p of paths) if (!inUse.has(p) && p.startsWith(ours)) await rm(p, { force: true });
}

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
export async function deleteProject(store: Store, dataDir: string, uploads: Uploads, projectId: number): Promise<void> {
  if (!store.projects.get(projectId)) throw new Error(`No project with id ${projectId}.`);
  const models = store.models.list(projectId);
  const thumbnails = store.images.thumbnailsOf(projectId);
  store.projects.remove(projectId);
  for (const m of models) await removeModelFiles(dataDir, m.id);
  await uploads.dropProject(projectId); // a project given this id later starts with no uploads
  await dropUnusedThumbnails(store, dataDir, thumbnails);
}

/** Takes the project's images in `folder` (not its subfolders) out of it, with their scores (their reviews stay in its trail); how many. */
export async function removeFolder(store: Store, dataDir: string, uploads: Uploads, projectId: number, folder: string): Promise<number> {
  const thumbnails = store.images.thumbnailsOf(projectId, folder);
  const removed = store.images.removeFolder(projectId, folder);
  if (removed) {
    await uploads.dropFolder(projectId, folder); // uploaded copies only: the user's own files stay
    await dropUnusedThumbnails(store, dataDir, thumbnails);
  }
  return removed;
}
