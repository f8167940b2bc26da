// How much of a set's patch-to-patch variation comes from where a patch sits in its image: the share of
// variance between grid positions (eta squared), corrected for the number of images. Parts photographed the
// same way each time (a tyre, a solar cell with its busbars) score high: their patches only make sense in
// place, and a patch model, which sees a crop without its place, does worse on them than on whole images.
// A surface (a commutator) scores near 0: any patch looks like any other, and patches help (README,
// detection quality).

/** Running per-position sums of patch values, fed image by image (each image's grid of patches in order). */
export class PositionShare {
  private readonly sum: Float64Array;
  private readonly sq: Float64Array;
  private n = 0;

  /** positions: patches per image (the grid's count); values: values per patch (size * size * nc). */
  constructor(readonly positions: number, readonly values: number) {
    this.sum = new Float64Array(positions * values);
    this.sq = new Float64Array(positions * values);
  }

  /** One image's patches, [positions, values] (engine/patches extractPatches). */
  add(patches: Float32Array): void {
    if (patches.length !== this.sum.length) {
      throw new Error(`position share: ${patches.length} values, expected ${this.positions} patches of ${this.values}`);
    }
    for (let i = 0; i < patches.length; i++) {
      this.sum[i] += patches[i];
      this.sq[i] += patches[i] * patches[i];
    }
    this.n++;
  }

  /**
   * Between-position variance over total variance, summed over every value of a patch, in [0, 1]; NaN with
   * fewer than 2 images. Each position's mean carries its images' variance / n of noise, which would make a
   * few images look position-bound: that part is taken off the between-position term.
   */
  result(): number {
    const n = this.n;
    if (n < 2) return NaN;
    let within = 0;
    let between = 0;
    for (let j = 0; j < this.values; j++) {
      let grand = 0;
      for (let k = 0; k < this.positions; k++) grand += this.sum[k * this.values + j];
      grand /= n * this.positions;
      for (let k = 0; k < this.positions; k++) {
        const i = k * this.values + j;
        const mean = this.sum[i] / n;
        const variance = Math.max(0, this.sq[i] / n - mean * mean) * n / (n - 1);
        within += variance;
        between += (mean - grand) ** 2 - variance / n;
      }
    }
    between = Math.max(0, between);
    return between + within > 0 ? between / (between + within) : 0;
  }
}
