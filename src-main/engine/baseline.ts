// Model-free baselines: distance to the mean training image, and the same distance normalised per pixel
// against the training images' own spread of it. A trained model should beat both; if it does not, the
// user is told so. The mean image (and the normalisation's statistics) are saved with the model.
import { PixelStatsSum, type PixelStats } from './pixel-stats';

/** Running mean of NHWC images, fed batch by batch so large sets need not sit in memory. */
export class MeanImage {
  private readonly sum: Float64Array;
  private n = 0;
  constructor(readonly pixels: number) { this.sum = new Float64Array(pixels); }
  add(batch: Float32Array, count: number): void {
    if (batch.length !== count * this.pixels) {
      throw new Error(`baseline: batch holds ${batch.length} values, expected ${count} x ${this.pixels}`);
    }
    for (let b = 0; b < count; b++) {
      const off = b * this.pixels;
      for (let i = 0; i < this.pixels; i++) this.sum[i] += batch[off + i];
    }
    this.n += count;
  }
  result(): Float32Array {
    if (this.n === 0) throw new Error('baseline: no training images to average');
    return Float32Array.from(this.sum, (s) => s / this.n);
  }
}

/** How many of `pixels` values make the top 1% (at least one). */
export const topCount = (pixels: number): number => Math.max(1, Math.ceil(pixels * 0.01));

/**
 * Mean of the largest topCount(values.length) values (NaN if any is NaN), summed smallest first as a sorted
 * copy would be. Kept by insertion into a list of k: a map's top 1% is a dozen values, and sorting every map
 * per image cost scoring workers 2% of their time.
 */
export function topMean(values: Float32Array): number {
  const k = topCount(values.length);
  const top = new Float32Array(k).fill(-Infinity); // ascending
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) return NaN;
    if (v <= top[0]) continue;
    let j = 1;
    for (; j < k && top[j] < v; j++) top[j - 1] = top[j];
    top[j - 1] = v;
  }
  let sum = 0;
  for (let i = 0; i < k; i++) sum += top[i];
  return sum / k;
}

/** Image b's map |x - mean| (channel mean per pixel) into `out` (one value per pixel). x: NHWC. */
function deviationMap(x: Float32Array, b: number, mean: Float32Array, nc: number, out: Float32Array): Float32Array {
  const off = b * mean.length;
  for (let p = 0; p < out.length; p++) {
    let s = 0;
    for (let c = 0; c < nc; c++) s += Math.abs(x[off + p * nc + c] - mean[p * nc + c]);
    out[p] = s / nc;
  }
  return out;
}

/** Per image: mean of the top 1% of |x - mean| (channel-mean per pixel). x: NHWC, count images. */
export function baselineScores(x: Float32Array, count: number, mean: Float32Array, nc: number): Float32Array {
  const per = mean.length;
  if (x.length !== count * per) throw new Error(`baseline: ${x.length} values for ${count} images of ${per}`);
  const out = new Float32Array(count);
  const diff = new Float32Array(per / nc);
  for (let b = 0; b < count; b++) out[b] = topMean(deviationMap(x, b, mean, nc, diff));
  return out;
}

/** Per pixel: the good parts' usual |x - mean image| and the divisor (its spread, floored) of the normalised baseline. */
export type DeviationStats = PixelStats;

/** Accumulates |x - mean image| per pixel over training images, batch by batch. */
export class DeviationStatsSum {
  private readonly stats: PixelStatsSum;
  private readonly map: Float32Array;
  constructor(private readonly meanImage: Float32Array, private readonly nc: number) {
    this.stats = new PixelStatsSum(meanImage.length / nc, 'baseline statistics');
    this.map = new Float32Array(meanImage.length / nc);
  }
  add(batch: Float32Array, count: number): void {
    if (batch.length !== count * this.meanImage.length) throw new Error(`baseline: batch holds ${batch.length} values, expected ${count} x ${this.meanImage.length}`);
    for (let b = 0; b < count; b++) this.stats.add(deviationMap(batch, b, this.meanImage, this.nc, this.map), 1);
  }
  /** The statistics, each spread floored at `floorShare` x the median spread (as recon-z's). */
  result(floorShare: number): DeviationStats {
    return this.stats.result(floorShare);
  }
}

/**
 * Per image, the normalised deviation map (|x - mean image| - usual) / spread, two ways: its top 1 % is the
 * baseline normalised per pixel (model-free: what per-pixel statistics alone give, the yardstick for a model's
 * per-pixel score, recon-z); its median is a rule blind to a small defect, which ranks defective parts above good
 * ones only when their images differ as a whole (another capture session, lighting, colour), where any
 * whole-image figure flatters.
 */
export function normalisedDeviations(x: Float32Array, count: number, meanImage: Float32Array, nc: number, stats: DeviationStats): { top: Float32Array; median: Float32Array } {
  const per = meanImage.length;
  if (x.length !== count * per) throw new Error(`baseline: ${x.length} values for ${count} images of ${per}`);
  const top = new Float32Array(count);
  const median = new Float32Array(count);
  const d = new Float32Array(per / nc);
  for (let b = 0; b < count; b++) {
    deviationMap(x, b, meanImage, nc, d);
    for (let p = 0; p < d.length; p++) d[p] = (d[p] - stats.mean[p]) / stats.scale[p];
    top[b] = topMean(d);
    median[b] = d.sort()[d.length >> 1];
  }
  return { top, median };
}
