// The inspection region in words and numbers (shared/region), and every decoding path cutting images to it:
// sharp's pipeline at the model's size, at a working scale and at the file's own size, after EXIF orientation,
// the small-PNG path giving to the bit what sharp gives, and the training sets, which read the region from the options.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageSize, loadForModel, loadForModelWithOriginal, loadManyForModel, loadOriginal, loadScaled } from '../../../src-main/library/prepare';
import { decodeSmallPng } from '../../../src-main/library/small-png';
import { resolveCropFor, trainingImageSet } from '../../../src-main/services/image-set';
import { describeRegion, formatRegion, parseRegion, regionOf, regionPixels } from '../../../src-main/shared/region';

const W = 40;
const H = 20;
/** Gray, each pixel's value its position (x + 6 y, mod 256), so a cut shows exactly where it was taken. */
const gray = Buffer.from(Array.from({ length: W * H }, (_, i) => ((i % W) + 6 * Math.floor(i / W)) % 256));
const unit = (v: number) => (v * 2) / 255 - 1;
/** What a model with this region and nothing left out sees. */
const cutTo = (region: string) => ({ region: parseRegion(region), leftOut: [] });

describe('shared/region', () => {
  it('reads left,top,width,height in percent and says what is wrong with a bad one', () => {
    expect(parseRegion(' 10, 0 ,80,100')).toEqual({ left: 10, top: 0, width: 80, height: 100 });
    expect(formatRegion(parseRegion('12.5,0,75.25,50'))).toBe('12.5,0,75.25,50');
    expect(() => parseRegion('10,0,80')).toThrow(/left,top,width,height in percent/);
    expect(() => parseRegion('10,0,-5,100')).toThrow(/left,top,width,height/);
    expect(() => parseRegion('10,0,0,100')).toThrow(/above 0 %/);
    expect(() => parseRegion('30,0,80,100')).toThrow(/left \+ width is 110 %, past the image's right edge/);
    expect(() => parseRegion('0,50,10,60')).toThrow(/top \+ height is 110 %/);
    expect(regionOf(undefined)).toBeNull();
    expect(regionOf(' ')).toBeNull();
    expect(regionOf('0,0,100,100')).toBeNull();
    expect(regionOf('0,0,100,99')).toEqual({ left: 0, top: 0, width: 100, height: 99 });
    expect(describeRegion(undefined)).toBe('the whole image');
    expect(describeRegion('10,0,80,100')).toBe('x 10–90 %, y 0–100 % of each image');
  });

  it('cuts whole pixels, at least one, never past the image', () => {
    expect(regionPixels(parseRegion('25,50,50,50'), W, H)).toEqual({ left: 10, top: 10, width: 20, height: 10 });
    expect(regionPixels(parseRegion('99.9,99.9,0.1,0.1'), W, H)).toEqual({ left: 39, top: 19, width: 1, height: 1 });
    expect(regionPixels(parseRegion('0,0,100.01,100'), W, H)).toEqual({ left: 0, top: 0, width: W, height: H });
  });
});

describe('decoding cut to the region', () => {
  let dir: string;
  let path: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'region-'));
    path = join(dir, 'gray.png');
    await sharp(gray, { raw: { width: W, height: H, channels: 1 } }).toColourspace('b-w').png().toFile(path);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('gives the region\'s own pixels at full size, and its size from the header', async () => {
    const region = cutTo('25,50,50,50'); // x 10..29, y 10..19
    const img = await loadOriginal(path, 1, region);
    expect([img.width, img.height]).toEqual([20, 10]);
    const expected = Float32Array.from({ length: 200 }, (_, i) => unit(gray[(10 + Math.floor(i / 20)) * W + 10 + (i % 20)]));
    expect(img.data).toEqual(expected);
    expect(await imageSize(path, region)).toEqual({ width: 20, height: 10 });
    expect(await imageSize(path)).toEqual({ width: W, height: H });
  });

  it('resizes the region, not the image, for the model and for patches', async () => {
    const region = cutTo('25,50,50,50');
    const cut = await sharp(gray, { raw: { width: W, height: H, channels: 1 } }).extract({ left: 10, top: 10, width: 20, height: 10 })
      .toColourspace('b-w').png().toBuffer();
    const cutPath = join(dir, 'cut.png');
    await writeFile(cutPath, cut);
    expect(await loadForModel(path, 8, 1, region)).toEqual(await loadForModel(cutPath, 8, 1));
    const scaled = await loadScaled(path, 1, (w, h) => ({ width: w / 2, height: h / 2 }), region);
    expect([scaled.width, scaled.height]).toEqual([10, 5]);
    expect(scaled.data).toEqual((await loadScaled(cutPath, 1, (w, h) => ({ width: w / 2, height: h / 2 }))).data);
    const both = await loadForModelWithOriginal(path, 8, 1, 1e9, undefined, region);
    expect(both.data).toEqual(await loadForModel(cutPath, 8, 1));
    expect([both.original?.width, both.original?.height]).toEqual([20, 10]);
  });

  it('cuts every training image to the region the options name, whole or in patches, and sizes the crop choice by it', async () => {
    const o = { isize: 8, nc: 1 as const, region: '25,50,50,50' };
    const whole = trainingImageSet([path], o, null);
    expect(await whole.load([0])).toEqual(await loadForModel(path, 8, 1, cutTo(o.region)));
    const patches = trainingImageSet([path], o, 1);
    const img = await patches.patches!.image(0);
    expect([img.width, img.height]).toEqual([20, 10]);
    expect((await resolveCropFor([path], { ...o, crop: 'auto' })).why).toBe('auto: the images\' shorter side, 10 px, is under 6 x isize');
    expect((await trainingImageSet([path], { ...o, region: undefined }, 1).patches!.image(0)).width).toBe(W);
  });

  it('cuts after EXIF orientation: the region is of the image as it is shown', async () => {
    // Orientation 6: shown turned a quarter clockwise, so the shown image is H wide and W tall.
    const rotated = join(dir, 'rotated.png');
    await sharp(gray, { raw: { width: W, height: H, channels: 1 } }).toColourspace('b-w').png().withMetadata({ orientation: 6 }).toFile(rotated);
    const shown = await loadOriginal(rotated, 1);
    expect([shown.width, shown.height]).toEqual([H, W]);
    const cut = await loadOriginal(rotated, 1, cutTo('0,0,50,25')); // the shown image's top-left 10 x 10
    expect([cut.width, cut.height]).toEqual([10, 10]);
    expect(cut.data).toEqual(Float32Array.from({ length: 100 }, (_, i) => shown.data[Math.floor(i / 10) * H + (i % 10)]));
  });

  it('cuts a small PNG on the fast path to the bit as sharp cuts it', async () => {
    const region = cutTo('10,20,55,70');
    for (const nc of [1, 3] as const) {
      const small = join(dir, `small-${nc}.png`);
      const pixels = Buffer.from(Array.from({ length: 28 * 24 * nc }, (_, i) => (i * 37 + (i >> 5) * 11) % 256));
      await sharp(pixels, { raw: { width: 28, height: 24, channels: nc } }).toColourspace(nc === 1 ? 'b-w' : 'srgb').png().toFile(small);
      expect(decodeSmallPng(await readFile(small), 32, nc)).toBeDefined();
      const [fast] = await loadManyForModel([small], 32, nc, 1e9, undefined, region);
      if (fast.status !== 'fulfilled') throw fast.reason;
      expect(fast.value.data).toEqual(await loadForModel(small, 32, nc, region));
      expect(Float32Array.from(fast.value.original!.data, unit)).toEqual((await loadOriginal(small, nc, region)).data);
    }
  });
});
