import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INFERNO } from '../../../src-main/library/colormap';
import { inspectImage } from '../../../src-main/library/inspect';
import { loadOriginal } from '../../../src-main/library/prepare';
import { writeHeatmapPng, writeImagePng, writeThumbnail } from '../../../src-main/library/write';
import { CORPUS_HEIGHT as H, CORPUS_WIDTH as W, makeBadCorpus } from '../../fixtures/bad-corpus';
import { ELPV_DIR } from '../../fixtures/elpv';

const ELPV = join(ELPV_DIR, 'train', 'good');

describe('write', () => {
  let dir: string;
  const at = (name: string) => join(dir, name);
  const out = (name: string) => join(dir, 'out', name);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'write-'));
    await makeBadCorpus(dir);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('writes model-range images as PNGs that read back to the same values', async () => {
    for (const [name, nc] of [['png-rgb8.png', 3], ['png-gray8.png', 1]] as const) {
      const img = await loadOriginal(at(name), nc);
      const path = out(`round-trip-${nc}.png`);
      await writeImagePng(path, img.data, img.width, img.height, nc);
      expect(await inspectImage(path)).toMatchObject({ format: 'png', channels: nc, width: W, height: H, bitDepth: 8 });
      expect((await loadOriginal(path, nc)).data).toEqual(img.data);
    }
  });

  it('clips values outside [-1, 1] and writes NaN as black', async () => {
    const path = out('clipped.png');
    await writeImagePng(path, Float32Array.from([-3, 2, NaN, 0]), 2, 2, 1);
    expect((await loadOriginal(path, 1)).data).toEqual(Float32Array.from([-1, 1, -1, 1 / 255])); // 0 -> level 128
    await expect(writeImagePng(path, new Float32Array(3), 2, 2, 1)).rejects.toThrow(RangeError);
    await expect(writeImagePng(path, new Float32Array(0), 0, 0, 1)).rejects.toThrow(RangeError);
  });

  it('writes heat maps through inferno on a fixed scale, averaging channels', async () => {
    const path = out('heat.png');
    await writeHeatmapPng(path, Float32Array.from([0, 0.25, 0.5, 9, -1, NaN]), 3, 2, 0.5);
    const rgb = (await loadOriginal(path, 3)).data;
    const colour = (i: number) => Array.from(rgb.subarray(i * 3, i * 3 + 3), (v) => Math.round(((v + 1) * 255) / 2));
    expect(colour(0)).toEqual([0, 0, 4]);
    expect(colour(2)).toEqual([252, 255, 164]);
    expect(colour(3)).toEqual([252, 255, 164]);
    expect(colour(4)).toEqual([0, 0, 4]);
    expect(colour(5)).toEqual([0, 0, 4]);
    expect(colour(1)).toEqual(Array.from(INFERNO.subarray(128 * 3, 128 * 3 + 3)));
    // Three channels of one pixel are averaged: (0 + 0.5 + 1) / 3 = 0.5 -> the brightest colour at scale 0.5.
    await writeHeatmapPng(path, Float32Array.from([0, 0.5, 1]), 1, 1, 0.5);
    expect(Array.from((await loadOriginal(path, 3)).data, (v) => Math.round(((v + 1) * 255) / 2))).toEqual([252, 255, 164]);
    await expect(writeHeatmapPng(path, new Float32Array(4), 2, 2, 0)).rejects.toThrow(RangeError);
    await expect(writeHeatmapPng(path, new Float32Array(5), 2, 2, 1)).rejects.toThrow(RangeError);
  });

  it('has a colour table that gets brighter from start to end', () => {
    const luma = (i: number) => 0.2126 * INFERNO[i * 3] + 0.7152 * INFERNO[i * 3 + 1] + 0.0722 * INFERNO[i * 3 + 2];
    for (let i = 1; i < 256; i++) expect(luma(i)).toBeGreaterThanOrEqual(luma(i - 1) - 0.5);
  });

  it('writes WebP and JPEG thumbnails inside size x size, never enlarged, and leaves no temporary files', async () => {
    await writeThumbnail(at('png-rgb8.png'), out('thumbs/a.webp'), 8);
    expect(await inspectImage(out('thumbs/a.webp'))).toMatchObject({ format: 'webp', width: 8, height: 5 });
    await writeThumbnail(at('png-gray16.png'), out('thumbs/b.jpg'), 256);
    expect(await inspectImage(out('thumbs/b.jpg'))).toMatchObject({ format: 'jpeg', width: W, height: H, channels: 1 });
    await writeThumbnail(at('tiff-two-pages.tiff'), out('thumbs/c.jpeg'), 12);
    expect(await inspectImage(out('thumbs/c.jpeg'))).toMatchObject({ format: 'jpeg', width: 12, height: 8 });
    expect((await readdir(out('thumbs'))).sort()).toEqual(['a.webp', 'b.jpg', 'c.jpeg']);
  });

  it('refuses a bad source with its ImageError and writes nothing', async () => {
    await expect(writeThumbnail(at('truncated.jpg'), out('bad.webp'))).rejects.toMatchObject({ kind: 'corrupt' });
    await expect(writeThumbnail(at('text.jpg'), out('bad.webp'))).rejects.toMatchObject({ kind: 'not-an-image' });
    await expect(writeThumbnail(at('png-rgb8.png'), out('bad.png'))).rejects.toThrow(/\.webp, \.jpg or \.jpeg/);
    expect(existsSync(out('bad.webp'))).toBe(false);
  });

  it.skipIf(!existsSync(ELPV))('thumbnails a real 300x300 ELPV cell (skipped when the data set is absent)', async () => {
    const name = (await readdir(ELPV)).filter((f) => f.endsWith('.png')).sort()[0];
    await writeThumbnail(join(ELPV, name), out('elpv.webp'), 128);
    expect(await inspectImage(out('elpv.webp'))).toMatchObject({ width: 128, height: 128, format: 'webp' });
  });
});
