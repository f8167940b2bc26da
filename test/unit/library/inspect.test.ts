import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageError } from '../../../src-main/library/errors';
import { inspectAndThumbnail, inspectImage } from '../../../src-main/library/inspect';
import { loadOriginal } from '../../../src-main/library/prepare';
import { CORPUS_HEIGHT, CORPUS_WIDTH, encodeBmp, makeBadCorpus, type CorpusEntry } from '../../fixtures/bad-corpus';

async function outcome(path: string, maxPixels?: number): Promise<string> {
  try {
    await inspectImage(path, { maxPixels });
    return 'ok';
  } catch (error) {
    if (!(error instanceof ImageError)) throw error; // anything else is a crash, not a verdict
    expect(error.path).toBe(path);
    expect(error.message).toContain(path);
    return error.kind;
  }
}

describe('inspectImage', () => {
  let dir: string;
  let corpus: CorpusEntry[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'inspect-'));
    corpus = await makeBadCorpus(dir);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));
  const facts = (name: string) => inspectImage(join(dir, name));

  it('gives every corpus file exactly its expected verdict', async () => {
    const got = await Promise.all(corpus.map(async (c) => [basename(c.path), await outcome(c.path)]));
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(corpus.map((c) => [basename(c.path), c.expected])));
    expect(corpus.filter((c) => c.expected === 'ok').length).toBeGreaterThanOrEqual(15);
  });

  // sharp's stats() used to resolve with no channels when a concurrent libvips call emptied the
  // process-wide error buffer between a decode failure and its message: truncated.png was accepted
  // in a few rounds out of 30. Many rounds through a pool of 8 keep failures overlapping in time.
  it('gives every verdict exactly, whatever else is being decoded at the same time', async () => {
    const queue = Array.from({ length: 20 }, () => corpus).flat();
    const wrong = new Map<string, number>();
    const worker = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const got = await outcome(c.path);
        const key = `${basename(c.path)}: ${c.expected} -> ${got}`;
        if (got !== c.expected) wrong.set(key, (wrong.get(key) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(Object.fromEntries(wrong)).toEqual({});
  });

  it('hashes the bytes and reports size, format, channels, depth and pages', async () => {
    const path = join(dir, 'png-rgb16.png');
    const bytes = await readFile(path);
    expect(await inspectImage(path)).toEqual({
      path,
      hash: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.length,
      width: CORPUS_WIDTH,
      height: CORPUS_HEIGHT,
      channels: 3,
      hasAlpha: false,
      format: 'png',
      bitDepth: 16,
      pages: 1,
    });
    expect(await facts('png-gray16.png')).toMatchObject({ channels: 1, bitDepth: 16 });
    expect(await facts('png-gray-alpha.png')).toMatchObject({ channels: 1, hasAlpha: true, bitDepth: 8 });
    expect(await facts('png-palette.png')).toMatchObject({ channels: 3, hasAlpha: false });
    expect(await facts('jpeg-cmyk.jpeg')).toMatchObject({ channels: 3, format: 'jpeg' });
    expect(await facts('bmp-gray8.BMP')).toMatchObject({ channels: 1, format: 'bmp', width: CORPUS_WIDTH, height: CORPUS_HEIGHT });
    expect(await facts('tiff-two-pages.tiff')).toMatchObject({ pages: 2, format: 'tiff' });
    expect(await facts('gif-two-frames.gif')).toMatchObject({ pages: 2, format: 'gif' });
    expect(await facts('部品 1.png')).toMatchObject({ channels: 1, format: 'png' });
  });

  it('counts a gray image saved as RGB as gray (one channel), and one coloured pixel as colour', async () => {
    const [w, h] = [40, 30];
    const levels = Buffer.from(Array.from({ length: w * h }, (_, i) => (i * 7) % 256));
    const rgbOf = (g: Buffer) => Buffer.from(Array.from(g).flatMap((v) => [v, v, v]));
    const raw = (data: Buffer, channels: 1 | 3) => sharp(data, { raw: { width: w, height: h, channels } });
    const tinted = rgbOf(levels);
    tinted[3 * 123] = Math.min(255, tinted[3 * 123] + 40);
    const files: [string, Promise<Buffer>, 1 | 3][] = [
      ['gray-as-rgb.png', raw(rgbOf(levels), 3).png().toBuffer(), 1],
      ['gray-as-rgb.jpg', raw(rgbOf(levels), 3).toColourspace('srgb').jpeg({ quality: 90 }).toBuffer(), 1],
      ['gray-as-rgb.bmp', Promise.resolve(encodeBmp(w, h, rgbOf(levels), 24)), 1],
      ['one-tinted-pixel.png', raw(tinted, 3).png().toBuffer(), 3],
    ];
    for (const [name, bytes, channels] of files) {
      writeFileSync(join(dir, name), await bytes);
      expect({ name, channels: (await facts(name)).channels }).toEqual({ name, channels });
    }
    // What the model then reads from such a file as gray is the gray it holds.
    const asGray = await loadOriginal(join(dir, 'gray-as-rgb.png'), 1);
    expect(Array.from(asGray.data.slice(0, 5), (v) => Math.round((v + 1) * 127.5))).toEqual(Array.from(levels.subarray(0, 5)));
  });

  it('gives the same hash for the same bytes under another name', async () => {
    const [a, b] = await Promise.all([facts('png-gray8.png'), facts('nested/deeper/nested.png')]);
    expect(a.hash).toBe(b.hash);
    expect(a.hash).not.toBe((await facts('png-rgb8.png')).hash);
  });

  it('applies the pixel limit to every format, as configured', async () => {
    const pixels = CORPUS_WIDTH * CORPUS_HEIGHT;
    for (const name of ['png-rgb8.png', 'jpeg-rgb.JPG', 'bmp-rgb24.bmp', 'webp-rgb.webp', 'tiff-gray.tif']) {
      expect(await outcome(join(dir, name), pixels - 1)).toBe('too-large');
      expect(await outcome(join(dir, name), pixels)).toBe('ok');
    }
  });

  it('calls a folder unreadable and a missing file not-found', async () => {
    expect(await outcome(join(dir, 'nested'))).toBe('unreadable');
    expect(await outcome(join(dir, 'nope.png'))).toBe('not-found');
  });
});

