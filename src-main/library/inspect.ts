import { createHash } from 'node:crypto';
import type { Metadata } from 'sharp';
import { ImageError } from './errors';
import { DEFAULT_MAX_PIXELS, SUPPORTED_FORMATS, bmpDimensions, fromDecodeError, openImage, readImageBytes } from './source';

export interface ImageFacts {
  path: string;
  hash: string;
  bytes: number;
  width: number;
  height: number;
  channels: 1 | 3;
  hasAlpha: boolean;
  format: string;
  bitDepth: 8 | 16;
  pages: number;
}

const GRAY_SPACES = new Set(['b-w', 'grey16']);

/**
 * Reads the file once, hashes its bytes and decodes it fully (truncation only shows in the pixel
 * data, not the header). Width and height are as displayed, after EXIF orientation. `channels`
 * counts colour channels: CMYK and palette images count as 3, since they are read as RGB.
 */
export async function inspectImage(path: string, opts: { maxPixels?: number } = {}): Promise<ImageFacts> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const bytes = await readImageBytes(path);
  const hash = createHash('sha256').update(bytes).digest('hex');
  const { image, format: knownFormat } = openImage(path, bytes, maxPixels);

  let meta: Metadata;
  try {
    meta = await image.metadata();
  } catch (error) {
    throw fromDecodeError(error, path, bytes);
  }
  const format = knownFormat || meta.format;
  if (!SUPPORTED_FORMATS.has(format)) {
    throw new ImageError('unsupported-format', path, `${format} images are not supported`);
  }
  const depth = meta.depth as string;
  if (!['uchar', 'char', 'ushort', 'short'].includes(depth)) {
    throw new ImageError('unsupported-format', path, `${depth} samples are not supported (8 or 16 bit only)`);
  }
  // BMP raw input reports the decoded size; for others, check the header before paying for a decode.
  const { width, height } = format === 'bmp' ? bmpDimensions(bytes, path) : (meta.autoOrient ?? meta);
  if (width * height > maxPixels) {
    throw new ImageError('too-large', path, `${width}x${height} exceeds the ${maxPixels}-pixel limit`);
  }

  try {
    await image.stats(); // full decode; fails on truncated or damaged data
  } catch (error) {
    throw fromDecodeError(error, path, bytes);
  }

  return {
    path,
    hash,
    bytes: bytes.length,
    width,
    height,
    channels: GRAY_SPACES.has(meta.space ?? '') ? 1 : 3,
    hasAlpha: meta.hasAlpha,
    format,
    bitDepth: depth === 'ushort' || depth === 'short' ? 16 : 8,
    pages: meta.pages ?? 1,
  };
}
