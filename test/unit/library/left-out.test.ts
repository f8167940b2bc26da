// Areas left out inside the inspection region (shared/left-out): read and said in words, placed in the cut
// image's pixels, and filled by every decoding path with the image's own mean of the other pixels, so what an
// area holds never changes a value the model sees (sharp's path and the small-PNG path to the bit alike).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadForModel, loadManyForModel, loadOriginal, loadScaled } from '../../../src-main/library/prepare';
import { decodeSmallPng } from '../../../src-main/library/small-png';
import { trainingImageSet } from '../../../src-main/services/image-set';
import { describeLeftOut, formatLeftOut, leftOutPixels, leftOutShares, parseLeftOut, viewOf } from '../../../src-main/shared/left-out';

const W = 40;
const H = 20;
const unit = (v: number) => (v * 2) / 255 - 1;
/** Gray, each pixel's value from its position; `stamp` changes what the area x 20..29, y 5..9 holds. */
const gray = (stamp: number) => Buffer.from(Array.from({ length: W * H }, (_, i) => {
  const x = i % W;
  const y = Math.floor(i / W);
  return x >= 20 && x < 30 && y >= 5 && y < 10 ? (stamp * 53 + x * 7) % 256 : (x * 3 + y * 5) % 200;
}));
const AREA = '50,25,25,25'; // x 20..29, y 5..9 of a 40 x 20 image

describe('shared/left-out', () => {
  it('reads rectangles separated by ";" and says which one is wrong', () => {
    expect(parseLeftOut(' 50,25,25,25 ; 0,0,10,10 ;')).toEqual([
      { left: 50, top: 25, width: 25, height: 25 }, { left: 0, top: 0, width: 10, height: 10 },
    ]);
    expect(formatLeftOut(parseLeftOut('50,25,25,25;0,0,10.5,10'))).toBe('50,25,25,25; 0,0,10.5,10');
    expect(() => parseLeftOut('0,0,10,10; 95,0,10,10')).toThrow(/left-out area 2 "95,0,10,10": left \+ width is 105 %/);
    expect(() => parseLeftOut('0,0,10')).toThrow(/left-out area 1 must be left,top,width,height/);
    expect(() => parseLeftOut(Array(9).fill('0,0,1,1').join(';'))).toThrow(/at most 8 areas, got 9/);
    expect(describeLeftOut('')).toBeNull();
    expect(describeLeftOut('50,25,25,25')).toBe('x 50–75 %, y 25–50 %');
    expect(viewOf({})).toBeNull();
    expect(viewOf({ region: '0,0,100,100', leaveOut: ' ' })).toBeNull();
    expect(viewOf({ leaveOut: AREA })).toEqual({ region: null, leftOut: [{ left: 50, top: 25, width: 25, height: 25 }] });
  });

  it('places each area in the pixels of the image cut to the region, the part inside it only', () => {
    const view = viewOf({ region: '25,0,50,100', leaveOut: `${AREA}; 0,0,10,10; 70,90,30,10` })!;
    // Region x 10..29; the first area x 20..29 (inside), the second x 0..3 (outside), the third x 28..39, y 18..19.
    expect(leftOutPixels(view, W, H)).toEqual([
      { left: 10, top: 5, width: 10, height: 5 }, { left: 18, top: 18, width: 2, height: 2 },
    ]);
    // The same as shares of the region, for the synthetic check (which keeps no pasted defect there).
    expect(leftOutShares(view)).toEqual([{ left: 0.5, top: 0.25, right: 1, bottom: 0.5 }, { left: 0.9, top: 0.9, right: 1, bottom: 1 }]);
    expect(trainingImageSet([], { isize: 16, nc: 1, region: '25,0,50,100', leaveOut: AREA }, 1).leftOut).toEqual([{ left: 0.5, top: 0.25, right: 1, bottom: 0.5 }]);
    expect(trainingImageSet([], { isize: 16, nc: 1 }, null).leftOut).toBeUndefined();
  });
});