describe('inspectAndThumbnail', () => {
  let dir: string;
  let corpus: CorpusEntry[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'inspect-thumb-'));
    corpus = await makeBadCorpus(dir);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));
  const thumbOf = (name: string) => join(dir, 'thumbs', `${name}.webp`);

  it('gives the same facts and verdicts as inspectImage, and thumbnails exactly the good files', async () => {
    const asked: string[] = [];
    const got = await Promise.all(
      corpus.map(async (c) => {
        const name = basename(c.path);
        try {
          const r = await inspectAndThumbnail(c.path, { thumbnailFor: (hash) => (asked.push(hash), thumbOf(name)), thumbnailSize: 8 });
          expect(r.facts).toEqual(await inspectImage(c.path));
          expect(r).toMatchObject({ thumbnailPath: thumbOf(name), thumbnailError: null });
          return [name, 'ok'];
        } catch (error) {
          if (!(error instanceof ImageError)) throw error;
          expect(existsSync(thumbOf(name))).toBe(false);
          return [name, error.kind];
        }
      }),
    );
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(corpus.map((c) => [basename(c.path), c.expected])));
    const good = corpus.filter((c) => c.expected === 'ok');
    expect(asked.sort()).toEqual(good.map((c) => createHash('sha256').update(readFileSync(c.path)).digest('hex')).sort());
    expect((await readdir(join(dir, 'thumbs'))).sort()).toEqual(good.map((c) => `${basename(c.path)}.webp`).sort());
    expect(await inspectImage(thumbOf('png-rgb8.png'))).toMatchObject({ format: 'webp', width: 8, height: 5, channels: 3 });
    expect(await inspectImage(thumbOf('png-gray16.png'))).toMatchObject({ format: 'webp', width: 8, height: 5 });
  });

  it('shows the image itself: a full-size thumbnail matches the decoded source, 16-bit as 8-bit', async () => {
    const bytes = async (path: string, nc: 1 | 3) => Array.from((await loadOriginal(path, nc)).data, (v) => Math.round((v + 1) * 127.5));
    for (const [name, nc, ext] of [['png-rgb8.png', 3, 'webp'], ['png-gray16.png', 1, 'jpg'], ['bmp-gray8.BMP', 1, 'webp']] as const) {
      const out = join(dir, 'full', `${name}.${ext}`);
      await inspectAndThumbnail(join(dir, name), { thumbnailFor: () => out });
      // WebP stores gray as RGB; its content is still gray, so it counts as the source does.
      expect(await inspectImage(out)).toMatchObject({ width: CORPUS_WIDTH, height: CORPUS_HEIGHT, channels: nc });
      const [a, b] = [await bytes(out, nc), await bytes(join(dir, name), nc)];
      const meanError = a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length;
      expect(meanError).toBeLessThan(4); // lossy encoding at quality 80 of a smooth gradient
    }
  });

  it('writes no thumbnail when told not to, and reports a thumbnail it cannot write without failing the image', async () => {
    const skipped = await inspectAndThumbnail(join(dir, 'png-gray8.png'), { thumbnailFor: () => null });
    expect(skipped).toMatchObject({ thumbnailPath: null, thumbnailError: null, facts: { format: 'png', channels: 1 } });
    const blocked = join(dir, 'png-gray8.png', 'under-a-file.webp'); // its folder cannot be created
    const failed = await inspectAndThumbnail(join(dir, 'png-rgb8.png'), { thumbnailFor: () => blocked });
    expect(failed.thumbnailPath).toBeNull();
    expect(['ENOTDIR', 'EEXIST']).toContain((failed.thumbnailError as NodeJS.ErrnoException).code);
    expect(failed.facts).toEqual(await inspectImage(join(dir, 'png-rgb8.png')));
  });

  it('refuses camera-sized PNG and JPEG files cut anywhere in their pixel data', async () => {
    const big = sharp({ create: { width: 300, height: 300, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } });
    for (const [ext, bytes] of [['png', await big.clone().png().toBuffer()], ['jpg', await big.clone().jpeg().toBuffer()]] as const) {
      for (const fraction of [0.2, 0.5, 0.9]) {
        const path = join(dir, `cut-${fraction}.${ext}`);
        writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * fraction)));
        await expect(inspectAndThumbnail(path, { thumbnailFor: () => join(dir, 'cut.webp') })).rejects.toMatchObject({ kind: 'corrupt' });
      }
    }
    expect(existsSync(join(dir, 'cut.webp'))).toBe(false);
  });
});
