// Job-process side of scoring: load the model, score the images in batches, write each image's
// reconstruction and difference map next to the database, and send every batch's scores for the main
// process to write in one transaction (so a kill loses at most the batch in flight).
import { mkdir } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { selectBackend } from '../engine/backends/select';
import { loadModel, type LoadedModel } from '../engine/checkpoint';
import { calibrateScores, diffMapAtResolution, scoreBatch } from '../engine/scoring';
import { loadForModel, loadOriginal } from '../library/prepare';
import { writeHeatmapPng, writeImagePng } from '../library/write';
import type { RunContext } from './child';
import type { ImageRef, ScoreRow, ScoreTask } from './protocol';

/** Above this many pixels the difference map stays at model resolution (full size costs more than it shows). */
const MAX_MAP_PIXELS = 4_000_000;

/** Maps written at once: PNG encoding runs on libuv's pool, so a few in flight keep both cores busy. */
const MAP_CONCURRENCY = 4;

/** `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export function mapPaths(mapsDir: string, hash: string): { recon: string; diff: string } {
  return { recon: join(mapsDir, `${hash}-recon.png`), diff: join(mapsDir, `${hash}-diff.png`) };
}

/**
 * The heatmap's bright end, fixed per model so maps compare across images: twice the median top-1%
 * reconstruction error of the validation (good) images, i.e. a pixel twice as wrong as a good part's
 * worst pixels is fully bright.
 */
export function heatmapScale(model: LoadedModel): number {
  const median = model.calibration['recon-top1']?.median;
  return Number.isFinite(median) && median > 0 ? 2 * median : 1;
}

async function loadAll(images: ImageRef[], isize: number, nc: 1 | 3) {
  const settled = await Promise.allSettled(images.map((i) => loadForModel(i.path, isize, nc)));
  const ok: { ref: ImageRef; data: Float32Array }[] = [];
  const failed: { imageId: number; message: string }[] = [];
  settled.forEach((r, k) => {
    if (r.status === 'fulfilled') ok.push({ ref: images[k], data: r.value });
    else failed.push({ imageId: images[k].id, message: r.reason instanceof Error ? r.reason.message : String(r.reason) });
  });
  return { ok, failed };
}

async function writeMaps(model: LoadedModel, ref: ImageRef, recon: Float32Array, smallDiff: Float32Array, mapsDir: string, scale: number) {
  const paths = mapPaths(mapsDir, ref.hash);
  await writeImagePng(paths.recon, recon, model.isize, model.isize, model.nc);
  const original = await loadOriginal(ref.path, model.nc);
  if (original.width * original.height <= MAX_MAP_PIXELS) {
    const diff = diffMapAtResolution(recon, model.isize, model.nc, original.data, original.height, original.width);
    await writeHeatmapPng(paths.diff, diff, original.width, original.height, scale);
  } else {
    await writeHeatmapPng(paths.diff, smallDiff, model.isize, model.isize, scale);
  }
  return paths;
}

export async function runScoring(task: ScoreTask, ctx: RunContext): Promise<void> {
  await ctx.send({ type: 'progress', phase: 'starting', progress: 0, message: 'loading the model' });
  const backend = await selectBackend(task.backend);
  const model = await loadModel(task.modelDir);
  try {
    await mkdir(task.mapsDir, { recursive: true });
    const scale = heatmapScale(model);
    const kind = model.meta.options.scoreKind;
    const total = task.images.length;
    const failed: { imageId: number; message: string }[] = [];
    const t0 = performance.now();
    let done = 0;
    let scored = 0;
    await ctx.send({ type: 'progress', phase: 'scoring', progress: 0, message: `${backend.name}: ${total} images to score` });
    for (let start = 0; start < total; start += task.batchSize) {
      if (ctx.signal.aborted) {
        await ctx.send({ type: 'done', cancelled: true, result: { kind: 'score', scored, failed } });
        return;
      }
      const { ok, failed: bad } = await loadAll(task.images.slice(start, start + task.batchSize), model.isize, model.nc);
      failed.push(...bad);
      const rows: ScoreRow[] = [];
      if (ok.length) {
        const per = model.isize * model.isize * model.nc;
        const x = new Float32Array(ok.length * per);
        ok.forEach((o, k) => x.set(o.data, k * per));
        const r = scoreBatch(model, x, ok.length, true);
        const cal = calibrateScores(r.raw, model.calibration);
        const px = model.isize * model.isize;
        rows.push(...await mapLimit(ok, MAP_CONCURRENCY, async ({ ref }, k) => {
          const paths = await writeMaps(model, ref, r.reconstructions!.subarray(k * per, (k + 1) * per),
            r.diffMaps!.subarray(k * px, (k + 1) * px), task.mapsDir, scale);
          return {
            imageId: ref.id,
            latent: r.raw.latent[k],
            reconTop1: r.raw['recon-top1'][k],
            baseline: r.raw.baseline[k],
            score: r.raw[kind][k],
            calibrated: cal.calibrated[kind][k],
            percentile: cal.percentile[kind][k],
            reconPath: paths.recon,
            diffPath: paths.diff,
          };
        }));
        await ctx.send({ type: 'scores', rows });
      }
      done += ok.length + bad.length;
      scored += rows.length;
      const ips = done / ((performance.now() - t0) / 1000);
      await ctx.send({
        type: 'progress', phase: 'scoring', progress: total ? done / total : 1, batch: Math.ceil(done / task.batchSize),
        batches: Math.ceil(total / task.batchSize), imagesPerSecond: ips, etaSeconds: (total - done) / ips,
        tensors: tf.memory().numTensors,
      });
    }
    await ctx.send({ type: 'done', cancelled: false, result: { kind: 'score', scored, failed } });
  } finally {
    model.dispose();
  }
}