describe('decoding with areas left out', () => {
  let dir: string;
  const file = (name: string) => join(dir, name);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'left-out-'));
    for (const stamp of [1, 2]) {
      const raw = sharp(gray(stamp), { raw: { width: W, height: H, channels: 1 } }).toColourspace('b-w');
      await raw.clone().png().toFile(file(`gray-${stamp}.png`));
      await raw.clone().jpeg({ quality: 95 }).toFile(file(`gray-${stamp}.jpg`));
      await raw.clone().toColourspace('grey16').png().toFile(file(`gray16-${stamp}.png`));
    }
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('fills an area with the mean of the pixels outside it, at the image\'s own size', async () => {
    const view = viewOf({ leaveOut: AREA });
    const img = await loadOriginal(file('gray-1.png'), 1, view);
    const pixels = gray(1);
    const outside = [...pixels].filter((_, i) => !(i % W >= 20 && i % W < 30 && Math.floor(i / W) >= 5 && Math.floor(i / W) < 10));
    const mean = Math.round(outside.reduce((a, b) => a + b, 0) / outside.length);
    expect(img.data).toEqual(Float32Array.from(pixels, (v, i) => unit(i % W >= 20 && i % W < 30 && Math.floor(i / W) >= 5 && Math.floor(i / W) < 10 ? mean : v)));
  });

  it('gives the model the same values to the bit whatever an area holds, on every path and bit depth', async () => {
    const view = viewOf({ region: '10,0,80,100', leaveOut: AREA });
    for (const kind of ['gray', 'gray16']) {
      const [a, b] = [file(`${kind}-1.png`), file(`${kind}-2.png`)];
      expect(await loadForModel(a, 16, 1, view)).toEqual(await loadForModel(b, 16, 1, view));
      expect(await loadForModel(a, 16, 1, null)).not.toEqual(await loadForModel(b, 16, 1, null)); // the stamps differ
      const half = (w: number, h: number) => ({ width: w / 2, height: h / 2 });
      expect((await loadScaled(a, 1, half, view)).data).toEqual((await loadScaled(b, 1, half, view)).data);
    }
    // A JPEG's own blocks reach a pixel or two past the area; inside it the fill is flat.
    const jpeg = await loadOriginal(file('gray-1.jpg'), 1, viewOf({ leaveOut: AREA }));
    expect(new Set(Array.from({ length: 50 }, (_, i) => jpeg.data[(5 + Math.floor(i / 10)) * W + 20 + (i % 10)])).size).toBe(1);
  });

  it('fills a small PNG on the fast path to the bit as sharp\'s path does, in gray and in colour', async () => {
    const view = viewOf({ region: '10,20,55,70', leaveOut: '20,30,20,20; 50,60,40,40' });
    for (const nc of [1, 3] as const) {
      const small = file(`small-${nc}.png`);
      const pixels = Buffer.from(Array.from({ length: 28 * 24 * nc }, (_, i) => (i * 37 + (i >> 5) * 11) % 256));
      await sharp(pixels, { raw: { width: 28, height: 24, channels: nc } }).toColourspace(nc === 1 ? 'b-w' : 'srgb').png().toFile(small);
      expect(decodeSmallPng(await readFile(small), 32, nc)).toBeDefined();
      const [fast] = await loadManyForModel([small], 32, nc, 1e9, undefined, view);
      if (fast.status !== 'fulfilled') throw fast.reason;
      expect(fast.value.data).toEqual(await loadForModel(small, 32, nc, view));
      expect(Float32Array.from(fast.value.original!.data, unit)).toEqual((await loadOriginal(small, nc, view)).data);
    }
  });

  it('fills every training image the options name, and refuses areas that leave nothing to inspect', async () => {
    const o = { isize: 16, nc: 1 as const, leaveOut: AREA };
    const [one, two] = [trainingImageSet([file('gray-1.png')], o, null), trainingImageSet([file('gray-2.png')], o, null)];
    expect(await one.load([0])).toEqual(await two.load([0]));
    const patches = [trainingImageSet([file('gray-1.png')], o, 1), trainingImageSet([file('gray-2.png')], o, 1)];
    expect((await patches[0].patches!.image(0)).data).toEqual((await patches[1].patches!.image(0)).data);
    await expect(loadForModel(file('gray-1.png'), 16, 1, viewOf({ region: AREA, leaveOut: '40,0,60,100' })))
      .rejects.toThrow('the left-out areas cover the whole inspection region: nothing is left to inspect');
  });
});
