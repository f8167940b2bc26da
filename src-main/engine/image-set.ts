// What the engine trains and scores on: a numbered set of images it can load in batches. Its own module
// so that the trainer and the scorer share it without importing each other.
import type { AreaShare } from '../shared/left-out';

/** Which crop of each image a patch-mode set returns: a random one (training; the same `random` gives the
 *  same crops) or fixed view number `view` (validation, BatchNorm statistics). Whole-image sets ignore it. */
export type CropDraw = { random: number } | { view: number };

/** Patch mode: the set's images are cut into isize crops of the images shrunk `scale` times. */
export interface PatchSource {
  /** Native pixels per model pixel. */
  scale: number;
  /** Fixed crops per validation image that judge each epoch (views 0 .. views - 1). */
  views: number;
  /** One whole image at the working scale, HWC in [-1, 1]. */
  image(index: number): Promise<{ data: Float32Array; width: number; height: number }>;
}

/** Where training images come from; `load` returns NHWC Float32Array in [-1, 1], in the order asked. */
export interface ImageSet {
  count: number;
  nc: 1 | 3;
  /** The side of what `load` returns: the whole image squeezed, or one patch. */
  isize: number;
  load(indices: number[], crop?: CropDraw): Promise<Float32Array>;
  /** Present in patch mode. */
  patches?: PatchSource;
  /** Areas every image has filled when decoded (shared/left-out), as shares of the whole image (what a whole-image
   *  set's `load` gives, and `patches.image`): a synthetic defect pasted there would be one no real part can show. */
  leftOut?: AreaShare[];
}
