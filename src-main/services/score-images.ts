// Scores one batch of image files with a loaded model: decode, score in inference mode, calibrate,
// and optionally write each image's reconstruction and full-resolution difference heat map. Shared by
// the scoring job (library mode) and the folder-mode `score`/`eval` commands.
import { normalisedDeviations } from '../engine/baseline';
import type { LoadedModel } from '../engine/checkpoint';
import { parseOptions, SCORE_KINDS, type ScoreKind } from '../engine/options';
import { ScorePool, type BatchScorer } from '../engine/parallel/score-pool';
import { resizeMap, scaledSize, scorePatches, type PatchScores } from '../engine/patches';
import { calibrateScores, EVERY_KIND, scoreBatch, type CostlyKinds, type RawScores, type ScoreResult } from '../engine/scoring';
import { heatmapAtResolution } from '../library/heatmap';
import { mapLimit } from '../library/map-limit';
import type { ScoreKindSet } from '../shared/vocabulary';
import { loadManyForModel, loadOriginal, loadScaled, type ByteImage } from '../library/prepare';
import { viewOf, type ImageView } from '../shared/left-out';
import { writeHeatmapPng, writeImagePng, writeRgbPng } from '../library/write';

/** Above this many pixels the difference map stays at model resolution (full size costs more than it shows). */
const MAX_MAP_PIXELS = 4_000_000;

/**
 * With maps, images up to this many pixels are decoded once for both the model and the map and kept for the
 * batch (3 MB each in RGB); larger ones are decoded again when their map is written.
 */
const DECODE_ONCE_MAX_PIXELS = 1_048_576;

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
  /** Whole-image models with the normalised baseline's statistics, from the image's normalised deviation map:
   *  baselineZ its top 1 % (the model-free baseline normalised per pixel, `eval`'s baseline-z), shift its median
   *  (the capture shift, blind to a small defect; beyond the model's shiftLimit the image differs as a whole). */
  baselineZ?: number;
  shift?: number;
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

/** What of each image the model sees (its inspection region, its left-out areas filled), or null for the whole image. */
function modelView(model: Pick<LoadedModel, 'meta'>): ImageView | null {
  return viewOf(model.meta.options);
}

async function writeMaps(
  model: LoadedModel, path: string, recon: Float32Array, smallDiff: Float32Array, to: MapPaths, decoded?: ByteImage,
): Promise<MapPaths> {
  const scale = heatmapScale(model);
  await writeImagePng(to.recon, recon, model.isize, model.isize, model.nc);
  const original = decoded ?? await loadOriginal(path, model.nc, modelView(model));
  if (original.width * original.height <= MAX_MAP_PIXELS) {
    await writeRgbPng(to.diff, heatmapAtResolution(recon, model.isize, model.nc, original, scale), original.width, original.height);
  } else {
    await writeHeatmapPng(to.diff, smallDiff, model.isize, model.isize, scale);
  }
  return to;
}

/** One file decoded: at the model's size, or in patch mode at its working scale (with its own size). */
export interface DecodedImage<R> {
  ref: R;
  data: Float32Array;
  /** Patch mode: the working size of `data` and the file's own size (for the native heat map). */
  patch?: { width: number; height: number; nativeWidth: number; nativeHeight: number };
  /** The file at its own size, when the heat map is wanted and one decode served both. */
  original?: ByteImage;
}

/** A batch's files decoded for the model; never rejects (a file that fails is listed in `failed`). */
export interface DecodedBatch<R> { ok: DecodedImage<R>[]; failed: BatchResult<R>['failed'] }

async function decodeScaled<R extends { path: string }>(model: LoadedModel, ref: R, scale: number): Promise<DecodedImage<R>> {
  let native = { width: 0, height: 0 };
  const img = await loadScaled(ref.path, model.nc, (width, height) => {
    native = { width, height };
    return scaledSize(width, height, model.isize, scale);
  }, modelView(model));
  return { ref, data: img.data, patch: { width: img.width, height: img.height, nativeWidth: native.width, nativeHeight: native.height } };
}

