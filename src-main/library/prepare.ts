import { availableParallelism } from 'node:os';
import { DEFAULT_MAX_PIXELS, fromDecodeError, is16Bit, openImage, readImageBytes, readMetadata } from './source';
import { mapLimit } from './map-limit';

export interface FloatImage {
  data: Float32Array;
  width: number;
  height: number;
}

function checkShape(nc: number, isize?: number): void {
  if (nc !== 1 && nc !== 3) throw new RangeError(`nc must be 1 or 3, got ${nc}`);
  if (isize !== undefined && !(Number.isInteger(isize) && isize > 0)) {
    throw new RangeError(`isize must be a positive integer, got ${isize}`);
  }
}

/**
 * One sharp pipeline per image: first page, EXIF orientation, alpha flattened on black (what a
 * camera sees behind a transparent region), converted to gray or sRGB (palette and CMYK included),
 * optionally resized, then HWC floats in [-1, 1]. 16-bit inputs stay 16-bit up to the floats.
 */
/** The size to decode at: a square side, or a function of the image's own (oriented) size. */
type TargetSize = number | ((width: number, height: number) => { width: number; height: number });

async function decode(path: string, nc: 1 | 3, size?: TargetSize): Promise<FloatImage> {
  const bytes = await readImageBytes(path);
  const opened = openImage(path, bytes, DEFAULT_MAX_PIXELS);
  const meta = await readMetadata(path, opened, bytes);
  const wide = is16Bit(meta);
  let pipeline = opened.image.flatten({ background: '#000000' });
  // fill = stretch: the network needs a square input, and stretching keeps the whole part in view
  // (a crop could cut a defect at the edge; letterbox bars would be a pattern the model learns).
  if (typeof size === 'number') pipeline = pipeline.resize(size, size, { fit: 'fill' });
  else if (size) {
    const own = meta.autoOrient ?? meta;
    const to = size(own.width, own.height);
    if (to.width !== own.width || to.height !== own.height) pipeline = pipeline.resize(to.width, to.height, { fit: 'fill' });
  }
  const space = nc === 1 ? (wide ? 'grey16' : 'b-w') : wide ? 'rgb16' : 'srgb';
  pipeline = pipeline.toColourspace(space).raw({ depth: wide ? 'ushort' : 'uchar' });

  let out: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    out = await pipeline.toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw fromDecodeError(error, path, bytes);
  }
  const { width, height, channels } = out.info;
  if (channels !== nc) throw new Error(`${path}: decoded to ${channels} channels, expected ${nc}`);
  const samples = wide
    ? new Uint16Array(out.data.buffer, out.data.byteOffset, out.data.length / 2)
    : out.data;
  const scale = 2 / (wide ? 65535 : 255);
  const data = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) data[i] = samples[i] * scale - 1;
  return { data, width, height };
}

/** isize x isize x nc HWC floats in [-1, 1], ready for the engine. Throws ImageError for bad files. */
export async function loadForModel(path: string, isize: number, nc: 1 | 3): Promise<Float32Array> {
  checkShape(nc, isize);
  return (await decode(path, nc, isize)).data;
}

/** The image at its own resolution (after EXIF orientation), for full-resolution difference maps. */
export async function loadOriginal(path: string, nc: 1 | 3): Promise<FloatImage> {
  checkShape(nc);
  return decode(path, nc);
}

/** The image at a working scale for patch mode: `size` maps its own width and height to the decoded ones. */
export async function loadScaled(path: string, nc: 1 | 3, size: (width: number, height: number) => { width: number; height: number }): Promise<FloatImage> {
  checkShape(nc);
  return decode(path, nc, size);
}

/** An image's width and height after EXIF orientation, from its header (nothing decoded). */
export async function imageSize(path: string): Promise<{ width: number; height: number }> {
  const bytes = await readImageBytes(path);
  const meta = await readMetadata(path, openImage(path, bytes, DEFAULT_MAX_PIXELS), bytes);
  const own = meta.autoOrient ?? meta;
  return { width: own.width, height: own.height };
}

/**
 * Two decodes per core keep libuv's pool busy while JavaScript converts the previous result; more
 * than libuv's 4 threads would only queue. (sharp itself uses one libvips thread per image on glibc.)
 */
export const DEFAULT_CONCURRENCY = Math.min(4, 2 * Math.max(1, availableParallelism()));

/**
 * NHWC batch of paths.length images. sharp decodes on libuv's thread pool, so a few files in flight
 * at once use every core. The first bad file rejects the batch with its ImageError (callers are
 * expected to have inspected files at import) and no new decodes are started.
 */
export async function loadBatch(
  paths: string[],
  isize: number,
  nc: 1 | 3,
  concurrency = DEFAULT_CONCURRENCY,
): Promise<Float32Array> {
  checkShape(nc, isize);
  const size = isize * isize * nc;
  const batch = new Float32Array(paths.length * size);
  await mapLimit(paths, concurrency, async (path, index) => batch.set(await loadForModel(path, isize, nc), index * size));
  return batch;
}
