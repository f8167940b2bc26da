import { availableParallelism } from 'node:os';
import { DEFAULT_MAX_PIXELS, fromDecodeError, is16Bit, openImage, readImageBytes, readMetadata, type ImageMetadata, type OpenedImage } from './source';
import sharp, { type Sharp } from 'sharp';
import { mapLimit } from './map-limit';
import { decodeSmallPng, resizeTogether } from './small-png';
import { regionPixels } from '../shared/region';
import { leftOutPixels, type ImageView } from '../shared/left-out';
import { fillLeftOut } from './left-out';

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

/** The size to decode at: a square side, or a function of the image's own (oriented) size. */
type TargetSize = number | ((width: number, height: number) => { width: number; height: number });

interface OpenedFile { bytes: Buffer; opened: OpenedImage; meta: ImageMetadata }

async function openFile(path: string, read?: Buffer): Promise<OpenedFile> {
  const bytes = read ?? await readImageBytes(path);
  const opened = openImage(path, bytes, DEFAULT_MAX_PIXELS);
  return { bytes, opened, meta: await readMetadata(path, opened, bytes) };
}

/**
 * One sharp pipeline per image: first page, EXIF orientation, alpha flattened on black (what a
 * camera sees behind a transparent region), cut to the view's inspection region (if any), converted to gray or
 * sRGB (palette and CMYK included), its left-out areas filled, optionally resized, then HWC samples (8 or 16 bit
 * as the file has them).
 */
async function decodeSamples(
  path: string, file: OpenedFile, nc: 1 | 3, size?: TargetSize, view?: ImageView | null,
): Promise<Samples> {
  const { bytes, opened, meta } = file;
  const wide = is16Bit(meta);
  let pipeline = opened.image.flatten({ background: '#000000' });
  const oriented = meta.autoOrient ?? meta;
  let own = { width: oriented.width, height: oriented.height };
  if (view?.region) {
    // Before the resize, so sharp cuts the oriented image at its own pixels.
    const r = regionPixels(view.region, own.width, own.height);
    pipeline = pipeline.extract(r);
    own = { width: r.width, height: r.height };
  }
  // fill = stretch: the network needs a square input, and stretching keeps the whole part in view
  // (a crop could cut a defect at the edge; letterbox bars would be a pattern the model learns).
  const to = typeof size === 'number' ? { width: size, height: size } : size?.(own.width, own.height);
  const resize = to && (typeof size === 'number' || to.width !== own.width || to.height !== own.height) ? to : null;
  const space = nc === 1 ? (wide ? 'grey16' : 'b-w') : wide ? 'rgb16' : 'srgb';
  const depth = wide ? 'ushort' : 'uchar';
  const boxes = view ? leftOutPixels(view, oriented.width, oriented.height) : [];
  if (boxes.length === 0) {
    if (resize) pipeline = pipeline.resize(resize.width, resize.height, { fit: 'fill' });
    return rawSamples(pipeline.toColourspace(space).raw({ depth }), path, bytes, nc, wide);
  }
  // Left-out areas are filled at the image's own pixels, before any resize blends them into their neighbours.
  const full = await rawSamples(pipeline.toColourspace(space).raw({ depth }), path, bytes, nc, wide);
  fillLeftOut(full.samples, full.width, full.height, nc, boxes);
  if (!resize) return full;
  const raw = sharp(full.samples, { raw: { width: full.width, height: full.height, channels: nc } });
  return rawSamples(raw.resize(resize.width, resize.height, { fit: 'fill' }).toColourspace(space).raw({ depth }), path, bytes, nc, wide);
}

/** HWC samples of a decoded image, 8 or 16 bit. */
interface Samples { samples: Uint8Array | Uint16Array; width: number; height: number }

/** A pipeline's raw output as samples (16 bit where it asked for ushort), its decode errors as ImageError. */
async function rawSamples(pipeline: Sharp, path: string, bytes: Buffer, nc: number, wide: boolean): Promise<Samples> {
  let out: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    out = await pipeline.toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw fromDecodeError(error, path, bytes);
  }
  const { width, height, channels } = out.info;
  if (channels !== nc) throw new Error(`${path}: decoded to ${channels} channels, expected ${nc}`);
  const samples = wide ? new Uint16Array(out.data.buffer, out.data.byteOffset, out.data.length / 2) : out.data;
  return { samples, width, height };
}

