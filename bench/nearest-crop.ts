// Does a nearest-neighbour score on the model's own features (PatchCore's memory bank, Roth et al. 2022, with
// GANomaly's networks in place of a pretrained one) find what the reconstruction misses? On a kept patch model
// (bench/quality.ts --keep): the training images' crops on a non-overlapping grid are the bank; each test crop is
// described by its pixels (no model: the control), GE's code, GE's maps at 16x16 and 8x8 (pooled to 4x4) and at
// 4x4, and D's last feature map; it scores by the squared distance to its nearest bank crop, and an image by its
// worst crop, on the scoring grid. Beside it the patch rule (|x − mean training crop|), on the same test parts.
// An experiment, not a product score; test labels only for the printed AUROC.
// Run: npm run bench -- nearest-crop --model <kept dir> [--set kolektor-sdd]
import * as tf from '@tensorflow/tfjs';
import { resolve } from 'node:path';
import { auroc } from '../src-main/engine/metrics';
import { extractPatches, patchGrid, scaledSize } from '../src-main/engine/patches';
import { loadScaled } from '../src-main/library/prepare';
import { flagValue as flag } from './flags';
import { keptPatchModel, worstCropTop } from './kept-patch-model';

const modelDir = resolve(flag('model', ''));
const { model, scale, isize, nc, nets, train, test, labels, crops } = await keptPatchModel(modelDir, flag('set', 'kolektor-sdd'));
const ge = model.netG.encoder1.layers;
/** GE's map after its first `n` layers (inference mode: the model's precise BatchNorm statistics). */
const geMap = (x: tf.Tensor4D, n: number): tf.Tensor4D => ge.slice(0, n).reduce((y, l) => l.apply(y, { training: false }) as tf.Tensor4D, x);
const mapAfter = (name: string): number => ge.findIndex((l) => l.name.endsWith(name)) + 1;
const flat = (t: tf.Tensor): tf.Tensor2D => t.reshape([t.shape[0], -1]);
const describe: [string, (x: tf.Tensor4D) => tf.Tensor2D][] = [
  ['crop pixels (no model)', (x) => flat(x)],
  ['GE(x), the code', (x) => flat(nets.reconstruct(x).latentI)],
  ['GE 16x16 map, pooled to 4x4', (x) => flat(tf.avgPool(geMap(x, mapAfter('initial_lrelu')), 4, 4, 'valid'))],
  ['GE 8x8 map, pooled to 4x4', (x) => flat(tf.avgPool(geMap(x, mapAfter('pyramid0_lrelu')), 2, 2, 'valid'))],
  ['GE 4x4 map', (x) => flat(geMap(x, mapAfter('pyramid1_lrelu')))],
  ["D's features", (x) => flat(nets.features(x))],
];
const featuresOf = (data: Float32Array, count: number): tf.Tensor2D[] => tf.tidy(() => {
  const x = tf.tensor4d(data, [count, isize, isize, nc]);
  return describe.map(([, f]) => f(x));
});

const t0 = performance.now();
const parts: tf.Tensor2D[][] = describe.map(() => []);
for (const t of train) {
  const img = await loadScaled(t.path, nc, (w, h) => scaledSize(w, h, isize, scale));
  const g = patchGrid(img.height, img.width, isize, isize);
  featuresOf(extractPatches(img.data, nc, g), g.count).forEach((f, k) => parts[k].push(f));
}
const banks = parts.map((p) => { const b = tf.concat(p); tf.dispose(p); return b; });
const bankNorms = banks.map((b) => tf.tidy(() => b.square().sum(1)));
console.log(`bank: ${banks[0].shape[0]} crops of ${train.length} training images, ${((performance.now() - t0) / 1000).toFixed(0)} s`);

/** Each query row's squared distance to its nearest bank row. */
const nearest = (q: tf.Tensor2D, k: number): tf.Tensor1D =>
  q.square().sum(1, true).add(bankNorms[k].expandDims(0)).sub(q.matMul(banks[k], false, true).mul(2)).min(1).relu() as tf.Tensor1D;

const scores: number[][] = [];
for (const t of test) {
  const c = await crops(t.path);
  const worst = tf.tidy(() => {
    const x = tf.tensor4d(c.data, [c.count, isize, isize, nc]);
    const mean = tf.tensor4d(model.meanImage, [1, isize, isize, nc]);
    const rule = worstCropTop(tf.abs(tf.sub(x, mean)), c.count);
    return tf.stack([...featuresOf(c.data, c.count).map((q, k) => nearest(q, k).max()), rule]);
  });
  scores.push(Array.from(await worst.data()));
  worst.dispose();
}
tf.dispose([...banks, ...bankNorms]);
console.log(`AUROC on ${test.length} parts (model ${modelDir}), nearest of ${train.length} images' crops:`);
[...describe.map(([n]) => n), 'patch rule |x − mean crop|'].forEach((n, k) => console.log(`  ${n}: ${auroc(scores.map((s) => s[k]), labels).toFixed(3)}`));
