import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep, isAbsolute } from 'node:path';

export interface PathLabel {
  label: 'good' | 'defect' | null;
  split: 'train' | 'test' | null;
  defectType: string | null;
}

const GOOD = new Set(['good', 'ok', 'normal', 'pass', 'passed', 'nominal']);
const DEFECT = new Set(['defect', 'defects', 'defective', 'ng', 'nok', 'bad', 'anomaly', 'anomalous', 'fail', 'failed']);
const TRAIN = new Set(['train', 'training']);
const TEST = new Set(['test', 'testing']);
// Folders that hold uncertain ratings (ELPV's likely_/maybe_defective) must not become confident labels.
const UNCERTAIN = /(^|[_\- ])(maybe|likely|possibly|uncertain|unsure|unknown|unlabeled|unlabelled)([_\- ]|$)/;
// MVTec keeps pixel masks here; they are not parts to score.
const MASK_FOLDERS = new Set(['ground_truth', 'groundtruth', 'masks', 'mask']);

const NONE: PathLabel = { label: null, split: null, defectType: null };

function folderSegments(path: string, root: string): string[] | null {
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  return rel.split(sep).slice(0, -1).map((s) => s.toLowerCase());
}

/**
 * Label and split from the folders between root and the file. The innermost folder that names a
 * label wins (good/ok/normal…, defect/defective/ng/bad…). In the MVTec layout any other folder right
 * under `test/` is a defect type (test/crack -> defect, "crack"). Uncertain folders and mask folders
 * give no label.
 */
export function labelFromPath(path: string, root: string): PathLabel {
  const segments = folderSegments(path, root);
  if (!segments) return NONE;
  if (segments.some((s) => MASK_FOLDERS.has(s))) return NONE;

  let split: PathLabel['split'] = null;
  let splitIndex = -1;
  segments.forEach((s, i) => {
    if (TRAIN.has(s)) [split, splitIndex] = ['train', i];
    else if (TEST.has(s)) [split, splitIndex] = ['test', i];
  });

  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i];
    if (UNCERTAIN.test(s)) return { label: null, split, defectType: null };
    if (GOOD.has(s)) return { label: 'good', split, defectType: null };
    if (DEFECT.has(s)) return { label: 'defect', split, defectType: null };
  }
  // Only the original spelling of a defect type is kept, so the UI shows the folder as the user named it.
  if (split === 'test' && splitIndex + 1 < segments.length) {
    const original = relative(root, path).split(sep)[splitIndex + 1];
    return { label: 'defect', split, defectType: original };
  }
  return { label: null, split, defectType: null };
}

/** True for files under an MVTec ground_truth (mask) folder, which an importer should skip. */
export function isMaskPath(path: string, root: string): boolean {
  const segments = folderSegments(path, root);
  return segments !== null && segments.some((s) => MASK_FOLDERS.has(s));
}

function childFolder(parent: string, name: string): string | null {
  try {
    const match = readdirSync(parent).find((entry) => entry.toLowerCase() === name);
    if (match === undefined) return null;
    const full = join(parent, match);
    return statSync(full).isDirectory() ? full : null;
  } catch {
    return null;
  }
}

/** root/train/good (any letter case) when that MVTec layout exists, else root itself. */
export function trainingFolder(root: string): string {
  const train = childFolder(root, 'train');
  const good = train && childFolder(train, 'good');
  return good ?? root;
}
