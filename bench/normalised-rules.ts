// Per-pixel normalisation with and without the model, on a kept whole-image model (bench/quality.ts --keep):
// recon-top1 and recon-z as the model scores them, the plain model-free baseline, and the same baseline
// divided per pixel like recon-z (|x - mean image| against the training images' per-pixel mean and spread,
// floor SPREAD_FLOOR x the median spread). Reads test labels only to print AUROC; chooses nothing.
// Run: npm run bench -- normalised-rules <set> <model-dir>   e.g. mvtec3d-tire scratch/models/mvtec3d-tire-seed0
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectImages } from '../src-main/cli/folder-images';
import { trainingImages } from '../src-main/cli/train';
import { selectBackend } from '../src-main/engine/backends/select';
import { loadModel } from '../src-main/engine/checkpoint';
import { SPREAD_FLOOR } from '../src-main/engine/error-stats';
import { auroc } from '../src-main/engine/metrics';
import { scoreBatch } from '../src-main/engine/scoring';
import { splitIndices } from '../src-main/engine/trainer';
import { loadBatch } from '../src-main/library/prepare';

const [set, modelDir] = process.argv.slice(2);
if (!set || !modelDir) throw new Error('usage: normalised-rules <set under ../shared/data> <model dir>');
await selectBackend('auto');
const model = await loadModel(resolve(modelDir));
if (model.meta.patchScale != null) throw new Error('a whole-image model, please: patches have no fixed pixel places');
const { isize, nc } = model;
const px = isize * isize;
const root = fileURLToPath(new URL(`../../shared/data/${set}`, import.meta.url));
const all = await collectImages([root], () => undefined);
const train = trainingImages(all.filter((i) => i.split === 'train'));
const split = splitIndices(train.length, model.meta.options.validationFraction, model.meta.options.seed);
const test = all.filter((i) => i.split === 'test' && i.label !== null);
const labels = test.map((i) => (i.label === 'defect' ? 1 : 0));

/** Per image, channel-mean |x - mean image| (the baseline's map). */
function deviation(x: Float32Array, n: number): Float32Array {
  const d = new Float32Array(n * px);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < px; p++) {
      let s = 0;
      for (let c = 0; c < nc; c++) s += Math.abs(x[(i * px + p) * nc + c] - model.meanImage[p * nc + c]);
      d[i * px + p] = s / nc;
    }
  }
  return d;
}
const topMean = (v: Float32Array): number => {
  const s = Float32Array.from(v).sort();
  const k = Math.max(1, Math.ceil(v.length * 0.01));
  return s.subarray(s.length - k).reduce((a, b) => a + b, 0) / k;
};

const trainX = await loadBatch(split.train.map((i) => train[i].path), isize, nc);
const trainD = deviation(trainX, split.train.length);
const mean = new Float32Array(px);
const spread = new Float32Array(px);
for (let i = 0; i < split.train.length; i++) for (let p = 0; p < px; p++) mean[p] += trainD[i * px + p] / split.train.length;
for (let i = 0; i < split.train.length; i++) for (let p = 0; p < px; p++) spread[p] += (trainD[i * px + p] - mean[p]) ** 2 / split.train.length;
for (let p = 0; p < px; p++) spread[p] = Math.sqrt(spread[p]);
const floor = SPREAD_FLOOR * Float32Array.from(spread).sort()[px >> 1];

const testX = await loadBatch(test.map((i) => i.path), isize, nc);
const testD = deviation(testX, test.length);
const normalised = test.map((_, i) => topMean(testD.subarray(i * px, (i + 1) * px).map((v, p) => (v - mean[p]) / Math.max(spread[p], floor))));
const scored = await scoreBatch(model, testX, test.length, false);
console.log(`${set}: ${test.length - labels.filter(Boolean).length} good, ${labels.filter(Boolean).length} defect test images; model ${modelDir} (ranks by ${model.scoreKind})`);
for (const k of ['recon-top1', 'recon-z', 'baseline'] as const) {
  if (!Number.isNaN(scored.raw[k][0])) console.log(`${k.padEnd(34)} AUROC ${auroc(Array.from(scored.raw[k]), labels).toFixed(3)}`);
}
console.log(`${'baseline normalised per pixel'.padEnd(34)} AUROC ${auroc(normalised, labels).toFixed(3)}  (no model; training images' per-pixel statistics)`);
