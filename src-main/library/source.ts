import { readFile } from 'node:fs/promises';
import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import { BmpError, decodeBmp, isBmp } from './bmp';
import { ImageError, fromFsError } from './errors';

/** Decompression-bomb guard: 100 megapixels is far above any inspection camera frame. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

export const SUPPORTED_FORMATS = new Set(['png', 'jpeg', 'webp', 'tiff', 'gif', 'bmp']);

export async function readImageBytes(path: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw fromFsError(error, path);
  }
  if (bytes.length === 0) throw new ImageError('empty', path, 'file is empty (0 bytes)');
  return bytes;
}

// Signatures of image formats that exist but that we do not decode, so the user hears
// "unsupported format" rather than "not an image".
const KNOWN_UNSUPPORTED: { name: string; test: (b: Buffer) => boolean }[] = [
  { name: 'Photoshop PSD', test: (b) => b.subarray(0, 4).toString('latin1') === '8BPS' },
  { name: 'Windows ICO', test: (b) => b.length > 4 && b.readUInt32BE(0) === 0x00000100 },
  { name: 'HEIF/AVIF', test: (b) => b.subarray(4, 8).toString('latin1') === 'ftyp' },
  { name: 'DICOM', test: (b) => b.subarray(128, 132).toString('latin1') === 'DICM' },
  { name: 'OpenEXR', test: (b) => b.length > 4 && b.readUInt32BE(0) === 0x762f3101 },
];

/**
 * failOn 'error' refuses truncated or damaged pixel data (with 'none' a cut-off PNG decodes to a
 * half-grey image) yet accepts files that only raise libvips warnings. The first page/frame only.
 */
function sharpOptions(maxPixels: number): SharpOptions {
  return { failOn: 'error', limitInputPixels: maxPixels, pages: 1, page: 0, autoOrient: true };
}

export interface OpenedImage {
  image: Sharp;
  format: string;
}

/** A sharp pipeline for the bytes of one file, BMP unpacked by hand. Throws ImageError. */
export function openImage(path: string, bytes: Buffer, maxPixels = DEFAULT_MAX_PIXELS): OpenedImage {
  if (isBmp(bytes)) {
    try {
      const raw = decodeBmp(bytes, maxPixels);
      const image = sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } });
      return { image, format: 'bmp' };
    } catch (error) {
      throw fromBmpError(error, path);
    }
  }
  return { image: sharp(bytes, sharpOptions(maxPixels)), format: '' };
}

/** Reads the header; refuses formats and sample types we do not decode. Returns the real format name. */
export type ImageMetadata = Omit<Metadata, 'format'> & { format: string };

export async function readMetadata(path: string, opened: OpenedImage, bytes: Buffer): Promise<ImageMetadata> {
  let meta: Metadata;
  try {
    meta = await opened.image.metadata();
  } catch (error) {
    throw fromDecodeError(error, path, bytes);
  }
  const format = opened.format || meta.format;
  // sharp can report a failure with an empty message as success (see decodeForDisplay): a header
  // without a size is never a real one.
  if (!(Number(meta.width) > 0 && Number(meta.height) > 0)) {
    throw new ImageError('corrupt', path, 'image header could not be read');
  }
  if (!SUPPORTED_FORMATS.has(format)) {
    throw new ImageError('unsupported-format', path, `${format} images are not supported`);
  }
  if (!['uchar', 'char', 'ushort', 'short'].includes(meta.depth as string)) {
    throw new ImageError('unsupported-format', path, `${meta.depth} samples are not supported (8 or 16 bit only)`);
  }
  return { ...meta, format };
}

export function is16Bit(meta: Pick<Metadata, 'depth'>): boolean {
  return meta.depth === 'ushort' || meta.depth === 'short';
}

/** Gray images (8 or 16 bit, with or without alpha); palette and CMYK count as colour. */
export function isGray(meta: Pick<Metadata, 'space'>): boolean {
  return meta.space === 'b-w' || meta.space === 'grey16';
}

/**
 * Two channels of a pixel may differ by this much (of 255) in an image that still counts as gray: a gray
 * image saved as an RGB JPEG comes back with its channels a level or two apart here and there.
 */
export const GRAY_TOLERANCE = 2;

/**
 * Whether decoded pixels carry no colour: one channel, or three that agree at every pixel (a monochrome
 * camera's frames saved as 24-bit BMP, PNG or JPEG). Such a set trains as gray, as its content is.
 */
export function grayContent(pixels: Pick<DisplayPixels, 'data' | 'channels'>, tolerance = GRAY_TOLERANCE): boolean {
  if (pixels.channels === 1) return true;
  const d = pixels.data;
  for (let i = 0; i < d.length; i += 3) {
    if (Math.abs(d[i] - d[i + 1]) > tolerance || Math.abs(d[i + 1] - d[i + 2]) > tolerance || Math.abs(d[i] - d[i + 2]) > tolerance) return false;
  }
  return true;
}

/** 8-bit pixels as a person sees them: alpha flattened on black, gray or sRGB, after EXIF orientation. */
export interface DisplayPixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 3;
}

/**
 * Decodes every pixel of the first page: this is what refuses truncated or damaged data (headers
 * alone look fine). It goes through sharp's output pipeline on purpose. sharp 0.35's `stats()` takes
 * a libvips failure whose message is empty for success, and libvips keeps its error messages in one
 * process-wide buffer that every finishing sharp call clears; with other decodes in flight a
 * truncated PNG then "passed" with no channels. The output pipeline reports such a failure anyway.
 */
export async function decodeForDisplay(
  path: string,
  opened: OpenedImage,
  bytes: Buffer,
  meta: ImageMetadata,
): Promise<DisplayPixels> {
  const channels = isGray(meta) ? 1 : 3;
  let out: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    out = await opened.image
      .flatten({ background: '#000000' })
      .toColourspace(channels === 1 ? 'b-w' : 'srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw fromDecodeError(error, path, bytes);
  }
  const { width, height } = meta.autoOrient ?? meta;
  const { info, data } = out;
  if (info.width !== width || info.height !== height || info.channels !== channels || data.length !== width * height * channels) {
    throw new ImageError('corrupt', path, `decoded to ${info.width}x${info.height}x${info.channels}, expected ${width}x${height}x${channels}`);
  }
  return { data, width, height, channels };
}

export function fromBmpError(error: unknown, path: string): ImageError {
  if (!(error instanceof BmpError)) return fromDecodeError(error, path, Buffer.alloc(0));
  const kind = error.reason === 'unsupported' ? 'unsupported-format' : error.reason;
  return new ImageError(kind, path, error.message, { cause: error });
}

/** Turns a sharp/libvips failure into the ImageError kind it stands for. */
export function fromDecodeError(error: unknown, path: string, bytes: Buffer): ImageError {
  if (error instanceof ImageError) return error;
  // libvips repeats its warnings over several lines; the first says what went wrong.
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  if (/pixel limit/i.test(message)) {
    return new ImageError('too-large', path, `declared size exceeds the pixel limit (${message})`, { cause: error });
  }
  if (/unsupported image format/i.test(message)) {
    const known = KNOWN_UNSUPPORTED.find((k) => k.test(bytes));
    if (known) return new ImageError('unsupported-format', path, `${known.name} files are not supported`, { cause: error });
    return new ImageError('not-an-image', path, 'content is not a recognised image format', { cause: error });
  }
  // sharp says 'Unknown error' when a concurrent call emptied libvips' shared error buffer.
  const detail = message && message !== 'Unknown error' ? ` (${message})` : '';
  return new ImageError('corrupt', path, `image data is damaged or cut short${detail}`, { cause: error });
}
