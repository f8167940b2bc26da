import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src-main/engine/backends/select';
import { parseOptions, SCORE_KINDS } from '../../../src-main/engine/options';
import {
  chooseScale, describeCrop, extractPatches, gridStarts, patchGrid, resolveCrop, scaledSize, scorePatches, stitchMean, stitchNearest, worstPatch,
} from '../../../src-main/engine/patches';
import { createRng } from '../../../src-main/engine/random';
import { scoreBatch } from '../../../src-main/engine/scoring';
import { createNets, disposeNets } from '../../../src-main/engine/train-step';

describe('patch grid', () => {
  it('covers every pixel, the last window flush with the end, also for sides that are not multiples', () => {
    expect(gridStarts(64, 32, 16)).toEqual([0, 16, 32]);
    expect(gridStarts(70, 32, 16)).toEqual([0, 16, 32, 38]);
    expect(gridStarts(32, 32, 16)).toEqual([0]);
    expect(gridStarts(33, 32, 32)).toEqual([0, 1]);
    for (const [len, size, stride] of [[100, 32, 16], [1250, 32, 32], [47, 16, 5], [300, 48, 24]]) {
      const s = gridStarts(len, size, stride);
      const covered = new Uint8Array(len);
      for (const a of s) for (let i = a; i < a + size; i++) covered[i] = 1;
      expect(covered.every((c) => c === 1)).toBe(true);
      expect(s[s.length - 1]).toBe(len - size);
      expect(s.every((a, i) => i === 0 || a - s[i - 1] <= stride)).toBe(true);
    }
    expect(() => gridStarts(20, 32, 16)).toThrow(/smaller than a patch/);
    expect(() => gridStarts(64, 32, 0)).toThrow(/stride/);
  });

  it('cuts patches and stitches per-patch maps back at the full resolution, each pixel from the patch centred nearest to it', () => {
    const [h, w, nc] = [45, 37, 2];
    const img = Float32Array.from({ length: h * w * nc }, (_, i) => i);
    const g = patchGrid(h, w, 16);
    expect(g).toMatchObject({ ys: [0, 8, 16, 24, 29], xs: [0, 8, 16, 21], count: 20 });
    const p = extractPatches(img, nc, g);
    expect(p).toHaveLength(20 * 16 * 16 * nc);
    // Patch 6 = row 1 (y 8), column 2 (x 16); its pixel (3, 5), channel 1:
    expect(p[((6 * 16 + 3) * 16 + 5) * nc + 1]).toBe(img[((8 + 3) * w + 16 + 5) * nc + 1]);
    // Maps that are each pixel's own index stitch back to exactly that image, at h x w.
    const maps = new Float32Array(20 * 256);
    const fill = (value: (r: number, c: number, y0: number, x0: number) => number) => {
      for (let k = 0; k < 20; k++) {
        const [y0, x0] = [g.ys[Math.floor(k / 4)], g.xs[k % 4]];
        for (let r = 0; r < 16; r++) for (let c = 0; c < 16; c++) maps[k * 256 + r * 16 + c] = value(r, c, y0, x0);
      }
    };
    fill((r, c, y0, x0) => (y0 + r) * w + x0 + c);
    expect(Array.from(stitchNearest(maps, g))).toEqual(Array.from({ length: h * w }, (_, i) => i));
    // Pixel (10, 30) lies in patch 7 (y 8, x 21) at its row 2, and in patch 3 (y 0, x 21) at its row 10: patch 3's
    // centre (8, 29) is nearer than patch 7's (16, 29), so its value is taken, even when patch 7's is larger.
    maps.fill(0);
    maps[7 * 256 + 2 * 16 + 9] = 5;
    maps[3 * 256 + 10 * 16 + 9] = 3;
    expect(stitchNearest(maps, g)[10 * w + 30]).toBe(3);
    // Each pixel's distance to its patch's border: at least 16/4 - 1 everywhere but the image's own outer 4 pixels.
    fill((r, c) => Math.min(r, c, 15 - r, 15 - c));
    const depth = stitchNearest(maps, g);
    for (let y = 4; y < h - 4; y++) for (let x = 4; x < w - 4; x++) expect(depth[y * w + x]).toBeGreaterThanOrEqual(3);
    expect(() => stitchNearest(new Float32Array(3), g)).toThrow(/20 patches/);
    expect(() => extractPatches(new Float32Array(3), nc, g)).toThrow(/45x37x2/);
  });

  it('scores an image by its worst patch and chooses a working scale from the image size and isize', () => {
    expect(worstPatch([0.1, 0.7, 0.3])).toBe(0.7);
    expect(() => worstPatch([])).toThrow(/no patch/);
    expect(worstPatch([0.1, NaN, 0.3])).toBeNaN(); // a kind left uncomputed (feature) stays NaN, as for whole images
    expect(chooseScale(300, 300, 32)).toBeCloseTo(300 / 128);
    expect(chooseScale(500, 1250, 32)).toBeCloseTo(500 / 128);
    expect(chooseScale(100, 100, 32)).toBe(1); // never enlarged
    expect(scaledSize(300, 300, 32, 300 / 128)).toEqual({ width: 128, height: 128 });
    expect(scaledSize(40, 20, 32, 1)).toEqual({ width: 40, height: 32 });
    expect(() => scaledSize(300, 300, 32, 0.5)).toThrow(/at least 1/);
  });
});

