// A DRAEM-style discriminative head on a kept patch model (bench/quality.ts --keep): a small fully convolutional
// network sees [x, G(x)] and learns to segment the synthetic defects (engine/synthetic-defects.ts) pasted into
// training crops; an image scores by its worst crop's smoothed defect probability. Prints its AUROC beside the
// model's recon-top1 and the patch rule, all at the model's crop scale on the same test parts. An experiment, not a
// product score: it asks whether supervision by synthetic defects finds what the residual misses. Test labels only
// for the printed AUROC.
// Run: npm run bench -- synthetic-head --model <kept dir> [--set kolektor-sdd] [--steps 600] [--width 16]
import * as tf from '@tensorflow/tfjs';
import { join, resolve } from 'node:path';
import { auroc } from '../src-main/engine/metrics';
import { createRng } from '../src-main/engine/random';
import { DEFECT_KINDS, pasteDefect } from '../src-main/engine/synthetic-defects';
import { splitIndices } from '../src-main/engine/trainer';
import { flagValue as flag } from './flags';
import { keptPatchModel, worstCropTop } from './kept-patch-model';

const modelDir = resolve(flag('model', ''));
const set = flag('set', 'kolektor-sdd');
const steps = Number(flag('steps', '600'));
const width = Number(flag('width', '16'));
const BATCH = 64;
/** Positive pixels are few: weighted up in the loss so the head does not learn to say "good" everywhere. */
const POSITIVE_WEIGHT = 10;

const { model, scale, isize, nc, per, nets, train, test, labels, crops } = await keptPatchModel(modelDir, set);
const split = splitIndices(train.length, model.meta.options.validationFraction, model.meta.options.seed);

const parts = await Promise.all(split.train.map((i) => crops(train[i].path)));
const bankCount = parts.reduce((s, p) => s + p.count, 0);
const bank = new Float32Array(bankCount * per);
parts.reduce((at, p) => (bank.set(p.data, at), at + p.data.length), 0);
console.log(`${set}: ${bankCount} training crops from ${split.train.length} images at 1/${scale}; ${test.length} test parts`);

const head = tf.sequential({ layers: [
  tf.layers.conv2d({ inputShape: [isize, isize, 2 * nc], filters: width, kernelSize: 3, padding: 'same', activation: 'relu' }),
  tf.layers.conv2d({ filters: 2 * width, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
  tf.layers.conv2d({ filters: 2 * width, kernelSize: 3, padding: 'same', activation: 'relu' }),
  tf.layers.conv2d({ filters: 2 * width, kernelSize: 3, padding: 'same', activation: 'relu' }),
  tf.layers.upSampling2d({ size: [2, 2] }),
  tf.layers.conv2d({ filters: width, kernelSize: 3, padding: 'same', activation: 'relu' }),
  tf.layers.conv2d({ filters: 1, kernelSize: 1, padding: 'same' }),
] });
const withReconstruction = (x: tf.Tensor4D): tf.Tensor4D => tf.concat([x, nets.reconstruct(x).fake], 3);
const optimizer = tf.train.adam(1e-3);
const rng = createRng(7);
const t0 = performance.now();
for (let s = 1; s <= steps; s++) {
  // Half the crops get one synthetic defect; its mask is where the pixels changed.
  const xs = new Float32Array(BATCH * per);
  const masks = new Float32Array(BATCH * isize * isize);
  for (let b = 0; b < BATCH; b++) {
    const k = Math.floor(rng.next() * bankCount);
    const clean = bank.subarray(k * per, (k + 1) * per);
    if (rng.next() >= 0.5) {
      xs.set(clean, b * per);
      continue;
    }
    const defective = pasteDefect(clean, isize, isize, nc, DEFECT_KINDS[Math.floor(rng.next() * DEFECT_KINDS.length)], rng);
    xs.set(defective, b * per);
    for (let p = 0; p < isize * isize; p++) {
      let changed = false;
      for (let c = 0; c < nc; c++) changed ||= Math.abs(defective[p * nc + c] - clean[p * nc + c]) > 0.02;
      masks[b * isize * isize + p] = changed ? 1 : 0;
    }
  }
  const loss = optimizer.minimize(() => tf.tidy(() => {
    const input = tf.tidy(() => withReconstruction(tf.tensor4d(xs, [BATCH, isize, isize, nc])));
    const mask = tf.tensor4d(masks, [BATCH, isize, isize, 1]);
    return tf.losses.sigmoidCrossEntropy(mask, head.apply(input) as tf.Tensor4D, tf.add(1, tf.mul(POSITIVE_WEIGHT - 1, mask))) as tf.Scalar;
  }), true)!;
  if (s % 100 === 0) console.log(`step ${s}: loss ${(await loss.data())[0].toFixed(4)}, ${((performance.now() - t0) / 1000).toFixed(0)} s, ${tf.memory().numTensors} tensors`);
  loss.dispose();
}

/** Per image: the head's worst crop (3×3 mean of its probability map), recon-top1's and the patch rule's worst crop. */
async function imageScores(path: string): Promise<[number, number, number]> {
  const c = await crops(path);
  const worst = tf.tidy(() => {
    const x = tf.tensor4d(c.data, [c.count, isize, isize, nc]);
    const top = (t: tf.Tensor) => worstCropTop(t, c.count);
    const probability = tf.avgPool(tf.sigmoid(head.apply(withReconstruction(x)) as tf.Tensor4D), 3, 1, 'same');
    const mean = tf.tensor4d(model.meanImage, [1, isize, isize, nc]);
    return tf.stack([probability.max(), top(tf.abs(tf.sub(x, nets.reconstruct(x).fake))), top(tf.abs(tf.sub(x, mean)))]);
  });
  const v = await worst.data();
  worst.dispose();
  return [v[0], v[1], v[2]];
}
const scores: Array<[number, number, number]> = [];
for (const t of test) scores.push(await imageScores(t.path));
const column = (k: number) => auroc(scores.map((s) => s[k]), labels).toFixed(3);
console.log(`after ${steps} steps (width ${width}), AUROC on ${test.length} parts: head ${column(0)}, recon-top1 ${column(1)}, patch rule ${column(2)}` +
  ` (model ${join(modelDir)})`);
