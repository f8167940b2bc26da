// Patch mode end to end on real KolektorSDD images (500 x ~1250 gray): the crop option resolved from the
// images' sizes, training on seeded crops saves its scale, and a saved model scores a file by its worst
// patch with a heat map at the file's own size whose hot spot sits on a defect pasted into it.
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src-main/engine/backends/select';
import { hashFileList, loadModel, readModelMeta, saveModel, type LoadedModel } from '../../../src-main/engine/checkpoint';
import { SCORE_KINDS } from '../../../src-main/engine/options';
import { extractPatches, patchGrid, scaledSize, scorePatches } from '../../../src-main/engine/patches';
import { scoreBatch } from '../../../src-main/engine/scoring';
import { disposeNets } from '../../../src-main/engine/train-step';
import { train } from '../../../src-main/engine/trainer';
import { loadScaled } from '../../../src-main/library/prepare';
import { croppedImageSet, resolveCropFor, trainingImageSet } from '../../../src-main/services/image-set';
import { scoreInBatches, type MapPaths, type ScoredImage } from '../../../src-main/services/score-images';
import { ELPV_DIR } from '../../fixtures/elpv';
import { spread } from '../../../src-main/engine/even-sample';
import { KOLEKTOR_DIR } from '../../fixtures/kolektor';
import { TIRE_DIR } from '../../fixtures/tire';

const options = { isize: 16, nc: 1 as const, nz: 8, ngf: 8, ndf: 8, batchSize: 4, lr: 0.002, epochs: 8, seed: 3, validationFraction: 0.25, crop: 'auto' as const };
let dir: string;
let paths: string[];
let model: LoadedModel;
/** The pasted defect's box in native pixels. */
const bar = { x: 230, y: 600, w: 32, h: 120 };
let defective: string;

/** The scoring path of `score`, `eval` and the scoring job, for these files in one run. */
async function scoreFiles(paths: string[], mapsFor?: (ref: { path: string }) => MapPaths): Promise<ScoredImage<{ path: string }>[]> {
  const out: ScoredImage<{ path: string }>[] = [];
  await scoreInBatches(model, paths.map((path) => ({ path })), 8, mapsFor, (b) => { out.push(...b.scored); });
  return out;
}
let nativeHeight = 0;
const native = (): number => nativeHeight;

beforeAll(async () => {
  await selectBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'patch-mode-'));
  const good = join(KOLEKTOR_DIR, 'train/good');
  paths = (await readdir(good)).filter((f) => f.endsWith('.jpg')).sort().slice(0, 12).map((f) => join(good, f));
  // A real good part with a dark bar pasted in (on these bright surfaces, darker than anything nearby).
  const src = join(KOLEKTOR_DIR, 'test/good', (await readdir(join(KOLEKTOR_DIR, 'test/good'))).sort()[0]);
  const { data, info } = await sharp(src).greyscale().raw().toBuffer({ resolveWithObject: true });
  for (let y = bar.y; y < bar.y + bar.h; y++) data.fill(0, y * info.width + bar.x, y * info.width + bar.x + bar.w);
  nativeHeight = info.height;
  defective = join(dir, 'defective.png');
  await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).png().toFile(defective);
});
afterAll(async () => {
  model?.dispose();
  if (!process.env.KEEP_PATCH_TEST) await rm(dir, { recursive: true, force: true });
  else console.log(dir);
});

