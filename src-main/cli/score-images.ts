// Folder mode: scores a list of image files with a saved model in batches (the shared batch scorer),
// optionally writing each image's reconstruction and difference heat map into one folder.
import { mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { LoadedModel } from '../engine/checkpoint';
import type { ScoreKind } from '../engine/options';
import { scoreInBatches, type MapPaths } from '../services/score-images';

export interface ImageScore {
  path: string;
  /** The model's own score kind. */
  kind: ScoreKind;
  raw: number;
  calibrated: number;
  percentile: number;
  /** Raw score of every kind, for eval and --json. */
  all: Record<ScoreKind, number>;
  maps?: MapPaths;
}

export interface ScoreFilesOptions {
  batchSize?: number;
  mapsDir?: string;
  onBatch?: (done: number, total: number) => void;
}

/** Scores `paths` in order; a file that fails to decode now throws (callers inspected them first). */
export async function scoreFiles(model: LoadedModel, paths: string[], o: ScoreFilesOptions = {}): Promise<ImageScore[]> {
  const bs = o.batchSize ?? 32;
  const mapsDir = o.mapsDir;
  if (mapsDir) await mkdir(mapsDir, { recursive: true });
  const refs = paths.map((path, index) => ({ path, index }));
  // Index first: two files of the same name in different folders keep apart.
  const mapsFor = mapsDir ? (r: { path: string; index: number }): MapPaths => {
    const stem = join(mapsDir, `${String(r.index).padStart(5, '0')}-${basename(r.path, extname(r.path))}`);
    return { recon: `${stem}-reconstruction.png`, diff: `${stem}-difference.png` };
  } : undefined;
  const results: ImageScore[] = [];
  await scoreInBatches(model, refs, bs, mapsFor, (batch, end) => {
    if (batch.failed.length) throw new Error(batch.failed[0].message);
    for (const s of batch.scored) {
      results.push({
        path: s.ref.path, kind: model.scoreKind, raw: s.score, calibrated: s.calibrated, percentile: s.percentile,
        all: s.raw, maps: s.maps,
      });
    }
    o.onBatch?.(end, refs.length);
  });
  return results;
}
