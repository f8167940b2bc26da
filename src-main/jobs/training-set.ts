// Which images a new model trains on, in the library (selectTrainingSet) and in a folder (the CLI's
// `train <folder>`, pickTrainingImages): one rule, TRAINING_TIERS, documented for the user in the job's
// phase message:
// 1. the project's images labelled good whose split is train or unset (a test split is never trained on);
// 2. only if the project has no such labelled good image: its unlabelled images with split train or unset
//    (an unlabelled library is assumed to be mostly good parts, the usual one-class setting);
// defects are never trained on. Images missing on disk are skipped.
// In the library, review decisions then correct the folder labels (a reviewer has looked at the part): an
// image whose latest review is defect or unsure is left out, one reviewed good outside a test split is
// added. The tier stays the folder labels' choice, so reviewing a few flagged parts of an unlabelled
// library does not shrink its training set to those few. A part taken out with its folder and imported again
// (the same content) counts with the decision it had when it went, until it is reviewed again.
import { basename } from 'node:path';
import type { ImageRow, Store } from '../store';
import type { Label, Split } from '../shared/vocabulary';

/** A test split is never trained on. */
const TRAINABLE_SPLITS = ['train', 'none'] as const;
/** The first tier with any image is the training set. */
export const TRAINING_TIERS = [
  { label: 'good', splits: TRAINABLE_SPLITS, rule: 'images labelled good (train split or no split)' },
  { label: 'none', splits: TRAINABLE_SPLITS, rule: 'unlabelled images (the project has no image labelled good)' },
] as const;
const NO_TRAINING_IMAGES = 'no good or unlabelled image outside a test split';

type Tier = (typeof TRAINING_TIERS)[number];
const inTier = (img: { label: Label | null; split: Split | null }, t: Tier) =>
  (img.label ?? 'none') === t.label && (t.splits as readonly string[]).includes(img.split ?? 'none');

/** The rule over images in hand (a folder's): the first tier's images, in their order. */
export function pickTrainingImages<T extends { label: Label | null; split: Split | null }>(images: T[]): { images: T[]; rule: string } {
  for (const t of TRAINING_TIERS) {
    const picked = images.filter((i) => inTier(i, t));
    if (picked.length) return { images: picked, rule: t.rule };
  }
  return { images: [], rule: NO_TRAINING_IMAGES };
}

export interface TrainingSet {
  images: ImageRow[];
  /** How the set was chosen, in words. */
  rule: string;
  /** Channels the model uses: 1 when every training image is gray, else 3. */
  nc: 1 | 3;
}

/** What a new model of the project would train on now: possibly no image (then the rule says why). */
export function trainingSetOf(store: Store, projectId: number): TrainingSet {
  if (!store.projects.get(projectId)) throw new Error(`No project with id ${projectId}.`);
  const rows = store.images.all(projectId); // present on disk, in id order
  const byLabel = pickTrainingImages(rows);
  const decisions = store.reviews.decisions(projectId);
  // A part taken out with its folder and imported again is judged as it was when it went, until it is reviewed again.
  const carried = store.reviews.carriedDecisions(projectId);
  const decisionOf = (i: ImageRow) => decisions.get(i.id) ?? carried.get(i.id);
  const kept = byLabel.images.filter((i) => (decisionOf(i) ?? 'good') === 'good');
  const inSet = new Set(kept.map((i) => i.id));
  // The reviewed-good images are among the present rows already read (a missing one is not).
  const added = rows.filter((i) => decisionOf(i) === 'good' && !inSet.has(i.id) && (TRAINABLE_SPLITS as readonly string[]).includes(i.split ?? 'none'));
  const images = [...kept, ...added].sort((a, b) => a.id - b.id);
  const left = byLabel.images.length - kept.length;
  const before = [...byLabel.images.filter((i) => !inSet.has(i.id)), ...added].filter((i) => !decisions.has(i.id)).length;
  const reviewed = [left ? `less ${left} reviewed defect or unsure` : '', added.length ? `plus ${added.length} reviewed good` : ''].filter(Boolean);
  const note = before ? ` (${before} of them reviewed before their folder was taken out and imported again)` : '';
  const rule = (!byLabel.images.length && added.length ? 'images reviewed good (train split or no split)'
    : [byLabel.rule, ...reviewed].join(', ')) + note;
  if (!images.length) return { images, rule: left ? `${byLabel.rule}, but all ${left} were reviewed defect or unsure` : NO_TRAINING_IMAGES, nc: 1 };
  return { images, rule, nc: modelChannels(images) };
}

/** trainingSetOf, refusing a project with nothing to train on. */
export function selectTrainingSet(store: Store, projectId: number): TrainingSet {
  const set = trainingSetOf(store, projectId);
  if (!set.images.length) {
    throw new Error(
      `Project "${store.projects.get(projectId)!.name}" has no images to train on: import good parts first (a folder named good, ok or train/good, or unlabelled images).`,
    );
  }
  return set;
}

/** The model's channels for a training set: gray when every image's content is gray, else RGB. */
export function modelChannels(images: readonly { channels: number }[]): 1 | 3 {
  return images.every((i) => i.channels === 1) ? 1 : 3;
}

/** When a few colour images make a mostly gray set RGB, which ones (a stray file is a likely cause); else ''. */
export function colourNote(images: readonly { path: string; channels: number }[]): string {
  const colour = images.filter((i) => i.channels === 3);
  if (!colour.length || colour.length === images.length) return '';
  const gray = images.length - colour.length;
  const which = colour.length === 1 ? `${basename(colour[0].path)} has colour` : `${colour.length} images have colour (e.g. ${basename(colour[0].path)})`;
  return `${which}, the other ${gray} ${gray === 1 ? 'is' : 'are'} gray`;
}
