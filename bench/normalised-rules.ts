// Per-pixel normalisation with and without the model, on a kept whole-image model (bench/quality.ts --keep):
// recon-top1 and recon-z as the model scores them, the plain model-free baseline, and the same baseline
// divided per pixel like recon-z (bench/normalised-baseline.ts). Reads test labels only to print AUROC; chooses nothing.
// Run: npm run bench -- normalised-rules <set> <model-dir>   e.g. mvtec3d-tire scratch/models/mvtec3d-tire-seed0
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectImages } from '../src-main/cli/folder-images';
import { trainingImages } from '../src-main/cli/train';
import { selectBackend } from '../src-main/engine/backends/select';
import { loadModel } from '../src-main/engine/checkpoint';
import { auroc } from '../src-main/engine/metrics';
import { scoreBatch } from '../src-main/engine/scoring';
import { splitIndices } from '../src-main/engine/trainer';
import { loadBatch } from '../src-main/library/prepare';
import { normalisedBaseline } from './normalised-baseline';

const [set, modelDir] = process.argv.slice(2);
if (!set || !modelDir) throw new Error('usage: normalised-rules <set under ../shared/data> <model dir>');
await selectBackend('auto');
const model = await loadModel(resolve(modelDir));
if (model.meta.patchScale != null) throw new Error('a whole-image model, please: patches have no fixed pixel places');
const { isize, nc } = model;
const root = fileURLToPath(new URL(`../../shared/data/${set}`, import.meta.url));
const all = await collectImages([root], () => undefined);
const train = trainingImages(all.filter((i) => i.split === 'train'));
const split = splitIndices(train.length, model.meta.options.validationFraction, model.meta.options.seed);
const test = all.filter((i) => i.split === 'test' && i.label !== null);
const labels = test.map((i) => (i.label === 'defect' ? 1 : 0));

const testX = await loadBatch(test.map((i) => i.path), isize, nc);
const normalised = await normalisedBaseline(model, split.train.map((i) => train[i].path), test.map((i) => i.path));
const scored = await scoreBatch(model, testX, test.length, false);
console.log(`${set}: ${test.length - labels.filter(Boolean).length} good, ${labels.filter(Boolean).length} defect test images; model ${modelDir} (ranks by ${model.scoreKind})`);
for (const k of ['recon-top1', 'recon-z', 'baseline'] as const) {
  if (!Number.isNaN(scored.raw[k][0])) console.log(`${k.padEnd(34)} AUROC ${auroc(Array.from(scored.raw[k]), labels).toFixed(3)}`);
}
console.log(`${'baseline normalised per pixel'.padEnd(34)} AUROC ${auroc(normalised.top, labels).toFixed(3)}  (no model; training images' per-pixel statistics)`);
