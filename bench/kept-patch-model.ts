// What the experiments on a kept patch model (bench/quality.ts --keep) share: the model and its inference networks,
// its set's training and labelled test parts as bench/quality.ts splits them, and an image's crops at its scale.
import * as tf from '@tensorflow/tfjs';
import { fileURLToPath } from 'node:url';
import { collectImages } from '../src-main/cli/folder-images';
import { trainingImages } from '../src-main/cli/train';
import { selectBackend } from '../src-main/engine/backends/select';
import { topCount } from '../src-main/engine/baseline';
import { loadModel } from '../src-main/engine/checkpoint';
import { inferenceOf } from '../src-main/engine/folded-nets';
import { extractPatches, patchGrid, scaledSize } from '../src-main/engine/patches';
import { loadScaled } from '../src-main/library/prepare';

export async function keptPatchModel(modelDir: string, set: string) {
  await selectBackend('auto');
  const model = await loadModel(modelDir);
  const scale = model.meta.patchScale;
  if (scale === null) throw new Error('a patch model, please (bench/quality.ts --keep on a set of large images)');
  const { isize, nc } = model;
  const all = await collectImages([fileURLToPath(new URL(`../../shared/data/${set}`, import.meta.url))], () => undefined);
  const train = trainingImages(all.filter((i) => i.split === 'train'));
  const trainHashes = new Set(train.map((i) => i.hash));
  // Test parts whose content is a training image's are left out, as eval leaves them out.
  const test = all.filter((i) => i.split === 'test' && i.label !== null && !trainHashes.has(i.hash));
  /** One image's crops on the model's grid at its scale, NHWC. */
  const crops = async (path: string): Promise<{ data: Float32Array; count: number }> => {
    const img = await loadScaled(path, nc, (w, h) => scaledSize(w, h, isize, scale));
    const g = patchGrid(img.height, img.width, isize);
    return { data: extractPatches(img.data, nc, g), count: g.count };
  };
  return { model, scale, isize, nc, per: isize * isize * nc, nets: inferenceOf(model), train, test, labels: test.map((i) => (i.label === 'defect' ? 1 : 0)), crops };
}

/** An image's score from a map per crop (`count` crops; NHWC is averaged over channels first): its worst crop's mean
 *  of the top 1 % of pixels, as the product's scores take it (topCount). Call inside tf.tidy. */
export function worstCropTop(map: tf.Tensor, count: number): tf.Tensor {
  const pixels = map.rank === 4 ? map.mean(3) : map;
  const per = pixels.size / count;
  return tf.topk(pixels.reshape([count, per]), topCount(per)).values.mean(1).max();
}
