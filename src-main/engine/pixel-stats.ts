// Per pixel of the model's view, over good training images: the mean of a map and the divisor that turns it
// into a z-score (its spread, floored). recon-z divides the reconstruction error by it, the normalised
// baseline the distance to the mean image.

export interface PixelStats { mean: Float32Array; scale: Float32Array }

/** Sums maps of `pixels` values batch by batch; `what` names the statistics in errors. */
export class PixelStatsSum {
  private readonly sum: Float64Array;
  private readonly sq: Float64Array;
  private n = 0;
  constructor(readonly pixels: number, private readonly what: string) {
    this.sum = new Float64Array(pixels);
    this.sq = new Float64Array(pixels);
  }
  /** `count` maps, one after another. */
  add(maps: ArrayLike<number>, count: number): void {
    const px = this.pixels;
    for (let i = 0; i < count; i++) for (let p = 0; p < px; p++) { const e = maps[i * px + p]; this.sum[p] += e; this.sq[p] += e * e; }
    this.n += count;
  }
  /** Each pixel's mean, and its spread floored at `floorShare` x the median spread (a pixel that never varies would turn noise into huge z-scores). */
  result(floorShare: number): PixelStats {
    if (this.n < 2) throw new Error(`${this.what} need at least 2 training images, got ${this.n}`);
    const n = this.n;
    const mean = Float32Array.from(this.sum, (s) => s / n);
    const spread = Float32Array.from(this.sq, (s, p) => Math.sqrt(Math.max(0, s / n - mean[p] ** 2)));
    const floor = Math.max(floorShare * Float32Array.from(spread).sort()[this.pixels >> 1], 1e-6);
    return { mean, scale: spread.map((v) => Math.max(v, floor)) };
  }
}
