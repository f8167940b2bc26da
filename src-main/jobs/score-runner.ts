// Job-process side of scoring: load the model, score the images in batches, write each image's
// reconstruction and difference map next to the database, and send every batch's scores for the main
// process to write in one transaction (so a kill loses at most the batch in flight).
import { mkdir } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { describeBackend, selectBackend } from '../engine/backends/select';
import { loadModel } from '../engine/checkpoint';
import { scoreInBatches, type MapPaths } from '../services/score-images';
import type { RunContext } from './run-context';
import type { ImageRef, ScoreRow, ScoreTask } from './protocol';

export function mapPaths(mapsDir: string, hash: string): MapPaths {
  return { recon: join(mapsDir, `${hash}-recon.png`), diff: join(mapsDir, `${hash}-diff.png`) };
}

/** Names each image's maps in `mapsDir`; the job process names them by image hash. */
export type MapNaming = (mapsDir: string, ref: ImageRef) => MapPaths;
const byHash: MapNaming = (dir, ref) => mapPaths(dir, ref.hash);

export async function runScoring(task: ScoreTask, ctx: RunContext, naming: MapNaming = byHash): Promise<void> {
  await ctx.send({ type: 'progress', phase: 'starting', progress: 0, message: 'loading the model' });
  const backend = await selectBackend(task.backend);
  const model = await loadModel(task.modelDir);
  try {
    const mapsDir = task.mapsDir;
    if (mapsDir) await mkdir(mapsDir, { recursive: true });
    const total = task.images.length;
    const failed: { imageId: number; message: string }[] = [];
    const t0 = performance.now();
    let done = 0;
    let scored = 0;
    await ctx.send({ type: 'progress', phase: 'scoring', progress: 0, message: `${describeBackend(backend)}: ${total} images to score` });
    // The next batch decodes while this one is scored; a cancel is seen between batches.
    await scoreInBatches(model, task.images, task.batchSize, mapsDir ? (ref) => naming(mapsDir, ref) : undefined, async (batch) => {
      failed.push(...batch.failed.map((f) => ({ imageId: f.ref.id, message: f.message })));
      const rows: ScoreRow[] = batch.scored.map((r) => ({
        imageId: r.ref.id,
        latent: Number.isNaN(r.raw.latent) ? undefined : r.raw.latent, // NaN: not computed (kinds 'model')
        reconTop1: r.raw['recon-top1'],
        ssim: r.raw.ssim,
        reconZ: Number.isNaN(r.raw['recon-z']) ? undefined : r.raw['recon-z'], // NaN: a model saved before recon-z
        feature: Number.isNaN(r.raw.feature) ? undefined : r.raw.feature, // NaN: not computed (kinds 'model')
        baseline: r.raw.baseline,
        baselineZ: r.baselineZ, // absent: a patch model or one saved before
        shift: r.shift,
        score: r.score,
        calibrated: r.calibrated,
        percentile: r.percentile,
        reconPath: r.maps?.recon ?? null,
        diffPath: r.maps?.diff ?? null,
      }));
      if (rows.length) await ctx.send({ type: 'scores', rows });
      done += batch.scored.length + batch.failed.length;
      scored += rows.length;
      const ips = done / ((performance.now() - t0) / 1000);
      await ctx.send({
        type: 'progress', phase: 'scoring', progress: total ? done / total : 1, batch: Math.ceil(done / task.batchSize),
        batches: Math.ceil(total / task.batchSize), imagesPerSecond: ips, etaSeconds: (total - done) / ips,
        tensors: tf.memory().numTensors,
      });
      return !ctx.signal.aborted;
    }, () => ctx.signal.aborted, task.kinds);
    if (ctx.signal.aborted && done < total) {
      await ctx.send({ type: 'done', cancelled: true, result: { kind: 'score', scored, failed } });
      return;
    }
    await ctx.send({ type: 'done', cancelled: false, result: { kind: 'score', scored, failed } });
  } finally {
    model.dispose();
  }
}