describe('scoring by patches', () => {
  it('scores an image by its worst patch and stitches the difference map at the image\'s resolution', async () => {
    await selectBackend('wasm');
    const o = parseOptions({ isize: 16, nc: 1, nz: 8, ngf: 8, ndf: 8 });
    const nets = createNets(o);
    const model = { netG: nets.netG, netD: nets.netD, isize: 16, nc: 1 as const, meanImage: new Float32Array(256), errorStats: { mean: new Float32Array(256).fill(0.1), scale: new Float32Array(256).fill(0.2) } };
    const [h, w] = [40, 27];
    const rng = createRng(5);
    const img = Float32Array.from({ length: h * w }, () => rng.next() - 0.5);
    const before = tf.memory().numTensors;
    const r = await scorePatches(model, img, h, w, { batchSize: 4, withMaps: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.grid).toMatchObject({ ys: [0, 8, 16, 24], xs: [0, 8, 11], count: 12 });
    expect(r.diffMap).toHaveLength(h * w);
    // The same patches scored in one batch: the image's score is the largest patch score of each kind.
    const all = await scoreBatch(model, extractPatches(img, 1, r.grid), 12, true);
    for (const k of SCORE_KINDS) expect(r.raw[k]).toBeCloseTo(Math.max(...all.raw[k]), 5);
    expect(Array.from(r.diffMap!)).toEqual(Array.from(stitchNearest(all.diffMaps!, r.grid)).map((v) => expect.closeTo(v, 5)));
    disposeNets(nets);
  });
});

describe('crop scale', () => {
  it('resolves the crop option from the images\' sizes, without labels', () => {
    const sizes = [{ width: 500, height: 1250 }, { width: 500, height: 1240 }, { width: 510, height: 1260 }];
    expect(resolveCrop('auto', sizes, 32)).toBeCloseTo(500 / 128, 2);
    // Under 6 model sizes on the shorter side (192 px at isize 32): whole images (services/image-set also
    // keeps larger ones whole where a patch's place matters).
    expect(resolveCrop('auto', [{ width: 190, height: 300 }, { width: 191, height: 400 }, { width: 40, height: 60 }], 32)).toBeNull();
    expect(resolveCrop('auto', [{ width: 200, height: 200 }], 32)).toBeCloseTo(200 / 128, 2);
    expect(resolveCrop('auto', [{ width: 300, height: 300 }], 32)).toBeCloseTo(300 / 128, 2);
    expect(resolveCrop('auto', [{ width: 384, height: 900 }], 32)).toBe(3);
    expect(resolveCrop('auto', [{ width: 300, height: 300 }], 16)).toBeCloseTo(300 / 64, 2);
    expect(resolveCrop('whole', sizes, 32)).toBeNull();
    expect(resolveCrop(3, [], 32)).toBe(3);
    expect(() => resolveCrop('auto', [], 32)).toThrow(/no training images/);
    expect(describeCrop(null, 32)).toMatch(/whole image/);
    expect(describeCrop(3.9, 32)).toMatch(/1\/3\.9 scale \(125 native pixels each\)/);
  });

  it('stitches patch reconstructions back, overlaps averaged', () => {
    const g = patchGrid(6, 4, 4, 2);
    expect(g).toMatchObject({ ys: [0, 2], xs: [0], count: 2 });
    const patches = new Float32Array(2 * 16 * 2);
    patches.fill(1, 0, 32);
    patches.fill(3, 32);
    const out = stitchMean(patches, 2, g);
    expect(out).toHaveLength(6 * 4 * 2);
    expect(out[0]).toBe(1); // row 0: patch 0 only
    expect(out[(2 * 4) * 2]).toBe(2); // row 2: both patches
    expect(out[(5 * 4 + 3) * 2 + 1]).toBe(3); // row 5: patch 1 only
  });
});
