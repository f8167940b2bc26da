// Does the model's residual add anything to the patch rule, or only stand in for it less well? On a kept patch
// model (bench/quality.ts --keep): per pixel of each crop, the reconstruction error |x − G(x)| (plain and as
// recon-z's z-score) and the rule's |x − mean training crop| (plain and as a z-score against the training crops'
// own, per crop position, from every 4th training image, floored as recon-z's), combined per pixel (the smaller: a
// pixel counts only where neither the reconstruction nor the mean crop explains it; the geometric mean; the sum of
// z-scores; the deviation from the mean crop less what the reconstruction's own deviation from it explains), each
// image by its worst crop's top 1 %; and the two image scores' rank average. An experiment, not a
// product score; test labels only for the printed AUROC.
// Run: npm run bench -- rule-combination --model <kept dir> [--set kolektor-sdd]
import * as tf from '@tensorflow/tfjs';
import { resolve } from 'node:path';
import { SPREAD_FLOOR } from '../src-main/engine/error-stats';
import { auroc } from '../src-main/engine/metrics';
import { PixelStatsSum } from '../src-main/engine/pixel-stats';
import { flagValue as flag } from './flags';
import { keptPatchModel, worstCropTop } from './kept-patch-model';

const modelDir = resolve(flag('model', ''));
const { model, isize, nc, nets, train, test, labels, crops } = await keptPatchModel(modelDir, flag('set', 'kolektor-sdd'));
if (!model.errorStats) throw new Error(`${modelDir} has no error statistics (recon-z): train it again with this build`);
const px = isize * isize;
const plane = (v: Float32Array) => tf.tensor2d(v, [isize, isize]);
const meanCrop = () => tf.tensor4d(model.meanImage, [1, isize, isize, nc]);

const ruleStats = new PixelStatsSum(px, 'rule statistics');
for (const t of train.filter((_, i) => i % 4 === 0)) {
  const c = await crops(t.path);
  const d = tf.tidy(() => tf.mean(tf.abs(tf.sub(tf.tensor4d(c.data, [c.count, isize, isize, nc]), meanCrop())), 3));
  try { ruleStats.add((await d.data()) as Float32Array, c.count); } finally { d.dispose(); }
}
const rz = ruleStats.result(SPREAD_FLOOR);
const ez = model.errorStats;

const names = ['recon-top1 |x − G(x)|', 'recon-z', 'patch rule |x − mean|', 'patch rule as z-score',
  'min(|x − G(x)|, |x − mean|)', 'min(recon-z, rule z)', '√(|x − G(x)| · |x − mean|)', 'recon-z + rule z', 'relu(|x − mean| − |G(x) − mean|)', 'relu(rule z − |G(x) − mean| as rule z)'];
const scores: number[][] = [];
for (const t of test) {
  const c = await crops(t.path);
  const worst = tf.tidy(() => {
    const x = tf.tensor4d(c.data, [c.count, isize, isize, nc]);
    const fake = nets.reconstruct(x).fake;
    const r = tf.mean(tf.abs(tf.sub(x, fake)), 3);
    const g = tf.mean(tf.abs(tf.sub(fake, meanCrop())), 3);
    const q = tf.mean(tf.abs(tf.sub(x, meanCrop())), 3);
    const z = tf.div(tf.sub(r, plane(ez.mean)), plane(ez.scale));
    const qz = tf.div(tf.sub(q, plane(rz.mean)), plane(rz.scale));
    const gz = tf.div(tf.sub(g, plane(rz.mean)), plane(rz.scale));
    const top = (m: tf.Tensor) => worstCropTop(m, c.count);
    return tf.stack([top(r), top(z), top(q), top(qz), top(tf.minimum(r, q)), top(tf.minimum(z, qz)), top(tf.sqrt(tf.mul(r, q))), top(tf.add(z, qz)),
      top(tf.relu(tf.sub(q, g))), top(tf.relu(tf.sub(qz, gz)))]);
  });
  scores.push(Array.from(await worst.data()));
  worst.dispose();
}
const ranks = (v: number[]): number[] => {
  const order = v.map((_, i) => i).sort((a, b) => v[a] - v[b]);
  const r = new Array<number>(v.length);
  order.forEach((i, k) => (r[i] = k));
  return r;
};
const [byZ, byRule] = [ranks(scores.map((s) => s[1])), ranks(scores.map((s) => s[2]))];
console.log(`AUROC on ${test.length} parts (model ${modelDir}):`);
names.forEach((n, k) => console.log(`  ${n}: ${auroc(scores.map((s) => s[k]), labels).toFixed(3)}`));
console.log(`  rank average of recon-z and the patch rule: ${auroc(byZ.map((v, i) => v + byRule[i]), labels).toFixed(3)}`);
