// Folder mode: scores a list of image files with a saved model through the job process's own runner
// (jobs/score-runner.ts) run in this process, optionally writing each image's reconstruction and
// difference heat map into one folder.
import { basename, extname, join } from 'node:path';
import { readModelMeta } from '../engine/checkpoint';
import type { ScoreKind } from '../engine/options';
import type { ScoreKindSet } from '../shared/vocabulary';
import type { MapPaths } from '../services/score-images';
import type { BackendPreference, ScoreRow } from '../jobs/protocol';
import { runScoring, type MapNaming } from '../jobs/score-runner';
import { scoreBatchSize } from '../jobs/tasks';

export interface ImageScore {
  path: string;
  /** The model's own score kind. */
  kind: ScoreKind;
  raw: number;
  calibrated: number;
  percentile: number;
  /** Raw score of every kind, for eval and --json. */
  all: Record<ScoreKind, number>;
  /** Whole-image models saved with the normalised baseline's statistics: that baseline (eval's baseline-z) and
   *  the capture shift (services/score-images ScoredImage). */
  normalised?: { top: number; median: number };
  maps?: MapPaths;
}

export interface ScoreFilesOptions {
  batchSize?: number;
  mapsDir?: string;
  backend?: BackendPreference;
  /** The runner's line before the first batch (backend and image count). */
  onStart?: (text: string) => void;
  onBatch?: (done: number, total: number) => void;
  /** 'all': every kind; default 'model': latent and feature only when one is the model's own kind. */
  kinds?: ScoreKindSet;
}

/** Position first: two files of the same name in different folders keep apart. */
const byPosition: MapNaming = (dir, ref) => {
  const stem = join(dir, `${String(ref.id).padStart(5, '0')}-${basename(ref.path, extname(ref.path))}`);
  return { recon: `${stem}-reconstruction.png`, diff: `${stem}-difference.png` };
};

/** Every kind's raw score of a row, by the engine's names. */
function allKinds(r: ScoreRow): Record<ScoreKind, number> {
  return { latent: r.latent ?? NaN, 'recon-top1': r.reconTop1, ssim: r.ssim ?? NaN, feature: r.feature ?? NaN, 'recon-z': r.reconZ ?? NaN, baseline: r.baseline };
}

/** Scores `paths` in order; a file that fails to decode now throws (callers inspected them first). */
export async function scoreFiles(modelDir: string, paths: string[], o: ScoreFilesOptions = {}): Promise<ImageScore[]> {
  const kind = (await readModelMeta(modelDir)).scoreKind;
  const rows: ScoreRow[] = [];
  const failed: string[] = [];
  const task = {
    kind: 'score', jobId: 0, modelId: 0, modelDir, mapsDir: o.mapsDir ?? null, batchSize: o.batchSize ?? scoreBatchSize(Boolean(o.mapsDir)), backend: o.backend ?? 'auto', kinds: o.kinds ?? 'model',
    images: paths.map((path, id) => ({ id, path, hash: '' })), // maps are named by position, not by content
  } as const;
  await runScoring(task, {
    signal: new AbortController().signal,
    send: async (m) => {
      if (m.type === 'scores') rows.push(...m.rows);
      else if (m.type === 'progress' && m.phase === 'scoring' && m.message) o.onStart?.(m.message);
      else if (m.type === 'progress' && m.phase === 'scoring') o.onBatch?.(Math.round(m.progress * paths.length), paths.length);
      else if (m.type === 'done' && m.result?.kind === 'score') failed.push(...m.result.failed.map((f) => f.message));
    },
  }, byPosition);
  if (failed.length) throw new Error(failed[0]);
  return rows.sort((a, b) => a.imageId - b.imageId).map((r) => ({
    path: paths[r.imageId], kind, raw: r.score, calibrated: r.calibrated, percentile: r.percentile, all: allKinds(r),
    normalised: r.baselineZ !== undefined && r.shift !== undefined ? { top: r.baselineZ, median: r.shift } : undefined,
    maps: r.reconPath && r.diffPath ? { recon: r.reconPath, diff: r.diffPath } : undefined,
  }));
}
