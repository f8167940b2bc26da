// Scores one batch of image files with a loaded model: decode, score in inference mode, calibrate,
// and optionally write each image's reconstruction and full-resolution difference heat map. Shared by
// the scoring job (library mode) and the folder-mode `score`/`eval` commands.
import type { LoadedModel } from '../engine/checkpoint';
import { SCORE_KINDS, type ScoreKind } from '../engine/options';
import { calibrateScores, diffMapAtResolution, scoreBatch } from '../engine/scoring';
import { mapLimit } from '../library/map-limit';
import { loadForModel, loadOriginal } from '../library/prepare';
import { writeHeatmapPng, writeImagePng } from '../library/write';

/** Above this many pixels the difference map stays at model resolution (full size costs more than it shows). */
const MAX_MAP_PIXELS = 4_000_000;

/** Maps written at once: PNG encoding runs on libuv's pool, so a few in flight keep both cores busy. */
const MAP_CONCURRENCY = 4;

export interface MapPaths { recon: string; diff: string }

export interface ScoredImage<R> {
  ref: R;
  /** Raw score of every kind. */
  raw: Record<ScoreKind, number>;
  /** The model's own kind: raw, robust z against validation, percentile among validation images. */
  score: number;
  calibrated: number;
  percentile: number;
  maps?: MapPaths;
}

export interface BatchResult<R> {
  scored: ScoredImage<R>[];
  /** Files that could not be decoded (changed or removed since they were listed). */
  failed: { ref: R; message: string }[];
}

/**
 * The heat map's bright end, fixed per model so maps compare across images: twice the median top-1%
 * reconstruction error of the validation (good) images, so a pixel twice as wrong as a good part's
 * worst pixels is fully bright.
 */
export function heatmapScale(model: LoadedModel): number {
  const median = model.calibration['recon-top1']?.median;
  return median !== undefined && Number.isFinite(median) && median > 0 ? 2 * median : 1;
}

async function writeMaps(model: LoadedModel, path: string, recon: Float32Array, smallDiff: Float32Array, to: MapPaths): Promise<MapPaths> {
  const scale = heatmapScale(model);
  await writeImagePng(to.recon, recon, model.isize, model.isize, model.nc);
  const original = await loadOriginal(path, model.nc);
  if (original.width * original.height <= MAX_MAP_PIXELS) {
    const diff = await diffMapAtResolution(recon, model.isize, model.nc, original.data, original.height, original.width);
    await writeHeatmapPng(to.diff, diff, original.width, original.height, scale);
  } else {
    await writeHeatmapPng(to.diff, smallDiff, model.isize, model.isize, scale);
  }
  return to;
}

export async function scoreImageBatch<R extends { path: string }>(
  model: LoadedModel,
  refs: R[],
  mapsFor?: (ref: R) => MapPaths,
): Promise<BatchResult<R>> {
  const settled = await Promise.allSettled(refs.map((r) => loadForModel(r.path, model.isize, model.nc)));
  const ok: { ref: R; data: Float32Array }[] = [];
  const failed: BatchResult<R>['failed'] = [];
  settled.forEach((s, k) => {
    if (s.status === 'fulfilled') ok.push({ ref: refs[k], data: s.value });
    else failed.push({ ref: refs[k], message: s.reason instanceof Error ? s.reason.message : String(s.reason) });
  });
  if (!ok.length) return { scored: [], failed };

  const per = model.isize * model.isize * model.nc;
  const px = model.isize * model.isize;
  const x = new Float32Array(ok.length * per);
  ok.forEach((o, k) => x.set(o.data, k * per));
  const r = await scoreBatch(model, x, ok.length, Boolean(mapsFor));
  const cal = calibrateScores(r.raw, model.calibration);
  const kind = model.scoreKind;
  const scored = await mapLimit(ok, MAP_CONCURRENCY, async ({ ref }, k): Promise<ScoredImage<R>> => ({
    ref,
    raw: Object.fromEntries(SCORE_KINDS.map((s) => [s, r.raw[s][k]])) as Record<ScoreKind, number>,
    score: r.raw[kind][k],
    calibrated: cal.calibrated[kind][k],
    percentile: cal.percentile[kind][k],
    maps: mapsFor && await writeMaps(model, ref.path, r.reconstructions!.subarray(k * per, (k + 1) * per),
      r.diffMaps!.subarray(k * px, (k + 1) * px), mapsFor(ref)),
  }));
  return { scored, failed };
}
