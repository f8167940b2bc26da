// A model-free yardstick for recon-z: the baseline's map |x - mean image| (channel mean) normalised per pixel
// like recon-z, against the training images' own per-pixel mean and spread of it (floor SPREAD_FLOOR x the
// median spread), top 1 %. Whole-image models only: a patch's pixels have no fixed place. Nothing is chosen
// with it; it is printed beside the model so a win that per-pixel statistics alone would give is seen as such.
import { SPREAD_FLOOR } from '../src-main/engine/error-stats';
import { loadBatch } from '../src-main/library/prepare';

/** Per test image, the normalised baseline score (higher = more anomalous). */
export async function normalisedBaseline(
  model: { isize: number; nc: 1 | 3; meanImage: Float32Array }, trainPaths: string[], testPaths: string[],
): Promise<number[]> {
  const { isize, nc, meanImage } = model;
  const px = isize * isize;
  /** Per image, channel-mean |x - mean image| (the baseline's map). */
  const deviation = (x: Float32Array, n: number): Float32Array => {
    const d = new Float32Array(n * px);
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < px; p++) {
        let s = 0;
        for (let c = 0; c < nc; c++) s += Math.abs(x[(i * px + p) * nc + c] - meanImage[p * nc + c]);
        d[i * px + p] = s / nc;
      }
    }
    return d;
  };
  const n = trainPaths.length;
  const trainD = deviation(await loadBatch(trainPaths, isize, nc), n);
  const mean = new Float32Array(px);
  const spread = new Float32Array(px);
  for (let i = 0; i < n; i++) for (let p = 0; p < px; p++) mean[p] += trainD[i * px + p] / n;
  for (let i = 0; i < n; i++) for (let p = 0; p < px; p++) spread[p] += (trainD[i * px + p] - mean[p]) ** 2 / n;
  for (let p = 0; p < px; p++) spread[p] = Math.sqrt(spread[p]);
  const floor = SPREAD_FLOOR * Float32Array.from(spread).sort()[px >> 1];
  const testD = deviation(await loadBatch(testPaths, isize, nc), testPaths.length);
  const k = Math.max(1, Math.ceil(px * 0.01));
  return testPaths.map((_, i) => {
    const z = testD.subarray(i * px, (i + 1) * px).map((v, p) => (v - mean[p]) / Math.max(spread[p], floor)).sort();
    return z.subarray(px - k).reduce((a, b) => a + b, 0) / k;
  });
}