export async function decodeBatch<R extends { path: string }>(model: LoadedModel, refs: R[], withMaps = false): Promise<DecodedBatch<R>> {
  const scale = model.meta.patchScale;
  const settled: PromiseSettledResult<DecodedImage<R>>[] = scale == null
    ? (await loadManyForModel(refs.map((r) => r.path), model.isize, model.nc, withMaps ? DECODE_ONCE_MAX_PIXELS : 0, undefined, modelView(model)))
      .map((s, k) => (s.status === 'fulfilled' ? { status: 'fulfilled', value: { ref: refs[k], ...s.value } } : s))
    : await Promise.allSettled(refs.map((r) => decodeScaled(model, r, scale)));
  const ok: DecodedBatch<R>['ok'] = [];
  const failed: BatchResult<R>['failed'] = [];
  settled.forEach((s, k) => {
    if (s.status === 'fulfilled') ok.push(s.value);
    else failed.push({ ref: refs[k], message: s.reason instanceof Error ? s.reason.message : String(s.reason) });
  });
  return { ok, failed };
}

/**
 * Scores `refs` batch by batch as a pipeline: the next batch decodes (sharp, on libuv's threads) and is
 * queued on the scoring workers while this batch is scored, and a batch's maps are written while the
 * next is scored, so no stage waits for another. `onBatch` sees each batch's result in order, after its
 * maps exist; returning false (or `stopped` turning true) stops before the batch after the one in flight
 * (whose scores are dropped). kinds 'model' computes latent and feature only when one is the model's own kind
 * (each costs passes beyond GE and GD: E, or D twice); 'all' computes every kind (eval --all-kinds, benchmarks).
 */
export async function scoreInBatches<R extends { path: string }>(
  model: LoadedModel, refs: R[], batchSize: number, mapsFor: ((ref: R) => MapPaths) | undefined,
  onBatch: (batch: BatchResult<R>, end: number) => Promise<boolean | void> | boolean | void,
  stopped: () => boolean = () => false,
  kinds: ScoreKindSet = 'all',
): Promise<void> {
  if (stopped() || !refs.length) return;
  const costly: CostlyKinds = kinds === 'all' ? EVERY_KIND : { latent: model.scoreKind === 'latent', feature: model.scoreKind === 'feature' };
  const withMaps = Boolean(mapsFor);
  const decode = (start: number) => decodeBatch(model, refs.slice(start, start + batchSize), withMaps);
  let next: Promise<DecodedBatch<R>> | undefined = decode(0);
  // More than one batch (or patch mode: dozens of patches per image): worker threads score, this one
  // decodes and writes. Until they are up (a second or so) this thread scores, so a short run never waits.
  let pool: ScorePool | undefined;
  const starting = refs.length > batchSize || model.meta.patchScale != null ? startPool(model) : Promise.resolve(undefined);
  void starting.then((p) => { pool = p; });
  const scorer = (x: Float32Array, n: number, m: boolean, k?: CostlyKinds) => (pool ? pool.score(x, n, m, k) : scoreBatch(model, x, n, m, k));
  // The batch sent for scoring and not yet finished, and the previous batch's maps and onBatch (false: stop).
  let inFlight: { scores: Promise<ScoredBatch<R>>; end: number } | undefined;
  let previous: Promise<boolean> = Promise.resolve(true);
  try {
    for (let start = 0; next || inFlight; start += batchSize) {
      let sent: typeof inFlight;
      if (next) {
        const decoded = await next;
        const end = Math.min(start + batchSize, refs.length);
        next = end < refs.length ? decode(end) : undefined;
        sent = { scores: scoreDecoded(model, decoded, withMaps, costly, scorer), end };
        sent.scores.catch(() => undefined); // awaited next round; this only keeps Node from calling it unhandled meanwhile
      }
      if (inFlight) {
        const { end } = inFlight;
        const scores = await inFlight.scores;
        const before = previous;
        previous = (async () => {
          const batch = await finishBatch(model, scores, mapsFor);
          if (!(await before)) return false;
          return (await onBatch(batch, end)) !== false && !stopped();
        })();
        previous.catch(() => undefined);
        // At most one batch's maps in flight beside the next batches' scoring.
        if (!(await before)) break;
      }
      inFlight = sent;
    }
    await previous;
  } finally {
    await (await starting)?.close();
  }
}

/** A scoring pool of a worker per core, or none when this backend runs one thread here or a worker cannot start. */
async function startPool(model: LoadedModel): Promise<ScorePool | undefined> {
  try {
    return await ScorePool.start(model, parseOptions(model.meta.options));
  } catch {
    // Scoring on this thread alone is slower, never wrong.
    return undefined;
  }
}

/** A batch's scores before its maps are written (patch mode: per image, its grid's). */
interface ScoredBatch<R> { ok: DecodedBatch<R>['ok']; failed: BatchResult<R>['failed']; result?: ScoreResult; normalised?: { top: Float32Array; median: Float32Array }; patches?: PatchScores[] }

