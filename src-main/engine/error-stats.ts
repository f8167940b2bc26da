// Where a good part's reconstruction is usually wrong: the per-pixel mean and spread of |x - G(x)| over
// good training images, with the kept weights. The recon-z score divides an image's error map by them, so
// regions every part reconstructs poorly (edges, highlights, printed text) stop outranking a small defect
// on a surface the model reproduces well. Measured on the shared sets with per-pixel statistics from the
// training images: the tire's reconstruction error went from 0.586 to 0.751 AUROC, ELPV's from 0.707 to 0.902.
import * as tf from '@tensorflow/tfjs';
import { PixelStatsSum, type PixelStats } from './pixel-stats';
import { inferenceOf, type FoldedNets } from './folded-nets';
import type { NetD, NetG } from './networks';

/** Per pixel of the model's view (isize*isize): the mean error, and the divisor for the z-score. */
export type ErrorStats = PixelStats;

/**
 * The divisor's floor, as a share of the median per-pixel spread: a pixel that never varies would otherwise
 * turn noise into huge z-scores. Chosen without test labels: on ELPV's synthetic-defect check the AUROC of
 * recon-z was 0.956 / 0.982 / 0.986 / 0.986 with floors of 2 / 1 / 0.5 / 0.25 medians; 0.5 is the largest
 * at that plateau (the tire's check was 1.000 at every floor).
 */
export const SPREAD_FLOOR = 0.5;

/** At most this many training images: the statistics of 2 x 1024 pixels settle long before. */
export const ERROR_STATS_IMAGES = 512;

/** Accumulates |x - G(x)| maps (channel mean, inference mode) batch by batch. */
export async function errorStats(model: { netG: NetG; netD: NetD; folded?: FoldedNets; isize: number; nc: number }, batches: AsyncIterable<{ x: Float32Array; n: number }>): Promise<ErrorStats> {
  const stats = new PixelStatsSum(model.isize * model.isize, 'error statistics');
  for await (const { x, n } of batches) {
    const d = tf.tidy(() => {
      const input = tf.tensor4d(x, [n, model.isize, model.isize, model.nc]);
      return tf.mean(tf.abs(tf.sub(input, inferenceOf(model).reconstruct(input).fake)), 3);
    });
    try { stats.add((await d.data()) as Float32Array, n); } finally { d.dispose(); }
  }
  return stats.result(SPREAD_FLOOR);
}