/** Samples as HWC floats in [-1, 1]. */
function toUnitFloats(samples: Uint8Array | Uint16Array): Float32Array {
  const scale = 2 / (samples instanceof Uint16Array ? 65535 : 255);
  const data = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) data[i] = samples[i] * scale - 1;
  return data;
}

async function decode(path: string, nc: 1 | 3, size?: TargetSize, view?: ImageView | null): Promise<FloatImage> {
  const { samples, width, height } = await decodeSamples(path, await openFile(path), nc, size, view);
  return { data: toUnitFloats(samples), width, height };
}

/** isize x isize x nc HWC floats in [-1, 1] of the image (or its view: region, left-out areas), ready for the engine. Throws ImageError for bad files. */
export async function loadForModel(path: string, isize: number, nc: 1 | 3, view?: ImageView | null): Promise<Float32Array> {
  checkShape(nc, isize);
  return (await decode(path, nc, isize, view)).data;
}

/** The image (or its view) at its own resolution (after EXIF orientation), for full-resolution difference maps. */
export async function loadOriginal(path: string, nc: 1 | 3, view?: ImageView | null): Promise<FloatImage> {
  checkShape(nc);
  return decode(path, nc, undefined, view);
}

/** 8-bit pixels at an image's own size, HWC. */
export interface ByteImage { data: Uint8Array; width: number; height: number }

/**
 * Whether the model's input can be resized from the full-size pixels and equal loadForModel's to the bit:
 * an 8-bit PNG that is already gray (nc 1) or RGB (nc 3), without alpha or EXIF rotation. Anything else
 * differs: JPEG and WebP shrink while decoding, and sharp converts colour after resizing.
 */
function decodesOnceExactly(meta: ImageMetadata, nc: 1 | 3): boolean {
  return meta.format === 'png' && !is16Bit(meta) && !meta.hasAlpha && !(Number(meta.orientation) > 1) &&
    meta.channels === nc && meta.space === (nc === 1 ? 'b-w' : 'srgb');
}

/** An image as the model's input, and at its own size where one decode gave both. */
export interface ModelInput { data: Float32Array; original?: ByteImage }

/**
 * The model's input and, for the full-resolution heat map, the image at its own size from one decode where
 * that gives the model exactly loadForModel's pixels (decodesOnceExactly) and the image has at most
 * `maxPixels`; otherwise `original` is undefined and the caller decodes it when needed (loadOriginal).
 */
export async function loadForModelWithOriginal(
  path: string, isize: number, nc: 1 | 3, maxPixels: number, bytes?: Buffer, view?: ImageView | null,
): Promise<ModelInput> {
  checkShape(nc, isize);
  const file = await openFile(path, bytes);
  const own = file.meta.autoOrient ?? file.meta;
  if (!decodesOnceExactly(file.meta, nc) || own.width * own.height > maxPixels) {
    return { data: toUnitFloats((await decodeSamples(path, file, nc, isize, view)).samples) };
  }
  const full = await decodeSamples(path, file, nc, undefined, view);
  const small = await sharp(full.samples, { raw: { width: full.width, height: full.height, channels: nc } })
    .resize(isize, isize, { fit: 'fill' }).toColourspace(nc === 1 ? 'b-w' : 'srgb').raw().toBuffer(); // raw gray would come out as RGB
  if (small.length !== isize * isize * nc) throw new Error(`${path}: resized to ${small.length} samples, expected ${isize}x${isize}x${nc}`);
  return { data: toUnitFloats(small), original: { data: full.samples as Uint8Array, width: full.width, height: full.height } };
}