async function scoreDecoded<R>(
  model: LoadedModel, decoded: DecodedBatch<R>, withMaps: boolean, costly: CostlyKinds, scorer: BatchScorer,
): Promise<ScoredBatch<R>> {
  const { ok, failed } = decoded;
  if (!ok.length) return { ok, failed };
  if (model.meta.patchScale != null) {
    // Patch mode: each image by its worst patch over the grid at its working scale, the patches through the
    // same batch scorer (so both cores help). Each patch is scored on its own pixels: no image affects another.
    const patches: PatchScores[] = [];
    for (const o of ok) {
      patches.push(await scorePatches(model, o.data, o.patch!.height, o.patch!.width, { withMaps, scorer: (x, n, m) => scorer(x, n, m, costly) }));
    }
    return { ok, failed, patches };
  }
  const per = model.isize * model.isize * model.nc;
  const x = new Float32Array(ok.length * per);
  ok.forEach((o, k) => x.set(o.data, k * per));
  const result = await scorer(x, ok.length, withMaps, costly);
  const stats = model.deviationStats;
  return { ok, failed, result, ...(stats ? { normalised: normalisedDeviations(x, ok.length, model.meanImage, model.nc, stats) } : {}) };
}

/** Calibrates a scored batch and writes its maps (when asked for). */
async function finishBatch<R extends { path: string }>(model: LoadedModel, b: ScoredBatch<R>, mapsFor?: (ref: R) => MapPaths): Promise<BatchResult<R>> {
  if (b.patches) return { scored: await finishPatches(model, b.ok, b.patches, mapsFor), failed: b.failed };
  const r = b.result;
  if (!r) return { scored: [], failed: b.failed };
  const per = model.isize * model.isize * model.nc;
  const px = model.isize * model.isize;
  const cal = calibrateScores(r.raw, model.calibration);
  const kind = model.scoreKind;
  const scored = await mapLimit(b.ok, MAP_CONCURRENCY, async ({ ref, original }, k): Promise<ScoredImage<R>> => ({
    ref,
    raw: Object.fromEntries(SCORE_KINDS.map((s) => [s, r.raw[s][k]])) as Record<ScoreKind, number>,
    score: r.raw[kind][k],
    calibrated: cal.calibrated[kind][k],
    percentile: cal.percentile[kind][k],
    ...(b.normalised ? { baselineZ: b.normalised.top[k], shift: b.normalised.median[k] } : {}),
    maps: mapsFor && await writeMaps(model, ref.path, r.reconstructions!.subarray(k * per, (k + 1) * per),
      r.diffMaps!.subarray(k * px, (k + 1) * px), mapsFor(ref), original),
  }));
  return { scored, failed: b.failed };
}

/**
 * Patch mode's images calibrated, with maps: the heat map is the patches' stitched |x - G(x)| (stitchNearest) resized to the
 * file's own size (at working scale above MAX_MAP_PIXELS), the reconstruction the patches' reconstructions stitched.
 */
async function finishPatches<R extends { path: string }>(
  model: LoadedModel, ok: DecodedImage<R>[], results: PatchScores[], mapsFor?: (ref: R) => MapPaths,
): Promise<ScoredImage<R>[]> {
  const raw = Object.fromEntries(SCORE_KINDS.map((k) => [k, Float32Array.from(results, (r) => r.raw[k])])) as RawScores;
  const cal = calibrateScores(raw, model.calibration);
  const kind = model.scoreKind;
  const scale = heatmapScale(model);
  return mapLimit(ok, MAP_CONCURRENCY, async ({ ref, patch }, k): Promise<ScoredImage<R>> => {
    let maps: MapPaths | undefined;
    if (mapsFor) {
      const p = patch!;
      const r = results[k];
      maps = mapsFor(ref);
      await writeImagePng(maps.recon, r.reconstruction!, p.width, p.height, model.nc);
      const native = p.nativeWidth * p.nativeHeight <= MAX_MAP_PIXELS;
      const [h, w] = native ? [p.nativeHeight, p.nativeWidth] : [p.height, p.width];
      await writeHeatmapPng(maps.diff, await resizeMap(r.diffMap!, p.height, p.width, h, w), w, h, scale);
    }
    return {
      ref, raw: results[k].raw, score: results[k].raw[kind], calibrated: cal.calibrated[kind][k], percentile: cal.percentile[kind][k], maps,
    };
  });
}
