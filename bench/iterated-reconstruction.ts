// Does passing a crop through the generator again (G(G(x)), ...) take away what one pass copies from a defect? On a
// kept patch model (bench/quality.ts --keep): each image scores by its worst crop's top 1 % of |x − Gᵏ(x)| for each
// k, beside the patch rule (|x − mean training crop|) and |G(x) − mean crop| (how far one pass stays from the mean),
// on the same test parts. An experiment, not a product score; test labels only for the printed AUROC.
// Run: npm run bench -- iterated-reconstruction --model <kept dir> [--set kolektor-sdd] [--passes 1,2,3,5,8]
import * as tf from '@tensorflow/tfjs';
import { resolve } from 'node:path';
import { auroc } from '../src-main/engine/metrics';
import { flagValue as flag } from './flags';
import { keptPatchModel, worstCropTop } from './kept-patch-model';

const modelDir = resolve(flag('model', ''));
const passes = flag('passes', '1,2,3,5,8').split(',').map(Number);
const { model, isize, nc, nets, test, labels, crops } = await keptPatchModel(modelDir, flag('set', 'kolektor-sdd'));
const names = [...passes.map((k) => `|x − G^${k}(x)|`), 'patch rule |x − mean|', '|G(x) − mean|'];

const scores: number[][] = [];
for (const t of test) {
  const c = await crops(t.path);
  const worst = tf.tidy(() => {
    const x = tf.tensor4d(c.data, [c.count, isize, isize, nc]);
    const top = (d: tf.Tensor) => worstCropTop(d, c.count);
    const mean = tf.tensor4d(model.meanImage, [1, isize, isize, nc]);
    const out: tf.Tensor[] = [];
    let y: tf.Tensor4D = x;
    let once: tf.Tensor4D | null = null;
    for (let k = 1; k <= Math.max(...passes); k++) {
      y = nets.reconstruct(y).fake;
      once ??= y;
      if (passes.includes(k)) out.push(top(tf.abs(tf.sub(x, y))));
    }
    out.push(top(tf.abs(tf.sub(x, mean))), top(tf.abs(tf.sub(once!, mean))));
    return tf.stack(out);
  });
  scores.push(Array.from(await worst.data()));
  worst.dispose();
}
console.log(`AUROC on ${test.length} parts (model ${modelDir}):`);
names.forEach((n, k) => console.log(`  ${n}: ${auroc(scores.map((s) => s[k]), labels).toFixed(3)}`));
