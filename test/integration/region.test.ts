// The inspection region through the folder-mode command line, as a user runs it: a camera burns a time stamp
// into the right quarter of every frame and each part carries a label that differs from part to part; a model
// trained with --region on the rest and --leave-out on the label scores a part the same whatever its stamp and
// its label say, still sees a defect inside the region, and draws its heat map over the region.
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, TINY_TRAIN as TINY } from '../fixtures/cli';
import { writePartFolder } from '../fixtures/part-images';

const SIZE = 40;
/** The stamp: x from 30 on (the right quarter). */
const STAMP_FROM = 30;

/** The file's gray pixels with `paint` applied, written to `to`. */
async function repaint(from: string, to: string, paint: (px: Buffer) => void): Promise<void> {
  const px = await sharp(from).greyscale().raw().toBuffer();
  paint(px);
  await sharp(px, { raw: { width: SIZE, height: SIZE, channels: 1 } }).toColourspace('b-w').png().toFile(to);
}

/** The label: x 10..19, y 28..31, that is 25,70,25,10 in percent. */
const LABEL = '25,70,25,10';

/** A different stamp each frame (bright digits-like noise in the right quarter) and a different label on each part. */
const stamp = (seed: number) => (px: Buffer) => {
  for (let y = 0; y < SIZE; y++) for (let x = STAMP_FROM; x < SIZE; x++) px[y * SIZE + x] = ((x * 7 + y * 13 + seed * 31) % 5) * 60;
  for (let y = 28; y < 32; y++) for (let x = 10; x < 20; x++) px[y * SIZE + x] = ((x * 11 + y * 3 + seed * 17) % 4) * 80;
};

describe('inspection region (--region)', () => {
  let dir: string;
  let data: string;
  let model: string;
  let probe: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gi-region-'));
    data = join(dir, 'parts');
    await writePartFolder(data, { trainGood: 24, testGood: 1, testDefect: 0, size: SIZE });
    const good = join(data, 'train', 'good');
    for (const [k, f] of (await readdir(good)).sort().entries()) await repaint(join(good, f), join(good, f), stamp(k));
    // One test part three ways: as shot, with another stamp, and with a dark blob inside the region.
    probe = join(dir, 'probe');
    await mkdir(probe);
    const part = join(data, 'test', 'good', (await readdir(join(data, 'test', 'good')))[0]);
    await repaint(part, join(probe, 'a-as-shot.png'), stamp(100));
    await repaint(part, join(probe, 'b-other-stamp.png'), (px) => { stamp(101)(px); px.fill(255, 5 * SIZE + STAMP_FROM, 6 * SIZE); for (let y = 20; y < SIZE; y++) px.fill(0, y * SIZE + STAMP_FROM, (y + 1) * SIZE); });
    await repaint(part, join(probe, 'c-blob.png'), (px) => { stamp(100)(px); for (let y = 12; y < 22; y++) px.fill(0, y * SIZE + 10, y * SIZE + 20); });
    model = join(dir, 'model');
  });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  it('refuses a region past the image\'s edge, naming the option', async () => {
    const r = await cli(['train', data, '--out', join(dir, 'bad'), '--region', '50,0,60,100', ...TINY]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/region: region "50,0,60,100": left \+ width is 110 %, past the image's right edge/);
  });

  it('refuses a left-out area past the image\'s edge, naming the option and the area', async () => {
    const r = await cli(['train', data, '--out', join(dir, 'bad'), '--leave-out', `${LABEL}; 0,95,10,10`, ...TINY]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/leaveOut: left-out area 2 "0,95,10,10": top \+ height is 105 %, past the image's bottom edge/);
  });

  it('trains on the region only, its left-out area filled, and saves both with the model', async () => {
    const r = await cli(['train', data, '--out', model, '--region', '0,0,75,100', '--leave-out', LABEL, ...TINY]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/region: x 0–75 %, y 0–100 % of each image; left out: x 25–50 %, y 70–80 %; crop: whole image/);
    expect(JSON.parse(await readFile(join(model, 'model.json'), 'utf8')).options).toMatchObject({ region: '0,0,75,100', leaveOut: LABEL });
  });

  it('scores a part the same whatever lies outside the region or in its left-out area, and a defect inside it higher', async () => {
    const maps = join(dir, 'maps');
    const r = await cli(['score', probe, '--model', model, '--json', '--all-kinds', '--maps', maps, '--backend', 'wasm']);
    expect(r.code, r.stderr).toBe(0);
    const [asShot, otherStamp, blob] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { path: string; scores: Record<string, number> });
    expect(asShot.path).toMatch(/a-as-shot/);
    for (const kind of ['recon-top1', 'recon-z', 'ssim', 'latent', 'feature', 'baseline']) {
      expect(otherStamp.scores[kind], kind).toBe(asShot.scores[kind]);
    }
    expect(blob.scores.baseline).toBeGreaterThan(asShot.scores.baseline);
    expect(blob.scores['recon-top1']).toBeGreaterThan(asShot.scores['recon-top1']);
    // The heat map covers the region at its own pixels: 30 of 40 columns.
    const diff = (await readdir(maps)).find((f) => f.endsWith('-difference.png'))!;
    expect(await sharp(join(maps, diff)).metadata()).toMatchObject({ width: 30, height: SIZE });
  });
});
