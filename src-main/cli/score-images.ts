// Scores a list of image files with a saved model, batch by batch, optionally writing the
// reconstruction and the full-resolution difference heat map of each image.
import { mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { LoadedModel } from '../engine/checkpoint';
import { SCORE_KINDS, type ScoreKind } from '../engine/options';
import { calibrateScores, diffMapAtResolution, scoreBatch } from '../engine/scoring';
import { loadBatch, loadOriginal } from '../library/prepare';
import { writeHeatmapPng, writeImagePng } from '../library/write';

export interface ImageScore {
  path: string;
  /** The model's own score kind. */
  kind: ScoreKind;
  raw: number;
  calibrated: number;
  percentile: number;
  /** Raw score of every kind, for eval and --json. */
  all: Record<ScoreKind, number>;
  maps?: { reconstruction: string; difference: string };
}

export interface ScoreFilesOptions {
  batchSize?: number;
  mapsDir?: string;
  onBatch?: (done: number, total: number) => void;
}

/**
 * Heat maps share one fixed scale so that their colours compare across images: twice the median
 * top-1% reconstruction error of the validation images (good parts), so that an error typical of
 * good parts lands mid-scale and clearly larger ones saturate.
 */
export function heatmapScale(model: LoadedModel): number {
  const m = model.calibration['recon-top1'].median;
  return Number.isFinite(m) && m > 0 ? 2 * m : 1;
}

function mapNames(dir: string, path: string, index: number): { reconstruction: string; difference: string } {
  const stem = `${String(index).padStart(5, '0')}-${basename(path, extname(path))}`;
  return { reconstruction: join(dir, `${stem}-reconstruction.png`), difference: join(dir, `${stem}-difference.png`) };
}

export async function scoreFiles(model: LoadedModel, paths: string[], o: ScoreFilesOptions = {}): Promise<ImageScore[]> {
  const kind = model.meta.options.scoreKind;
  const bs = o.batchSize ?? 32;
  const scale = heatmapScale(model);
  if (o.mapsDir) await mkdir(o.mapsDir, { recursive: true });
  const results: ImageScore[] = [];
  for (let start = 0; start < paths.length; start += bs) {
    const batch = paths.slice(start, start + bs);
    const x = await loadBatch(batch, model.isize, model.nc);
    const r = scoreBatch(model, x, batch.length, Boolean(o.mapsDir));
    const cal = calibrateScores(r.raw, model.calibration);
    for (let i = 0; i < batch.length; i++) {
      const all = Object.fromEntries(SCORE_KINDS.map((k) => [k, r.raw[k][i]])) as Record<ScoreKind, number>;
      const item: ImageScore = {
        path: batch[i], kind, raw: r.raw[kind][i], calibrated: cal.calibrated[kind][i], percentile: cal.percentile[kind][i], all,
      };
      if (o.mapsDir && r.reconstructions) {
        const per = model.isize * model.isize * model.nc;
        const recon = r.reconstructions.subarray(i * per, (i + 1) * per);
        const original = await loadOriginal(batch[i], model.nc);
        const diff = diffMapAtResolution(recon, model.isize, model.nc, original.data, original.height, original.width);
        item.maps = mapNames(o.mapsDir, batch[i], start + i);
        await writeImagePng(item.maps.reconstruction, recon, model.isize, model.isize, model.nc);
        await writeHeatmapPng(item.maps.difference, diff, original.width, original.height, scale);
      }
      results.push(item);
    }
    o.onBatch?.(Math.min(start + bs, paths.length), paths.length);
  }
  return results;
}
