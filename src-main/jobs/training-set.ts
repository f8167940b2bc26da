// Which images a new model trains on. Rule (documented for the user in the job's phase message):
// 1. the project's images labelled good whose split is train or unset (a test split is never trained on);
// 2. only if the project has no such labelled good image: its unlabelled images with split train or unset
//    (an unlabelled library is assumed to be mostly good parts, the usual one-class setting);
// defects are never trained on. Images missing on disk are skipped.
import type { ImageRow, ImageFilter, Store } from '../store';

export interface TrainingSet {
  images: ImageRow[];
  /** How the set was chosen, in words. */
  rule: string;
  /** Channels the model uses: 1 when every training image is gray, else 3. */
  nc: 1 | 3;
}

function all(store: Store, projectId: number, filter: ImageFilter): ImageRow[] {
  const out: ImageRow[] = [];
  for (let page = store.images.list(projectId, filter, { limit: 5000 }); page.length; ) {
    out.push(...page);
    page = store.images.list(projectId, filter, { afterId: page[page.length - 1].id, limit: 5000 });
  }
  return out;
}

export function selectTrainingSet(store: Store, projectId: number): TrainingSet {
  const project = store.projects.get(projectId);
  if (!project) throw new Error(`No project with id ${projectId}.`);
  const byId = (a: ImageRow, b: ImageRow) => a.id - b.id;
  let images = [...all(store, projectId, { label: 'good', split: 'train' }), ...all(store, projectId, { label: 'good', split: 'none' })];
  let rule = 'images labelled good (train split or no split)';
  if (!images.length) {
    images = [...all(store, projectId, { label: 'none', split: 'train' }), ...all(store, projectId, { label: 'none', split: 'none' })];
    rule = 'unlabelled images (the project has no image labelled good)';
  }
  if (!images.length) {
    throw new Error(
      `Project "${project.name}" has no images to train on: import good parts first (a folder named good, ok or train/good, or unlabelled images).`,
    );
  }
  images.sort(byId);
  return { images, rule, nc: images.every((i) => i.channels === 1) ? 1 : 3 };
}
