import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp, { type PngOptions } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBatch, loadForModelWithOriginal, loadManyForModel, loadOriginal } from '../../../src-main/library/prepare';
import { decodeSmallPng, resizeTogether } from '../../../src-main/library/small-png';
import { makeBadCorpus } from '../../fixtures/bad-corpus';

/** Seeded pixels: noise over a gradient, so every kernel weight and edge shows in the resized result. */
function pixels(width: number, height: number, nc: number, seed: number): Buffer {
  let s = seed >>> 0;
  const next = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  return Buffer.from(Array.from({ length: width * height * nc }, (_, i) => {
    const p = Math.floor(i / nc);
    return Math.round(Math.min(255, Math.max(0, ((p % width) + Math.floor(p / width)) * 4 + next() * 160 - 40)));
  }));
}

/** A PNG of `nc` channels (sharp writes raw gray as RGB unless told). */
const png = (width: number, height: number, nc: number, seed: number, options: PngOptions = {}) =>
  sharp(pixels(width, height, nc, seed), { raw: { width, height, channels: nc as 1 | 3 } })
    .toColourspace(nc === 1 ? 'b-w' : 'srgb').png(options).toBuffer();

/** The PNG with one more chunk right after IHDR. */
function withChunk(file: Buffer, type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([file.subarray(0, 33), head, data, crc, file.subarray(33)]);
}

describe('small PNGs resized together', () => {
  let dir: string;
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'small-png-')); });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const write = async (name: string, bytes: Buffer) => {
    const path = join(dir, name);
    await writeFile(path, bytes);
    return path;
  };

  it('gives every image to the bit what its own sharp pipeline gives, at any size up to isize', async () => {
    const sizes = [[28, 28], [1, 1], [5, 17], [31, 32], [32, 32], [20, 32], [7, 3], [16, 9]] as const;
    for (const isize of [32, 48, 33]) {
      for (const nc of [1, 3] as const) {
        const paths: string[] = [];
        // Several images of each size, so one strip holds several and its neighbours would show.
        for (const [w, h] of sizes) {
          for (let k = 0; k < 3; k++) paths.push(await write(`${isize}-${nc}-${w}x${h}-${k}.png`, await png(w, h, nc, w * 131 + h * 7 + k)));
        }
        const many = await loadManyForModel(paths, isize, nc, 1e9);
        for (const [i, path] of paths.entries()) {
          const bytes = await readFile(path);
          expect(decodeSmallPng(bytes, isize, nc), path).toBeDefined();
          const result = many[i];
          if (result.status !== 'fulfilled') throw result.reason;
          const own = await loadForModelWithOriginal(path, isize, nc, 0);
          expect(result.value.data, `${path} at isize ${isize}`).toEqual(own.data);
          const full = await loadOriginal(path, nc);
          expect(Float32Array.from(result.value.original!.data, (v) => (v * 2) / 255 - 1)).toEqual(full.data);
        }
      }
    }
  });

  it('resizes a long run of one size in strips of at most 256, each image still its own', async () => {
    const images = Array.from({ length: 300 }, (_, k) => ({ data: pixels(3, 2, 1, k), width: 3, height: 2 }));
    const together = await resizeTogether(images, 4, 1);
    for (const [k, img] of images.entries()) {
      const own = await sharp(img.data, { raw: { width: 3, height: 2, channels: 1 } }).resize(4, 4, { fit: 'fill' }).toColourspace('b-w').raw().toBuffer();
      expect(Buffer.from(together[k]).equals(own), `image ${k}`).toBe(true);
    }
  });

  it('takes only files whose pipeline would do nothing but resize, and those decode as before', async () => {
    const gray = await png(20, 20, 1, 1);
    const rgb = await png(20, 20, 3, 2);
    // [file, nc the model asks for, whether it is taken]
    const cases: [string, Buffer, 1 | 3, boolean][] = [
      ['text.png', withChunk(gray, 'tEXt', Buffer.from('Comment\0part 12', 'latin1')), 1, true],
      ['gamma.png', withChunk(gray, 'gAMA', Buffer.from([0, 0, 0xb1, 0x8f])), 1, true],
      ['srgb.png', withChunk(rgb, 'sRGB', Buffer.from([0])), 3, true],
      ['gray-for-rgb.png', gray, 3, false], // sharp converts
      ['rgb-for-gray.png', rgb, 1, false],
      ['larger.png', await png(40, 20, 1, 3), 1, false],
      ['interlaced.png', await png(20, 20, 1, 4, { progressive: true }), 1, false],
      ['palette.png', await png(20, 20, 3, 5, { palette: true }), 3, false],
      ['alpha.png', await sharp(pixels(20, 20, 2, 6), { raw: { width: 20, height: 20, channels: 2 } }).png().toBuffer(), 1, false],
      ['sixteen.png', await sharp(pixels(20, 20, 1, 7), { raw: { width: 20, height: 20, channels: 1 } }).toColourspace('grey16').png().toBuffer(), 1, false],
      ['profile.png', await sharp(pixels(20, 20, 3, 8), { raw: { width: 20, height: 20, channels: 3 } }).withIccProfile('p3').png().toBuffer(), 3, false],
      ['exif.png', withChunk(gray, 'eXIf', Buffer.from('MM\0*\0\0\0\x08\0\0', 'latin1')), 1, false],
      ['bad-crc.png', Buffer.from(gray).fill(0, gray.length - 20, gray.length - 16), 1, false],
    ];
    for (const [name, bytes, nc, taken] of cases) {
      expect(decodeSmallPng(bytes, 32, nc) !== undefined, name).toBe(taken);
      const path = await write(name, bytes);
      const [result] = await loadManyForModel([path], 32, nc, 0);
      const own = await loadForModelWithOriginal(path, 32, nc, 0).then((v) => v.data, (e: unknown) => e);
      if (result.status === 'fulfilled') expect(result.value.data, name).toEqual(own);
      else expect(result.reason, name).toEqual(own);
    }
  });

  it('reports each bad file as decoding it alone does, and loads the rest', async () => {
    const bad = (await makeBadCorpus(join(dir, 'corpus'))).filter((c) => c.expected !== 'ok');
    const good = await write('good.png', await png(28, 28, 1, 9));
    const paths = [good, ...bad.map((c) => c.path), good];
    const many = await loadManyForModel(paths, 32, 1, 0);
    expect(many[0]).toEqual(many.at(-1));
    expect(many[0].status).toBe('fulfilled');
    bad.forEach((c, k) => {
      const r = many[k + 1];
      expect(r.status === 'rejected' && r.reason.kind, c.path).toBe(c.expected);
    });
    await expect(loadBatch(paths, 32, 1)).rejects.toMatchObject({ kind: bad[0].expected, path: bad[0].path });
  });
});
