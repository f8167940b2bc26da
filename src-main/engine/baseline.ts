// Model-free baseline: distance to the mean training image. A trained model should beat it; if it does
// not, the user is told so. The mean image is saved with the model.

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

/** Mean of the largest topCount(values.length) values. */
export function topMean(values: Float32Array): number {
  const k = topCount(values.length);
  const s = Float32Array.from(values).sort();
  let sum = 0;
  for (let i = s.length - k; i < s.length; i++) sum += s[i];
  return sum / k;
}

/** Per image: mean of the top 1% of |x - mean| (channel-mean per pixel). x: NHWC, count images. */
export function baselineScores(x: Float32Array, count: number, mean: Float32Array, nc: number): Float32Array {
  const per = mean.length;
  if (x.length !== count * per) throw new Error(`baseline: ${x.length} values for ${count} images of ${per}`);
  const hw = per / nc;
  const out = new Float32Array(count);
  const diff = new Float32Array(hw);
  for (let b = 0; b < count; b++) {
    const off = b * per;
    for (let p = 0; p < hw; p++) {
      let s = 0;
      for (let c = 0; c < nc; c++) s += Math.abs(x[off + p * nc + c] - mean[p * nc + c]);
      diff[p] = s / nc;
    }
    out[b] = topMean(diff);
  }
  return out;
}
