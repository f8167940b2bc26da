import { mkdir } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import sharp from 'sharp';
import { writeFileBeside } from '../write-beside';
import { putInferno } from './colormap';
import { DEFAULT_MAX_PIXELS, decodeForDisplay, openImage, readImageBytes, readMetadata, type DisplayPixels } from './source';

// Whole or not at all (write-beside), so a crash never leaves a half file that looks valid; its folder made first.
async function saveAtomically(bytes: Buffer, outPath: string): Promise<void> {
  await mkdir(dirname(outPath), { recursive: true });
  await writeFileBeside(outPath, bytes);
}

function thumbnailType(outPath: string): '.webp' | '.jpg' {
  const ext = extname(outPath).toLowerCase();
  if (ext === '.webp') return ext;
  if (ext === '.jpg' || ext === '.jpeg') return '.jpg';
  throw new Error(`thumbnail must be .webp, .jpg or .jpeg: ${outPath}`);
}

/**
 * A thumbnail at most size x size (aspect kept, never enlarged) of already decoded pixels, as WebP
 * or JPEG by the extension of outPath. WebP at effort 1, not the default 4: on ELPV cells about 3x
 * faster to encode (encoding was most of an import's time) for 8-25% more bytes and ~1 dB less PSNR.
 */
export async function writeThumbnailPixels(pixels: DisplayPixels, outPath: string, size = 256): Promise<void> {
  const type = thumbnailType(outPath);
  const { data, width, height, channels } = pixels;
  let image = sharp(data, { raw: { width, height, channels } }).resize(size, size, { fit: 'inside', withoutEnlargement: true });
  if (channels === 1) image = image.toColourspace('b-w'); // or it would be written as RGB
  image = type === '.webp' ? image.webp({ quality: 80, effort: 1 }) : image.jpeg({ quality: 80, mozjpeg: true });
  await saveAtomically(await image.toBuffer(), outPath);
}

/**
 * A thumbnail of an image file. Transparency is flattened on black, as for the model, so the grid
 * shows what it scores. Throws ImageError for a bad source and then writes nothing.
 */
export async function writeThumbnail(srcPath: string, outPath: string, size = 256): Promise<void> {
  thumbnailType(outPath);
  const bytes = await readImageBytes(srcPath);
  const opened = openImage(srcPath, bytes, DEFAULT_MAX_PIXELS);
  const meta = await readMetadata(srcPath, opened, bytes);
  await writeThumbnailPixels(await decodeForDisplay(srcPath, opened, bytes, meta), outPath, size);
}

function checkSize(data: Float32Array, width: number, height: number, channels: number, what: string): void {
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new RangeError(`${what}: bad size ${width}x${height}`);
  }
  if (data.length !== width * height * channels) {
    throw new RangeError(`${what}: ${data.length} values for ${width}x${height}x${channels}`);
  }
}

const toByte = (v: number): number => (Number.isFinite(v) ? Math.round(Math.min(Math.max(v, 0), 255)) : 0);

/** HWC floats in [-1, 1] (the model's range) as an 8-bit gray or RGB PNG; values outside are clipped. */
export async function writeImagePng(
  outPath: string,
  data: Float32Array,
  width: number,
  height: number,
  nc: 1 | 3,
): Promise<void> {
  if (nc !== 1 && nc !== 3) throw new RangeError(`nc must be 1 or 3, got ${nc}`);
  checkSize(data, width, height, nc, 'writeImagePng');
  const pixels = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) pixels[i] = toByte((data[i] + 1) * 127.5);
  let image = sharp(pixels, { raw: { width, height, channels: nc } });
  if (nc === 1) image = image.toColourspace('b-w');
  await saveAtomically(await image.png().toBuffer(), outPath);
}

/**
 * A difference map as an RGB PNG through the inferno colour map: 0 is black, `scale` and above
 * are the brightest colour. A fixed scale (not each map's own maximum) keeps maps comparable.
 * diff holds width*height values, or width*height*c (HWC) that are averaged over channels.
 */
export async function writeHeatmapPng(
  outPath: string,
  diff: Float32Array,
  width: number,
  height: number,
  scale: number,
): Promise<void> {
  if (!(Number.isFinite(scale) && scale > 0)) throw new RangeError(`heatmap scale must be positive, got ${scale}`);
  const pixelCount = width * height;
  const channels = pixelCount > 0 ? diff.length / pixelCount : 0;
  checkSize(diff, width, height, Number.isInteger(channels) && channels > 0 ? channels : 1, 'writeHeatmapPng');
  const pixels = Buffer.alloc(pixelCount * 3);
  const toIndex = 255 / (channels * scale);
  for (let p = 0; p < pixelCount; p++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += diff[p * channels + c];
    putInferno(pixels, p * 3, sum * toIndex);
  }
  await writeRgbPng(outPath, pixels, width, height);
}

/**
 * RGB bytes (e.g. a coloured heat map) as a PNG at zlib level 3, not the default 6: on a 900x900 heat map
 * 19 ms instead of 51 (most of a scored image's time with maps) for a file 5 % larger (750 vs 713 kB).
 */
export async function writeRgbPng(outPath: string, rgb: Buffer, width: number, height: number): Promise<void> {
  if (rgb.length !== width * height * 3) throw new RangeError(`writeRgbPng: ${rgb.length} bytes for ${width}x${height}x3`);
  await saveAtomically(await sharp(rgb, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 3 }).toBuffer(), outPath);
}