/** The image (or its view) at a working scale for patch mode: `size` maps its own (or the region's) width and height to the decoded ones. */
export async function loadScaled(
  path: string, nc: 1 | 3, size: (width: number, height: number) => { width: number; height: number }, view?: ImageView | null,
): Promise<FloatImage> {
  checkShape(nc);
  return decode(path, nc, size, view);
}

/** An image's width and height after EXIF orientation (or its region's), from its header (nothing decoded). */
export async function imageSize(path: string, view?: ImageView | null): Promise<{ width: number; height: number }> {
  const { meta } = await openFile(path);
  const own = meta.autoOrient ?? meta;
  if (!view?.region) return { width: own.width, height: own.height };
  const r = regionPixels(view.region, own.width, own.height);
  return { width: r.width, height: r.height };
}

/**
 * Two decodes per core keep libuv's pool busy while JavaScript converts the previous result; more
 * than libuv's 4 threads would only queue. (sharp itself uses one libvips thread per image on glibc.)
 */
export const DEFAULT_CONCURRENCY = Math.min(4, 2 * Math.max(1, availableParallelism()));

/**
 * NHWC batch of paths.length images. sharp decodes on libuv's thread pool, so a few files in flight
 * at once use every core. A bad file rejects the batch with its ImageError (the first in order; callers
 * are expected to have inspected files at import).
 */
export async function loadBatch(
  paths: string[],
  isize: number,
  nc: 1 | 3,
  concurrency = DEFAULT_CONCURRENCY,
  view?: ImageView | null,
): Promise<Float32Array> {
  checkShape(nc, isize);
  const size = isize * isize * nc;
  const batch = new Float32Array(paths.length * size);
  (await loadManyForModel(paths, isize, nc, 0, concurrency, view)).forEach((r, index) => {
    if (r.status === 'rejected') throw r.reason;
    batch.set(r.value.data, index * size);
  });
  return batch;
}

/**
 * Each file (or its view) as loadForModelWithOriginal gives it, or its ImageError (a bad file never rejects
 * the call). Small PNGs are decoded here, cut to the view and resized together (small-png: the same pixels at
 * a tenth of the cost); every other file is decoded on its own, `concurrency` at a time.
 */
export async function loadManyForModel(
  paths: string[], isize: number, nc: 1 | 3, maxPixels: number, concurrency = DEFAULT_CONCURRENCY, view?: ImageView | null,
): Promise<PromiseSettledResult<ModelInput>[]> {
  checkShape(nc, isize);
  const out = new Array<PromiseSettledResult<ModelInput>>(paths.length);
  const small: { index: number; image: ByteImage }[] = [];
  await mapLimit(paths, concurrency, async (path, index) => {
    try {
      const bytes = await readImageBytes(path);
      const image = decodeSmallPng(bytes, isize, nc);
      if (image) small.push({ index, image: view ? viewBytes(image, nc, view) : image });
      else out[index] = { status: 'fulfilled', value: await loadForModelWithOriginal(path, isize, nc, maxPixels, bytes, view) };
    } catch (reason) {
      out[index] = { status: 'rejected', reason };
    }
  });
  const resized = await resizeTogether(small.map((s) => s.image), isize, nc);
  small.forEach(({ index, image }, k) => {
    const original = image.width * image.height <= maxPixels ? image : undefined;
    out[index] = { status: 'fulfilled', value: { data: toUnitFloats(resized[k]), original } };
  });
  return out;
}

/** An HWC 8-bit image as the view shows it: cut to its region as sharp's extract cuts it (regionPixels), its left-out areas filled. */
function viewBytes(image: ByteImage, nc: number, view: ImageView): ByteImage {
  const r = view.region ? regionPixels(view.region, image.width, image.height) : { left: 0, top: 0, width: image.width, height: image.height };
  const data = new Uint8Array(r.width * r.height * nc);
  for (let y = 0; y < r.height; y++) {
    const from = ((r.top + y) * image.width + r.left) * nc;
    data.set(image.data.subarray(from, from + r.width * nc), y * r.width * nc);
  }
  fillLeftOut(data, r.width, r.height, nc, leftOutPixels(view, image.width, image.height));
  return { data, width: r.width, height: r.height };
}
