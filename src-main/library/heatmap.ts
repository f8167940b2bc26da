// The heat map of an image at its own resolution, coloured in one pass: the reconstruction (isize x isize)
// resized up bilinearly (half-pixel centres, as tf.image.resizeBilinear(.., false, true)), |original - G(x)|
// averaged over channels, and its inferno colour. No full-size intermediate: on a 900x900 map a separate
// float map and colouring pass took twice as long, on the thread that also scores.
import { putInferno } from './colormap';

/** 8-bit or float pixels at an image's own size, HWC: bytes as decoded, or floats in [-1, 1]. */
export interface OriginalPixels { data: Uint8Array | Float32Array; width: number; height: number }

/**
 * RGB bytes, width*height*3: |original - G(x)| in the model's [-1, 1] units, 0 black and `scale` or more
 * the brightest colour (the same fixed scale as writeHeatmapPng's).
 */
export function heatmapAtResolution(reconstruction: Float32Array, isize: number, nc: number, original: OriginalPixels, scale: number): Buffer {
  const { data, width, height } = original;
  if (reconstruction.length !== isize * isize * nc) {
    throw new Error(`heat map: reconstruction has ${reconstruction.length} values, expected ${isize}x${isize}x${nc}`);
  }
  if (data.length !== height * width * nc) throw new Error(`heat map: original has ${data.length} values, expected ${height}x${width}x${nc}`);
  if (!(Number.isFinite(scale) && scale > 0)) throw new RangeError(`heat map scale must be positive, got ${scale}`);
  // Compared in the original's units: bytes against the reconstruction mapped to [0, 255].
  const gain = data instanceof Uint8Array ? 127.5 : 1;
  const across = resizeRows(reconstruction, isize, nc, width, gain, gain === 1 ? 0 : 127.5);
  const toLevel = 255 / (nc * gain * scale);
  const line = width * nc;
  const out = Buffer.allocUnsafe(width * height * 3);
  for (let y = 0, p = 0; y < height; y++) {
    const src = (y + 0.5) * (isize / height) - 0.5;
    const lo = Math.max(0, Math.floor(src));
    const a = lo * line;
    const b = Math.min(isize - 1, Math.ceil(src)) * line;
    const t = src - lo;
    const o = y * line;
    for (let i = 0; i < line;) {
      let sum = 0;
      for (let c = 0; c < nc; c++, i++) sum += Math.abs(data[o + i] - (across[a + i] + (across[b + i] - across[a + i]) * t));
      putInferno(out, p, sum * toLevel);
      p += 3;
    }
  }
  return out;
}

/** Each of the isize rows of an NHWC image resized to `width` (half-pixel centres), times gain plus offset. */
function resizeRows(image: Float32Array, isize: number, nc: number, width: number, gain: number, offset: number): Float32Array {
  const out = new Float32Array(isize * width * nc);
  for (let x = 0; x < width; x++) {
    const src = (x + 0.5) * (isize / width) - 0.5;
    const l = Math.max(0, Math.floor(src));
    const h = Math.min(isize - 1, Math.ceil(src));
    const w = src - l;
    for (let r = 0; r < isize; r++) {
      for (let c = 0; c < nc; c++) {
        const v0 = image[(r * isize + l) * nc + c];
        out[(r * width + x) * nc + c] = (v0 + (image[(r * isize + h) * nc + c] - v0) * w) * gain + offset;
      }
    }
  }
  return out;
}
