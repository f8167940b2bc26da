// What the engine trains and scores on: a numbered set of images it can load in batches. Its own module
// so that the trainer and the scorer share it without importing each other.

/** Where training images come from; `load` returns NHWC Float32Array in [-1, 1], in the order asked. */
export interface ImageSet {
  count: number;
  nc: 1 | 3;
  isize: number;
  load(indices: number[]): Promise<Float32Array>;
}
