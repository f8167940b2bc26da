import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageError } from '../../../src-main/library/errors';
import { inspectImage } from '../../../src-main/library/inspect';
import { loadBatch, loadForModel, loadForModelWithOriginal, loadOriginal } from '../../../src-main/library/prepare';
import { CORPUS_HEIGHT as H, CORPUS_WIDTH as W, gradientRgb, makeBadCorpus, type CorpusEntry } from '../../fixtures/bad-corpus';

const toFloat = (bytes: ArrayLike<number>, max = 255) => Float32Array.from(bytes, (v) => (v * 2) / max - 1);
const meanAbs = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;
function correlation(a: Float32Array, b: Float32Array, channel: number): number {
  const pick = (x: Float32Array) => x.filter((_, i) => i % 3 === channel);
  const [x, y] = [pick(a), pick(b)];
  const mean = (v: Float32Array) => v.reduce((s, t) => s + t, 0) / v.length;
  const [mx, my] = [mean(x), mean(y)];
  let [sxy, sxx, syy] = [0, 0, 0];
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
const maxAbs = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('prepare', () => {
  let dir: string;
  let corpus: CorpusEntry[];
  const rgb = gradientRgb();
  const gray = Buffer.from(Array.from({ length: W * H }, (_, i) => Math.round((rgb[i * 3] + rgb[i * 3 + 1]) / 2)));
  const at = (name: string) => join(dir, name);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prepare-'));
    corpus = await makeBadCorpus(dir);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('decodes lossless files to exactly their pixels, scaled to [-1, 1]', async () => {
    for (const name of ['png-rgb8.png', 'bmp-rgb24.bmp', 'webp-rgb.webp', 'name with spaces ünïcødé.png']) {
      const img = await loadOriginal(at(name), 3);
      expect([img.width, img.height], name).toEqual([W, H]);
      expect(maxAbs(img.data, toFloat(rgb)), name).toBeLessThan(1e-6);
    }
    for (const name of ['png-gray8.png', 'bmp-gray8.BMP', 'tiff-gray.tif', '部品 1.png']) {
      expect(maxAbs((await loadOriginal(at(name), 1)).data, toFloat(gray)), name).toBeLessThan(1e-6);
    }
    const { data } = await loadOriginal(at('png-rgb8.png'), 3);
    expect(Math.min(...data)).toBe(-1);
    expect(Math.max(...data)).toBe(1);
  });

  it('keeps 16-bit precision up to the floats', async () => {
    const levels = Uint16Array.from({ length: 16 }, (_, i) => 1000 + i * 37); // not multiples of 257
    const path = at('sixteen.png');
    await sharp(levels, { raw: { width: 4, height: 4, channels: 1 } })
      .toColourspace('grey16')
      .png()
      .toFile(path);
    const { data } = await loadOriginal(path, 1);
    expect(maxAbs(data, toFloat(levels, 65535))).toBeLessThan(1e-6);
    expect(maxAbs((await loadOriginal(at('png-gray16.png'), 1)).data, toFloat(gray))).toBeLessThan(1e-6);
    expect(maxAbs((await loadOriginal(at('png-rgb16.png'), 3)).data, toFloat(rgb))).toBeLessThan(1e-6);
  });

  it('converts gray to RGB by repeating the channel, and RGB to gray', async () => {
    const asRgb = (await loadOriginal(at('png-gray8.png'), 3)).data;
    expect(asRgb.length).toBe(W * H * 3);
    const repeated = toFloat(Array.from(gray).flatMap((v) => [v, v, v]));
    expect(maxAbs(asRgb, repeated)).toBeLessThan(0.01);
    // An RGB file whose channels are equal must give back that gray level.
    const grayAsRgb = at('gray-as-rgb.png');
    await sharp(Buffer.from(Array.from(gray).flatMap((v) => [v, v, v])), { raw: { width: W, height: H, channels: 3 } })
      .png()
      .toFile(grayAsRgb);
    expect(maxAbs((await loadOriginal(grayAsRgb, 1)).data, toFloat(gray))).toBeLessThan(0.02);
    const luma = (await loadOriginal(at('png-rgb8.png'), 1)).data;
    expect(luma.length).toBe(W * H);
  });

  it('handles alpha, palette, CMYK, JPEG, first TIFF page and first GIF frame', async () => {
    const rgba = (await loadOriginal(at('png-rgba.png'), 3)).data;
    for (let i = 0; i < W * H; i++) {
      if (i % 3 === 0) expect(Array.from(rgba.subarray(i * 3, i * 3 + 3))).toEqual([-1, -1, -1]); // transparent -> black
    }
    const expected = toFloat(rgb);
    expect(meanAbs((await loadOriginal(at('png-palette.png'), 3)).data, expected)).toBeLessThan(0.06);
    expect(meanAbs((await loadOriginal(at('jpeg-rgb.JPG'), 3)).data, expected)).toBeLessThan(0.05);
    // The gradient's saturated corners lie outside the CMYK gamut, so only closeness and channel order are checked.
    const cmyk = (await loadOriginal(at('jpeg-cmyk.jpeg'), 3)).data;
    expect(meanAbs(cmyk, expected)).toBeLessThan(0.2);
    for (let c = 0; c < 3; c++) expect(correlation(cmyk, expected, c), `channel ${c}`).toBeGreaterThan(0.85); // a swap gives ~0 or -1
    expect(meanAbs((await loadOriginal(at('tiff-two-pages.tiff'), 3)).data, expected)).toBeLessThan(0.01);
    expect(meanAbs((await loadOriginal(at('gif-two-frames.gif'), 3)).data, expected)).toBeLessThan(0.06);
    expect((await loadOriginal(at('png-gray-alpha.png'), 1)).data.length).toBe(W * H);
  });

  it('applies EXIF orientation', async () => {
    const path = at('rotated.jpg');
    await sharp(rgb, { raw: { width: W, height: H, channels: 3 } }).jpeg().withMetadata({ orientation: 6 }).toFile(path);
    const img = await loadOriginal(path, 3);
    expect([img.width, img.height]).toEqual([H, W]);
    expect(await inspectImage(path)).toMatchObject({ width: H, height: W });
  });

  it('stretches to isize x isize with nc channels, values in [-1, 1]', async () => {
    for (const [isize, nc] of [[8, 1], [5, 3], [32, 3], [33, 1]] as const) {
      const data = await loadForModel(at('png-rgb8.png'), isize, nc);
      expect(data.length).toBe(isize * isize * nc);
      expect(data.every((v) => v >= -1 && v <= 1)).toBe(true);
    }
    // Stretching keeps the whole frame: the gradient's dark top-left and bright bottom-right survive.
    const small = await loadForModel(at('png-gray8.png'), 8, 1);
    expect(small[0]).toBeLessThan(-0.8);
    expect(small[63]).toBeGreaterThan(0.8);
    await expect(loadForModel(at('png-rgb8.png'), 0, 1)).rejects.toThrow(RangeError);
    await expect(loadForModel(at('png-rgb8.png'), 8, 2 as 1)).rejects.toThrow(RangeError);
  });

  it('decodes once for the model and the heat map only where the model gets the very same pixels', async () => {
    const names = ['png-gray8.png', 'png-rgb8.png', 'png-gray16.png', 'png-rgba.png', 'png-palette.png', 'jpeg-rgb.JPG', 'bmp-rgb24.bmp', 'tiff-gray.tif', 'webp-rgb.webp'];
    const once: string[] = [];
    for (const name of names) {
      for (const [isize, nc] of [[8, 1], [8, 3], [32, 3], [13, 1]] as const) {
        const both = await loadForModelWithOriginal(at(name), isize, nc, 1e9);
        expect(both.data, `${name} at ${isize}x${nc}`).toEqual(await loadForModel(at(name), isize, nc));
        if (!both.original) continue;
        once.push(`${name} ${nc}`);
        const full = await loadOriginal(at(name), nc);
        expect([both.original.width, both.original.height]).toEqual([full.width, full.height]);
        expect(toFloat(both.original.data)).toEqual(full.data);
      }
    }
    // 8-bit PNGs already in the model's channels (a palette decodes to RGB); the rest convert or shrink while decoding.
    expect([...new Set(once)]).toEqual(['png-gray8.png 1', 'png-rgb8.png 3', 'png-palette.png 3']);
    expect((await loadForModelWithOriginal(at('png-rgb8.png'), 8, 3, W * H - 1)).original).toBeUndefined();
  });

  it('loads a batch in path order whatever the concurrency, and rejects on a bad file', async () => {
    const names = ['png-rgb8.png', 'png-gray8.png', 'jpeg-rgb.JPG', 'bmp-rgb24.bmp', 'webp-rgb.webp'];
    const singles = await Promise.all(names.map((n) => loadForModel(at(n), 6, 3)));
    const expected = new Float32Array(singles.flatMap((s) => Array.from(s)));
    for (const concurrency of [1, 2, 4, 9]) {
      expect(await loadBatch(names.map(at), 6, 3, concurrency)).toEqual(expected);
    }
    expect(await loadBatch([], 6, 3)).toEqual(new Float32Array(0));
    const bad = loadBatch([at('png-rgb8.png'), at('truncated.png')], 6, 3);
    await expect(bad).rejects.toMatchObject({ kind: 'corrupt', path: at('truncated.png') });
  });

  it('rejects every bad corpus file with the same kind inspection gives', async () => {
    for (const entry of corpus.filter((c) => c.expected !== 'ok')) {
      const error = await loadForModel(entry.path, 8, 1).then(() => null, (e: unknown) => e);
      expect(error, entry.path).toBeInstanceOf(ImageError);
      expect((error as ImageError).kind, entry.path).toBe(entry.expected);
    }
  });
});
