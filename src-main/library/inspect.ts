import { createHash } from 'node:crypto';
import { ImageError } from './errors';
import { DEFAULT_MAX_PIXELS, fromDecodeError, is16Bit, openImage, readImageBytes, readMetadata } from './source';

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
  const opened = openImage(path, bytes, maxPixels);
  const meta = await readMetadata(path, opened, bytes);
  const format = meta.format;
  // The header's size, checked before paying for a decode (sharp's own limit ignores orientation).
  const { width, height } = meta.autoOrient ?? meta;
  if (width * height > maxPixels) {
    throw new ImageError('too-large', path, `${width}x${height} exceeds the ${maxPixels}-pixel limit`);
  }

  try {
    await opened.image.stats(); // full decode; fails on truncated or damaged data
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
    bitDepth: is16Bit(meta) ? 16 : 8,
    pages: meta.pages ?? 1,
  };
}
