// The baseline normalised per pixel for a whole-image model, from its training images (the statistics a model
// trained since they exist saves itself, and `eval` prints as baseline-z): for kept models of any age, and for
// the quality bench's table. Whole-image models only: a patch's pixels have no fixed place.
import { DeviationStatsSum, normalisedDeviations } from '../src-main/engine/baseline';
import { SPREAD_FLOOR } from '../src-main/engine/error-stats';
import { loadBatch } from '../src-main/library/prepare';

/** Per test image, the normalised baseline score (top: higher = more anomalous) and its map's median (the shift rule). */
export async function normalisedBaseline(
  model: { isize: number; nc: 1 | 3; meanImage: Float32Array }, trainPaths: string[], testPaths: string[],
): Promise<{ top: number[]; median: number[] }> {
  const { isize, nc, meanImage } = model;
  const sum = new DeviationStatsSum(meanImage, nc);
  sum.add(await loadBatch(trainPaths, isize, nc), trainPaths.length);
  const d = normalisedDeviations(await loadBatch(testPaths, isize, nc), testPaths.length, meanImage, nc, sum.result(SPREAD_FLOOR));
  return { top: Array.from(d.top), median: Array.from(d.median) };
}
