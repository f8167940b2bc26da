// Which score kind would 'auto' choose for an already trained model, and how well does each kind find
// synthetic defects? Re-creates the model's validation split from its training folder (as `train <folder>`
// made it) and runs the synthetic-defect check; then `eval` on the test folder gives the real figures.
// Usage: npx tsx bench/synthetic-choice.ts <model-dir> <set-folder>   (e.g. ../shared/data/elpv-mono)
import { resolve } from 'node:path';
import { selectBackend } from '../src-main/engine/backends/select';
import { loadModel } from '../src-main/engine/checkpoint';
import { SCORE_KINDS } from '../src-main/engine/options';
import { syntheticCheck } from '../src-main/engine/synthetic-check';
import { splitIndices } from '../src-main/engine/trainer';
import { collectImages } from '../src-main/cli/folder-images';
import { trainingImages } from '../src-main/cli/train';
import { trainingFolder } from '../src-main/library/layout';
import { cachedImageSet } from '../src-main/services/image-set';

const [dir, folder] = process.argv.slice(2);
if (!dir || !folder) throw new Error('usage: npx tsx bench/synthetic-choice.ts <model-dir> <set-folder>');
await selectBackend('wasm');
const model = await loadModel(resolve(dir));
const paths = trainingImages(await collectImages([trainingFolder(resolve(folder))], () => undefined)).map((i) => i.path);
const o = model.meta.options;
const split = splitIndices(paths.length, o.validationFraction, o.seed);
const t0 = performance.now();
const { synthetic: c } = await syntheticCheck({ model, set: cachedImageSet(paths, o.isize, o.nc), indices: split.validation, seed: o.seed, batchSize: 64 });
console.log(`${dir}: ${c.good} validation images x ${c.defective / c.good} synthetic defects, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
console.log(SCORE_KINDS.map((k) => `${k} ${c.auroc[k].toFixed(3)}`).join('  ') + `  -> auto chooses ${c.best}`);
model.dispose();
