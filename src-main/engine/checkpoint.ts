// Model directories and resumable training checkpoints, with node:fs (no tfjs-node). Weight files use
// the tfjs weights layout (float32 little-endian, concatenated in manifest order), so tf.io.decodeWeights
// reads them; the manifest sits in the JSON next to them.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileBeside } from '../write-beside';
import type { BackendInfo } from './backends/select';
import type { Calibration } from './calibration';
import { scoringNets } from './folded-nets';
import type { NetD, WeightValue } from './networks';
import { parseOptions, resolveScoreKind, type ModelScoreKind } from './options';
import type { PixelStats } from './pixel-stats';
import type { ScoringModel } from './scoring';
import { CHECKPOINT_FORMAT, FORMAT_VERSION, MODEL_FORMAT, readJson, readModelMeta, weightBytes, type ModelMeta, type WeightFile } from './model-dir';
import type { TrainingSnapshot } from './trainer';

export { readModelMeta, type ModelMeta } from './model-dir';

export interface LoadedModel extends ScoringModel {
  meta: ModelMeta;
  netD: NetD;
  /** meta.scoreKind, filled in for models saved before it was recorded. */
  scoreKind: ModelScoreKind;
  calibration: Calibration;
  dispose(): void;
}

/** sha256 of the sorted list of training files: tells whether two models saw the same data. */
export function hashFileList(files: string[]): string {
  return createHash('sha256').update([...files].sort().join('\n')).digest('hex');
}

async function saveWeights(dir: string, file: string, values: WeightValue[]): Promise<WeightFile> {
  const total = values.reduce((a, v) => a + v.values.length, 0);
  const buf = new Float32Array(total);
  let off = 0;
  for (const v of values) { buf.set(v.values, off); off += v.values.length; }
  await writeFileBeside(join(dir, file), new Uint8Array(buf.buffer));
  return { file, specs: values.map((v) => ({ name: v.name, shape: v.shape, dtype: 'float32' })) };
}

async function loadWeights(dir: string, wf: WeightFile): Promise<WeightValue[]> {
  const bytes = await readFile(join(dir, wf.file));
  const need = weightBytes(wf);
  if (bytes.byteLength !== need) {
    throw new Error(`${join(dir, wf.file)}: ${bytes.byteLength} bytes, the manifest describes ${need} (truncated or corrupt)`);
  }
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let off = 0;
  return wf.specs.map((s) => {
    const n = s.shape.reduce((x, y) => x * y, 1);
    const v = { name: s.name, shape: s.shape, values: all.subarray(off, off + n) };
    off += n;
    return v;
  });
}


export interface SaveModelArgs {
  snapshot: TrainingSnapshot;
  backend: BackendInfo | null;
  trainingSetHash: string;
  /** Content hashes of the images the model trained and validated on. */
  trainingHashes: string[];
}

/** Writes the kept epoch as a model directory (model.json + weight files). */
export async function saveModel(dir: string, a: SaveModelArgs): Promise<ModelMeta> {
  const s = a.snapshot;
  if (!s.best || !s.calibration) throw new Error('cannot save a model before its first epoch has finished');
  await mkdir(dir, { recursive: true });
  const meta: ModelMeta = {
    format: MODEL_FORMAT, version: FORMAT_VERSION, createdAt: new Date().toISOString(),
    options: s.options, isize: s.options.isize, nc: s.options.nc, backend: a.backend,
    epochKept: s.bestEpoch, epochsTrained: s.epoch, trainingSetHash: a.trainingSetHash,
    trainingHashes: [...new Set(a.trainingHashes)].sort(),
    trainCount: s.split.train.length, validationCount: s.split.validation.length,
    calibration: s.calibration, scoreKind: resolveScoreKind(s.options.scoreKind, s.synthetic?.best),
    ...(s.synthetic ? { synthetic: s.synthetic } : {}), patchScale: s.patchScale ?? null,
    ...(s.shiftLimit !== undefined ? { shiftLimit: s.shiftLimit } : {}), history: s.history,
    weights: {
      netG: await saveWeights(dir, 'netG.weights.bin', s.best.netG),
      netD: await saveWeights(dir, 'netD.weights.bin', s.best.netD),
      meanImage: await saveWeights(dir, 'mean-image.bin',
        [{ name: 'mean_image', shape: [s.options.isize, s.options.isize, s.options.nc], values: s.meanImage }]),
      ...(s.errorStats ? { errorStats: await savePixelStats(dir, 'error', s.options.isize, s.errorStats) } : {}),
      ...(s.deviationStats ? { deviationStats: await savePixelStats(dir, 'deviation', s.options.isize, s.deviationStats) } : {}),
    },
  };
  await writeFileBeside(join(dir, 'model.json'), JSON.stringify(meta, null, 1));
  return meta;
}

