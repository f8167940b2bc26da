// Small 8-bit PNGs (no larger than the model's input) decoded in JavaScript and resized for the model
// together: one sharp call per batch and size instead of one libvips pipeline per image. For a 28×28 PNG
// that pipeline costs about 1 ms of CPU, most of what scoring the image costs; here it is about 0.15 ms.
// The result equals the per-image pipeline (prepare.ts) to the bit, and is tested so: only files whose
// pipeline would do nothing but the resize qualify, and each image sits in a strip of images padded with
// copies of its edge pixels (what libvips extends an image's border with), wide enough that the resize
// kernel never reaches a neighbour and at an offset the scale maps to a whole output pixel.
import { decode } from 'fast-png';
import sharp from 'sharp';

/** 8-bit HWC pixels of one decoded PNG. */
export interface SmallImage { data: Uint8Array; width: number; height: number }

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Chunks sharp's PNG decode ignores for an opaque gray or RGB image; any other (ICC profile, EXIF, transparency...) takes the full path. */
const IGNORED_CHUNKS = new Set(['IHDR', 'IDAT', 'IEND', 'pHYs', 'tEXt', 'zTXt', 'iTXt', 'tIME', 'gAMA', 'cHRM', 'sRGB']);

/** PNG colour types: gray and RGB, without alpha or palette. */
const COLOUR_TYPE = { 1: 0, 3: 2 } as const;

/** Input pixels the resize kernel reaches past an edge when enlarging (lanczos3: 3), with a margin. */
const MIN_PAD = 4;

/** Whether `bytes` is a PNG whose model input this module makes: 8 bit, `nc` channels, opaque, not interlaced, at most isize each way. */
function qualifies(bytes: Buffer, isize: number, nc: 1 | 3): boolean {
  if (bytes.length < 33 || !bytes.subarray(0, 8).equals(SIGNATURE) || bytes.toString('latin1', 12, 16) !== 'IHDR') return false;
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  if (!(width > 0 && height > 0 && width <= isize && height <= isize)) return false;
  if (bytes[24] !== 8 || bytes[25] !== COLOUR_TYPE[nc] || bytes[28] !== 0) return false;
  for (let at = 8; at + 8 <= bytes.length;) {
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (!IGNORED_CHUNKS.has(type)) return false;
    if (type === 'IEND') return true;
    at += 12 + bytes.readUInt32BE(at);
  }
  return false; // no IEND: cut short, let sharp say so
}

/**
 * The pixels of a small PNG that qualifies, or undefined (not a PNG, too large, a kind sharp would convert,
 * or damaged: the full path then reports the damage as it does for any file).
 */
export function decodeSmallPng(bytes: Buffer, isize: number, nc: 1 | 3): SmallImage | undefined {
  if (!qualifies(bytes, isize, nc)) return undefined;
  try {
    const png = decode(bytes, { checkCrc: true });
    const { width, height, data } = png;
    if (png.depth !== 8 || png.channels !== nc || !(data instanceof Uint8Array) || data.length !== width * height * nc) return undefined;
    return { data, width, height };
  } catch {
    return undefined;
  }
}

const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);

/** Padding of a side of `own` pixels scaled to `to`: at least MIN_PAD, and mapping to whole output pixels. */
function padding(own: number, to: number): { pad: number; padOut: number } {
  const step = own / gcd(own, to);
  const pad = Math.ceil(MIN_PAD / step) * step;
  return { pad, padOut: (pad * to) / own };
}

/** Images of one size side by side, each framed by `pad` copies of its edge pixels. */
function strip(images: SmallImage[], nc: number, px: number, py: number): { data: Buffer; width: number; height: number } {
  const { width: w, height: h } = images[0];
  const tw = w + 2 * px;
  const height = h + 2 * py;
  const width = tw * images.length;
  const data = Buffer.allocUnsafe(width * height * nc);
  const row = w * nc;
  images.forEach((img, t) => {
    for (let y = 0; y < height; y++) {
      const src = Math.min(h - 1, Math.max(0, y - py)) * row;
      const left = (y * width + t * tw) * nc;
      data.set(img.data.subarray(src, src + row), left + px * nc);
      for (let x = 0; x < px; x++) {
        for (let c = 0; c < nc; c++) {
          data[left + x * nc + c] = img.data[src + c];
          data[left + (px + w + x) * nc + c] = img.data[src + row - nc + c];
        }
      }
    }
  });
  return { data, width, height };
}

/** Images of one size resized to isize × isize in one sharp call, as `resize(isize, isize, { fit: 'fill' })` does each. */
async function resizeSameSize(images: SmallImage[], isize: number, nc: 1 | 3): Promise<Uint8Array[]> {
  const { width: w, height: h } = images[0];
  if (w === isize && h === isize) return images.map((img) => img.data);
  const x = padding(w, isize);
  const y = padding(h, isize);
  const s = strip(images, nc, x.pad, y.pad);
  const tileOut = isize + 2 * x.padOut;
  const outWidth = tileOut * images.length;
  const outHeight = isize + 2 * y.padOut;
  const out = await sharp(s.data, { raw: { width: s.width, height: s.height, channels: nc } })
    .resize(outWidth, outHeight, { fit: 'fill' }).toColourspace(nc === 1 ? 'b-w' : 'srgb').raw().toBuffer();
  if (out.length !== outWidth * outHeight * nc) throw new Error(`small-png: resized strip holds ${out.length} samples, expected ${outWidth}x${outHeight}x${nc}`);
  const row = isize * nc;
  return images.map((_, t) => {
    const tile = new Uint8Array(isize * row);
    for (let r = 0; r < isize; r++) {
      const from = ((r + y.padOut) * outWidth + t * tileOut + x.padOut) * nc;
      tile.set(out.subarray(from, from + row), r * row);
    }
    return tile;
  });
}

/** Images per strip: far inside libvips' largest width even for the widest tiles, and a batch's worth. */
const MAX_TILES = 256;

/** Each image (from decodeSmallPng) resized to isize × isize, in input order: one sharp call per size and 256 images. */
export async function resizeTogether(images: SmallImage[], isize: number, nc: 1 | 3): Promise<Uint8Array[]> {
  const groups = new Map<string, number[][]>();
  images.forEach((img, i) => {
    const key = `${img.width}x${img.height}`;
    const same = groups.get(key)?.at(-1);
    if (same && same.length < MAX_TILES) same.push(i);
    else groups.set(key, [...(groups.get(key) ?? []), [i]]);
  });
  const strips = [...groups.values()].flat();
  const out = new Array<Uint8Array>(images.length);
  await Promise.all(strips.map(async (indices) => {
    const resized = await resizeSameSize(indices.map((i) => images[i]), isize, nc);
    indices.forEach((i, k) => { out[i] = resized[k]; });
  }));
  return out;
}
