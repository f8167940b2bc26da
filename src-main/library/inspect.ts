import { createHash } from 'node:crypto';
import { ImageError } from './errors';
import { DEFAULT_MAX_PIXELS, decodeForDisplay, grayContent, is16Bit, openImage, readImageBytes, readMetadata } from './source';
import { writeThumbnailPixels } from './write';

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

export interface InspectOptions {
  maxPixels?: number;
}

export interface ThumbnailOptions extends InspectOptions {
  /**
   * Where to write the thumbnail of this content (.webp, .jpg or .jpeg), or null for none (it
   * exists already). Asked once the file has decoded cleanly, so the hash is known.
   */
  thumbnailFor: (hash: string) => string | null;
  thumbnailSize?: number;
}

export interface InspectedImage {
  facts: ImageFacts;
  /** The thumbnail written by this call; null when none was asked for or writing it failed. */
  thumbnailPath: string | null;
  /** Why the thumbnail could not be written (e.g. disk full). The image itself is still good. */
  thumbnailError: unknown;
}

/**
 * Reads the file once, hashes its bytes and decodes every pixel (truncation only shows in the pixel
 * data, not the header). Width and height are as displayed, after EXIF orientation. `channels`
 * counts the channels the content needs: 3 for colour (CMYK and palette images are read as RGB), 1 for
 * gray, also when a gray image was saved as RGB (`grayContent`).
 * Throws ImageError for a file that is not a usable image.
 */
export async function inspectImage(path: string, opts: InspectOptions = {}): Promise<ImageFacts> {
  return (await inspect(path, opts)).facts;
}

/**
 * inspectImage, and a thumbnail made from the same decoded pixels (one read, one decode). A bad
 * image throws ImageError and writes nothing; a thumbnail that cannot be written does not throw.
 */
export async function inspectAndThumbnail(path: string, opts: ThumbnailOptions): Promise<InspectedImage> {
  return inspect(path, opts);
}

async function inspect(path: string, opts: InspectOptions & Partial<ThumbnailOptions>): Promise<InspectedImage> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const bytes = await readImageBytes(path);
  const hash = createHash('sha256').update(bytes).digest('hex');
  const opened = openImage(path, bytes, maxPixels);
  const meta = await readMetadata(path, opened, bytes);
  // The header's size, checked before paying for a decode (sharp's own limit ignores orientation).
  const { width, height } = meta.autoOrient ?? meta;
  if (width * height > maxPixels) {
    throw new ImageError('too-large', path, `${width}x${height} exceeds the ${maxPixels}-pixel limit`);
  }
  const pixels = await decodeForDisplay(path, opened, bytes, meta);
  const facts: ImageFacts = {
    path,
    hash,
    bytes: bytes.length,
    width,
    height,
    channels: grayContent(pixels) ? 1 : 3,
    hasAlpha: meta.hasAlpha,
    format: meta.format,
    bitDepth: is16Bit(meta) ? 16 : 8,
    pages: meta.pages ?? 1,
  };

  let thumbnailPath = opts.thumbnailFor?.(hash) ?? null;
  let thumbnailError: unknown = null;
  if (thumbnailPath) {
    try {
      await writeThumbnailPixels(pixels, thumbnailPath, opts.thumbnailSize);
    } catch (error) {
      [thumbnailPath, thumbnailError] = [null, error];
    }
  }
  return { facts, thumbnailPath, thumbnailError };
}