/** Per-pixel statistics as `<name>-stats.bin` (tensors <name>_mean and <name>_scale, isize x isize). */
function savePixelStats(dir: string, name: string, isize: number, stats: PixelStats): Promise<WeightFile> {
  return saveWeights(dir, `${name}-stats.bin`, [
    { name: `${name}_mean`, shape: [isize, isize], values: stats.mean },
    { name: `${name}_scale`, shape: [isize, isize], values: stats.scale },
  ]);
}

async function loadPixelStats(dir: string, file: WeightFile): Promise<PixelStats> {
  const [mean, scale] = await loadWeights(dir, file);
  return { mean: Float32Array.from(mean.values), scale: Float32Array.from(scale.values) };
}


/** Rebuilds the networks from a model directory, ready to score (and to continue training from). */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const meta = await readModelMeta(dir);
  const options = parseOptions(meta.options);
  const [g, d, mean, errors, deviations] = await Promise.all([
    loadWeights(dir, meta.weights.netG), loadWeights(dir, meta.weights.netD), loadWeights(dir, meta.weights.meanImage),
    meta.weights.errorStats ? loadPixelStats(dir, meta.weights.errorStats) : undefined,
    meta.weights.deviationStats ? loadPixelStats(dir, meta.weights.deviationStats) : undefined,
  ]);
  const { netG, netD, folded } = await scoringNets(options, { netG: g, netD: d })
    .catch((err: Error) => { throw new Error(`${dir}: ${err.message}`); });
  return {
    meta, netG, netD, folded, isize: options.isize, nc: options.nc, meanImage: Float32Array.from(mean[0].values),
    ...(errors ? { errorStats: errors } : {}), ...(deviations ? { deviationStats: deviations } : {}),
    calibration: meta.calibration, scoreKind: meta.scoreKind ?? resolveScoreKind(options.scoreKind),
    dispose: () => { folded.dispose(); netG.dispose(); netD.dispose(); },
  };
}

type Snapshotted = Omit<TrainingSnapshot, 'current' | 'best' | 'meanImage'>;
interface CheckpointMeta extends Snapshotted {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  savedAt: string;
  files: Record<'netG' | 'netD' | 'optG' | 'optD' | 'meanImage', WeightFile> & { bestG?: WeightFile; bestD?: WeightFile };
}

/**
 * Writes a resumable checkpoint. File names carry the epoch and checkpoint.json is renamed into place
 * last, so a crash mid-write leaves the previous checkpoint whole.
 */
export async function saveCheckpoint(dir: string, s: TrainingSnapshot): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tag = `epoch-${String(s.epoch).padStart(4, '0')}`;
  const { current, best, meanImage, ...rest } = s;
  const files: CheckpointMeta['files'] = {
    netG: await saveWeights(dir, `${tag}-netG.bin`, current.netG),
    netD: await saveWeights(dir, `${tag}-netD.bin`, current.netD),
    optG: await saveWeights(dir, `${tag}-optG.bin`, current.optG),
    optD: await saveWeights(dir, `${tag}-optD.bin`, current.optD),
    meanImage: await saveWeights(dir, `${tag}-mean-image.bin`, [{ name: 'mean_image', shape: [meanImage.length], values: meanImage }]),
  };
  if (best) {
    files.bestG = await saveWeights(dir, `${tag}-best-netG.bin`, best.netG);
    files.bestD = await saveWeights(dir, `${tag}-best-netD.bin`, best.netD);
  }
  const meta: CheckpointMeta = { format: CHECKPOINT_FORMAT, version: FORMAT_VERSION, savedAt: new Date().toISOString(), ...rest, files };
  await writeFileBeside(join(dir, 'checkpoint.json'), JSON.stringify(meta));
  for (const f of await readdir(dir)) if (f.startsWith('epoch-') && !f.startsWith(tag)) await rm(join(dir, f), { force: true });
}

export async function loadCheckpoint(dir: string): Promise<TrainingSnapshot> {
  const m = (await readJson(join(dir, 'checkpoint.json'), CHECKPOINT_FORMAT)) as unknown as CheckpointMeta;
  const { format: _f, version: _v, savedAt: _s, files, ...rest } = m;
  const load = (wf: WeightFile): Promise<WeightValue[]> => loadWeights(dir, wf);
  const best = files.bestG && files.bestD ? { netG: await load(files.bestG), netD: await load(files.bestD) } : null;
  return {
    ...rest,
    options: parseOptions(rest.options),
    meanImage: Float32Array.from((await load(files.meanImage))[0].values),
    current: { netG: await load(files.netG), netD: await load(files.netD), optG: await load(files.optG), optD: await load(files.optD) },
    best,
  };
}
