// A model directory's manifest (model.json), its weight files' sizes and the threshold it carries, without
// TensorFlow.js: the main process reads and checks models (a model brought in from another machine, a threshold
// saved) and never loads tfjs.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { THRESHOLD_SOURCES } from '../shared/vocabulary';
import { writeFileBeside } from '../write-beside';
import type { BackendInfo } from './backends/select';
import type { Calibration } from './calibration';
import { resolveScoreKind, type GanomalyOptions, type ModelScoreKind } from './options';
import type { SyntheticCheck } from './synthetic-check';
import type { EpochRecord } from './trainer';

export const MODEL_FORMAT = 'ganomaly-inspector/model';
export const CHECKPOINT_FORMAT = 'ganomaly-inspector/checkpoint';
export const FORMAT_VERSION = 1;

export interface WeightSpec { name: string; shape: number[]; dtype: 'float32' }
export interface WeightFile { file: string; specs: WeightSpec[] }

export interface ModelMeta {
  format: typeof MODEL_FORMAT;
  version: number;
  createdAt: string;
  options: GanomalyOptions;
  isize: number;
  nc: 1 | 3;
  backend: BackendInfo | null;
  epochKept: number;
  epochsTrained: number;
  trainingSetHash: string;
  /** Content hashes (sha256) of every training and validation image, sorted: `eval` leaves these out.
   *  Absent in models saved before it was written. */
  trainingHashes?: string[];
  trainCount: number;
  validationCount: number;
  calibration: Calibration;
  /** The kind the model ranks by (options.scoreKind, or for 'auto' the synthetic check's best). */
  scoreKind: ModelScoreKind;
  /** Validation images vs the same with synthetic defects, per score kind (absent in older models). */
  synthetic?: SyntheticCheck;
  /** Patch mode's working scale (native pixels per model pixel; options.crop resolved), null = whole
   *  images. Older models lack it: whole images. */
  patchScale: number | null;
  /** Whole images: where the validation images' capture shifts reach a calibrated 3 (TrainingSnapshot.shiftLimit); absent in patch and older models. */
  shiftLimit?: number;
  history: EpochRecord[];
  /** errorStats: per-pixel error mean and scale for recon-z (absent in older models: recon-z is NaN);
   *  deviationStats: the normalised baseline's (whole images; absent in older models: eval leaves it out). */
  weights: { netG: WeightFile; netD: WeightFile; meanImage: WeightFile; errorStats?: WeightFile; deviationStats?: WeightFile };
}

/** A JSON file of ours: its format and a version this app reads, checked. */
export async function readJson(path: string, format: string): Promise<Record<string, unknown>> {
  let text: string;
  try { text = await readFile(path, 'utf8'); } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${path} not found` : `cannot read ${path}: ${code ?? String(err)}`);
  }
  let j: Record<string, unknown>;
  try { j = JSON.parse(text); } catch { throw new Error(`${path} is not valid JSON`); }
  if (j.format !== format) throw new Error(`${path} is not a ${format} file`);
  if (typeof j.version !== 'number' || j.version > FORMAT_VERSION) {
    throw new Error(`${path} has format version ${String(j.version)}; this app reads up to ${FORMAT_VERSION}`);
  }
  return j;
}

/** Reads model.json only (for listings). */
export async function readModelMeta(dir: string): Promise<ModelMeta> {
  const meta = (await readJson(join(dir, 'model.json'), MODEL_FORMAT)) as unknown as ModelMeta;
  // Models saved before the kind was recorded rank by their option (never 'auto' then).
  return { ...meta, scoreKind: meta.scoreKind ?? resolveScoreKind(meta.options.scoreKind), patchScale: meta.patchScale ?? null };
}

/** Bytes a weight file must hold: float32 values of every tensor in its manifest. */
export function weightBytes(wf: WeightFile): number {
  return wf.specs.reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0) * 4;
}

/** The model's files (model.json first), each checked to be there whole; throws naming the first that is not. */
export async function modelFiles(dir: string, meta: ModelMeta): Promise<string[]> {
  const weights = Object.values(meta.weights).filter((w): w is WeightFile => w !== undefined);
  for (const wf of weights) {
    const path = join(dir, wf.file);
    const size = await stat(path).then((s) => s.size, () => null);
    if (size === null) throw new Error(`${path} not found: the model folder is incomplete`);
    if (size !== weightBytes(wf)) throw new Error(`${path}: ${size} bytes, the manifest describes ${weightBytes(wf)} (truncated or corrupt)`);
  }
  return ['model.json', ...weights.map((w) => w.file)];
}

/** The threshold saved last for the model, kept in its folder so the folder carries it to another PC. */
export const THRESHOLD_FILE = 'threshold.json';
const savedThreshold = z.object({
  value: z.number().finite(),
  lower: z.number().finite().nullable(),
  source: z.enum(THRESHOLD_SOURCES),
  setAt: z.string(),
});
export type SavedThreshold = z.infer<typeof savedThreshold>;

export async function writeThreshold(dir: string, t: SavedThreshold): Promise<void> {
  const path = join(dir, THRESHOLD_FILE);
  await writeFileBeside(path, JSON.stringify(t, null, 1));
}

/** The folder's threshold; null when it has none (never set, or saved before thresholds were kept there). */
export async function readThreshold(dir: string): Promise<SavedThreshold | null> {
  const path = join(dir, THRESHOLD_FILE);
  let text: string;
  try { text = await readFile(path, 'utf8'); } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let json: unknown;
  try { json = JSON.parse(text); } catch { throw new Error(`${path} is not valid JSON`); }
  const t = savedThreshold.safeParse(json);
  if (!t.success) throw new Error(`${path} is not a threshold this version reads (${t.error.issues[0]?.message ?? 'bad shape'})`);
  return t.data;
}

/** What a model folder carries to another PC: model.json, the weights it names (checked whole), and its threshold when one is saved. */
export async function carriedFiles(dir: string, meta: ModelMeta): Promise<{ files: string[]; threshold: SavedThreshold | null }> {
  const files = await modelFiles(dir, meta);
  const threshold = await readThreshold(dir);
  return { files: threshold ? [...files, THRESHOLD_FILE] : files, threshold };
}