describe('patch mode', () => {
  it('resolves auto from the images\' size: large images get patches, smaller ones stay whole', async () => {
    // 500 px on the shorter side, 16 px patches: the shorter side shrinks to 4 * 16 = 64 px.
    const choice = await resolveCropFor(paths, options);
    expect(choice.scale).toBeCloseTo(500 / 64, 2);
    expect(choice.why).toMatch(/^auto: 500 px images, and where a patch sits explains \d+ % of its variation: a surface/);
    expect(await resolveCropFor(paths, { ...options, isize: 96 })).toEqual({ scale: null, why: 'auto: the images\' shorter side, 500 px, is under 6 x isize' });
    expect(await resolveCropFor(paths, { ...options, crop: 'whole' })).toEqual({ scale: null, why: 'set to whole' });
    expect((await resolveCropFor(paths, { ...options, crop: 2.5 })).scale).toBe(2.5);
  });

  it('keeps large images whole where a patch\'s place matters: real solar cells and tyres, not commutators', async () => {
    // At the default isize 32 the size rule alone would cut 300 px cells and tyres into patches (300 >= 8 x 32),
    // as it does 500 px commutators; what a patch model then loses is its place, which these parts depend on.
    const files = async (dir: string) => spread((await readdir(dir)).filter((f) => /\.(png|jpg)$/.test(f)).sort(), 64).map((f) => join(dir, f));
    const share = (why: string) => Number(/explains (\d+) %/.exec(why)?.[1]);
    const o = { ...options, isize: 32 };
    const cells = await resolveCropFor(await files(join(ELPV_DIR, 'train/good')), o);
    const tyres = await resolveCropFor(await files(join(TIRE_DIR, 'train/good')), { ...o, nc: 3 });
    const commutators = await resolveCropFor(await files(join(KOLEKTOR_DIR, 'train/good')), o);
    expect(cells.scale).toBeNull();
    expect(tyres.scale).toBeNull();
    expect(cells.why).toMatch(/but where a patch sits explains \d+ % of its variation: parts shot in place/);
    expect(commutators.scale).toBeCloseTo(500 / 128, 2);
    // Measured 0.35 (cells), 0.73 (tyres), 0.03 (commutators): far from the 15 % line either side.
    expect(share(cells.why)).toBeGreaterThanOrEqual(25);
    expect(share(tyres.why)).toBeGreaterThanOrEqual(50);
    expect(share(commutators.why)).toBeLessThanOrEqual(8);
    // The same surface cut into 300 px tiles: as small as the cells, yet patches (0.83 against 0.66 whole).
    const tiles = await Promise.all(paths.map(async (p, i) => {
      const tile = join(dir, `tile-${i}.png`);
      await sharp(p).extract({ left: 100, top: 400, width: 300, height: 300 }).png().toFile(tile);
      return tile;
    }));
    const tiled = await resolveCropFor(tiles, o);
    expect(tiled.scale).toBeCloseTo(300 / 128, 2);
    expect(tiled.why).toMatch(/^auto: 300 px images, and where a patch sits explains \d+ % of its variation: a surface/);
  });

  it('hands out seeded crops: the same draw gives the same crops, fixed views never change', async () => {
    const set = croppedImageSet(paths.slice(0, 3), 16, 1, 8);
    const a = await set.load([0, 1, 2], { random: 5 });
    expect(a).toHaveLength(3 * 16 * 16);
    expect(await set.load([0, 1, 2], { random: 5 })).toEqual(a);
    expect(await set.load([0, 1, 2], { random: 6 })).not.toEqual(a);
    expect(await set.load([2], { view: 1 })).toEqual((await set.load([0, 1, 2], { view: 1 })).subarray(2 * 256));
    const img = await set.patches!.image(0);
    expect([img.width, img.height]).toEqual([Math.round(500 / 8), expect.any(Number)]);
  });

  it('trains on crops, calibrates on the whole grid and saves the scale with the model', async () => {
    const { scale } = await resolveCropFor(paths, options);
    const r = await train({ set: trainingImageSet(paths, options, scale), options });
    expect(r.snapshot.patchScale).toBe(scale);
    // Calibration and the synthetic check score the 3 validation images by their worst patch.
    expect(r.snapshot.calibration?.['recon-top1']?.count).toBe(3);
    expect(r.snapshot.synthetic).toMatchObject({ good: 3, defective: 6 });
    expect(r.snapshot.deviationStats).toBeUndefined(); // a patch has no fixed place: no per-pixel baseline
    expect(r.snapshot.shiftLimit).toBeUndefined(); // nor a capture shift
    await saveModel(join(dir, 'model'), { snapshot: r.snapshot, backend: null, trainingSetHash: hashFileList(paths), trainingHashes: [] });
    disposeNets(r.nets);
    expect((await readModelMeta(join(dir, 'model'))).patchScale).toBe(scale);
    model = await loadModel(join(dir, 'model'));
  });

  it('scores a file by its worst patch, alone as in any batch, with a native-size heat map hot on the defect, leaking no tensor', async () => {
    const before = tf.memory().numTensors;
    const maps = { recon: join(dir, 'recon.png'), diff: join(dir, 'diff.png') };
    const [s] = await scoreFiles([defective], () => maps);
    expect(tf.memory().numTensors).toBe(before);

    // The worst-patch rule, by hand: the grid's patches of the working-scale image scored in one batch.
    const scale = model.meta.patchScale!;
    const img = await loadScaled(defective, 1, (w, h) => scaledSize(w, h, 16, scale));
    const g = patchGrid(img.height, img.width, 16);
    const all = await scoreBatch(model, extractPatches(img.data, 1, g), g.count);
    for (const k of SCORE_KINDS) expect(s.raw[k]).toBeCloseTo(Math.max(...all.raw[k]), 5);

    // With other images around it, the same scores.
    const inBatch = await scoreFiles([paths[0], defective, paths[1]]);
    for (const k of SCORE_KINDS) expect(inBatch[1].raw[k]).toBe(s.raw[k]);

    // The stitched map's hottest pixel (before the heat map's colour scale clips it) sits on the pasted bar.
    const stitched = await scorePatches(model, img.data, img.height, img.width, { withMaps: true });
    let hottest = 0;
    stitched.diffMap!.forEach((v, p) => { if (v > stitched.diffMap![hottest]) hottest = p; });
    const at = { x: ((hottest % img.width) + 0.5) * (500 / img.width), y: (Math.floor(hottest / img.width) + 0.5) * (native() / img.height) };
    const margin = scale; // one working pixel
    expect(at.x).toBeGreaterThanOrEqual(bar.x - margin);
    expect(at.x).toBeLessThan(bar.x + bar.w + margin);
    expect(at.y).toBeGreaterThanOrEqual(bar.y - margin);
    expect(at.y).toBeLessThan(bar.y + bar.h + margin);
    // The heat map written for Compare has the file's own size, and its brightest pixel is on the bar too.
    const heat = await sharp(maps.diff).raw().toBuffer({ resolveWithObject: true });
    expect([heat.info.width, heat.info.height]).toEqual([500, native()]);
    let brightest = 0;
    for (let p = 1; p < heat.info.width * heat.info.height; p++) {
      const sum = (q: number): number => heat.data[q * 3] + heat.data[q * 3 + 1] + heat.data[q * 3 + 2];
      if (sum(p) > sum(brightest)) brightest = p;
    }
    const [hx, hy] = [brightest % heat.info.width, Math.floor(brightest / heat.info.width)];
    expect(hx >= bar.x - margin && hx < bar.x + bar.w + margin && hy >= bar.y - margin && hy < bar.y + bar.h + margin).toBe(true);
    const recon = await sharp(maps.recon).metadata();
    expect([recon.width, recon.height]).toEqual([img.width, img.height]);
  });
});
