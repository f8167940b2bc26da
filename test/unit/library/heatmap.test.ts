import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { INFERNO } from '../../../src-main/library/colormap';
import { heatmapAtResolution } from '../../../src-main/library/heatmap';

/** The colour levels (0..255) of a heat map's RGB bytes, by looking each pixel up in the colour map. */
function levels(rgb: Buffer): number[] {
  const byColour = new Map<number, number>();
  for (let i = 255; i >= 0; i--) byColour.set((INFERNO[i * 3] << 16) | (INFERNO[i * 3 + 1] << 8) | INFERNO[i * 3 + 2], i);
  const out: number[] = [];
  for (let p = 0; p < rgb.length; p += 3) out.push(byColour.get((rgb[p] << 16) | (rgb[p + 1] << 8) | rgb[p + 2]) ?? -1);
  return out;
}

/** What tf gives: |original - resizeBilinear(recon)| (half-pixel centres) averaged over channels, as colour levels. */
function expected(recon: Float32Array, isize: number, img: Float32Array, h: number, w: number, scale: number): number[] {
  const diff = tf.tidy(() => tf.mean(tf.abs(tf.sub(tf.tensor3d(img, [h, w, 3]),
    tf.image.resizeBilinear(tf.tensor3d(recon, [isize, isize, 3]), [h, w], false, true))), 2).dataSync());
  return Array.from(diff, (d) => Math.round(Math.min(255, (d * 255) / scale)));
}

describe('heat map at the original resolution', () => {
  const isize = 16;
  const recon = Float32Array.from({ length: isize * isize * 3 }, (_, i) => Math.cos(i * 0.37));

  it('colours what tf.image.resizeBilinear and |a - b| give, up, down and at the same size', () => {
    for (const [h, w] of [[40, 24], [7, 9], [16, 16]]) {
      const img = Float32Array.from({ length: h * w * 3 }, (_, i) => Math.sin(i * 0.11));
      const got = levels(heatmapAtResolution(recon, isize, 3, { data: img, width: w, height: h }, 1.5));
      const want = expected(recon, isize, img, h, w, 1.5);
      // Float rounding may tip a level over its half-way point: at most one level apart.
      got.forEach((v, i) => expect(Math.abs(v - want[i]), `pixel ${i} of ${h}x${w}`).toBeLessThanOrEqual(1));
      expect(got.filter((v, i) => v !== want[i]).length).toBeLessThan(got.length / 50);
    }
  });

  it('reads 8-bit samples as decoded like the same image as floats in [-1, 1]', () => {
    const bytes = Uint8Array.from({ length: 40 * 24 * 3 }, (_, i) => (i * 37) % 256);
    const floats = Float32Array.from(bytes, (v) => v / 127.5 - 1);
    const a = levels(heatmapAtResolution(recon, isize, 3, { data: bytes, width: 24, height: 40 }, 0.7));
    const b = levels(heatmapAtResolution(recon, isize, 3, { data: floats, width: 24, height: 40 }, 0.7));
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(1));
  });

  it('is black where nothing differs, brightest from the scale up, and refuses wrong sizes', () => {
    const gray = new Float32Array(isize * isize).fill(0.25);
    const same = levels(heatmapAtResolution(gray, isize, 1, { data: new Float32Array(30 * 20).fill(0.25), width: 20, height: 30 }, 0.5));
    expect(new Set(same)).toEqual(new Set([0]));
    const far = levels(heatmapAtResolution(gray, isize, 1, { data: new Float32Array(30 * 20).fill(-1), width: 20, height: 30 }, 0.5));
    expect(new Set(far)).toEqual(new Set([255]));
    expect(() => heatmapAtResolution(new Float32Array(10), isize, 3, { data: new Float32Array(40 * 24 * 3), width: 24, height: 40 }, 1)).toThrow(/expected 16x16x3/);
    expect(() => heatmapAtResolution(recon, isize, 3, { data: new Float32Array(5), width: 24, height: 40 }, 1)).toThrow(/expected 40x24x3/);
    expect(() => heatmapAtResolution(recon, isize, 3, { data: new Float32Array(40 * 24 * 3), width: 24, height: 40 }, 0)).toThrow(RangeError);
  });
});
