// A real library for the API tests: tiny PNGs in an MVTec-like layout imported through the API, and
// a model's results written with the store's own API (standing in for a finished training job).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import type { NewImage, Store } from '../../src-main/store';

/** Gray 16x16 PNGs whose pixels differ per file (distinct hashes), seeded. */
export async function png(path: string, seed: number, bright: number): Promise<void> {
  const px = Buffer.alloc(16 * 16);
  let s = seed * 2654435761;
  for (let i = 0; i < px.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    px[i] = Math.min(255, bright + (s >>> 24) % 32);
  }
  await sharp(px, { raw: { width: 16, height: 16, channels: 1 } }).png().toFile(path);
}

export interface Layout { root: string; good: number; defect: number; bad: number }

export async function writeLayout(root: string): Promise<Layout> {
  const dirs = { 'train/good': 6, 'test/good': 3, 'test/crack': 3 } as const;
  let seed = 1;
  for (const [dir, n] of Object.entries(dirs)) {
    await mkdir(join(root, dir), { recursive: true });
    for (let i = 0; i < n; i++) await png(join(root, dir, `part ${i}.png`), seed++, dir.includes('crack') ? 180 : 60);
  }
  await writeFile(join(root, 'test/crack/not-an-image.png'), 'this is text, not a PNG');
  return { root, good: 9, defect: 3, bad: 1 };
}

/** A 'ready' model over the project's train/good images with a score and maps for every image. */
export async function seedModel(store: Store, projectId: number, mapsDir: string): Promise<number> {
  await mkdir(mapsDir, { recursive: true });
  const trainIds = store.images.ids(projectId, { label: 'good', split: 'train' });
  const model = store.models.create({
    projectId,
    name: 'seeded model',
    options: { isize: 32, epochs: 2 },
    backend: { name: 'wasm', gpu: false, threads: 1, detail: 'test' },
    scoreKind: 'recon-top1',
    trainImageIds: trainIds,
  });
  // 101 validation scores evenly from 0.1 to 0.3: the 75th percentile is 0.25.
  const sorted = Array.from({ length: 101 }, (_, i) => 0.1 + (0.2 * i) / 100);
  // The shape the train runner saves (jobs/protocol.ts trainValidation).
  const validation = {
    calibration: { 'recon-top1': { count: 101, mean: 0.2, std: 0.058, median: 0.2, mad: 0.05, sorted } },
    epochKept: 2, trainCount: 6, validationCount: 101, kept: { errGCon: 0.5 }, synthetic: null,
  };
  store.models.update(model.id, { status: 'ready', validationStats: validation, trainingMs: 4200 });
  const run = store.training.startRun(model.id);
  store.training.addEpoch(run.id, { epoch: 1, errD: 0.7, errG: 30, errGAdv: 0.1, errGCon: 0.5, errGEnc: 0.01, validation: { errGCon: 0.6 }, seconds: 2 });
  store.training.addEpoch(run.id, { epoch: 2, errD: 0.6, errG: 25, errGAdv: 0.1, errGCon: 0.4, errGEnc: 0.01, validation: { errGCon: 0.5 }, seconds: 2 });
  store.training.finishRun(run.id, { status: 'done', epochKept: 2 });
  const rows = [];
  for (const id of store.images.ids(projectId)) {
    const img = store.images.get(id)!;
    // Defects score high, good parts low: enough structure for metrics and thresholds to mean something.
    const score = (img.label === 'defect' ? 0.6 : 0.1) + id * 0.001;
    const reconMapPath = join(mapsDir, `${id}-recon.png`);
    const diffMapPath = join(mapsDir, `${id}-diff.png`);
    await png(reconMapPath, id + 100, 90);
    await png(diffMapPath, id + 200, 10);
    rows.push({ imageId: id, score, reconTop1: score, latent: score / 2, baseline: score / 3, calibrated: (score - 0.2) / 0.044, percentile: 50, reconMapPath, diffMapPath });
  }
  store.scores.write(model.id, rows);
  return model.id;
}

/** An image row written straight to the store, no file behind it (folder and hash from its path unless given):
 *  for tests about what the API makes of rows. Its id. */
export function insertPart(store: Store, projectId: number, path: string, fields: Partial<NewImage> = {}): number {
  return store.images.insert({
    projectId, path, hash: path, width: 8, height: 8, channels: 1, hasAlpha: false, format: 'png', bitDepth: 8, bytes: 1, mtimeMs: 1,
    label: null, split: null, defectType: null, folder: dirname(path), importId: null, thumbnailPath: null, ...fields,
  }).id;
}
