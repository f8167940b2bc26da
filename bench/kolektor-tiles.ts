// KolektorSDD cut into square tiles (300 px unless a size is given), written MVTec style under <out>/ksdd<size>: a
// surface at that size, to measure what crop 'auto' does with surfaces smaller than KolektorSDD's 500 x 1250 (README,
// Detection quality). Tiles are the centre columns: train/good two per training image, test/good two per good test
// image, test/crack every one of the tiles spread down a crack image (as many as its height holds, rounded: four at
// 300 px) that holds 20 or more crack pixels of its mask (the rest left out, so no tile is labelled by a crack it
// does not show).
// With `vary` instead of a size: tiles of varying sizes under <out>/ksddvary, 200–499 px wide and 200–599 high (seeded),
// as a line's surface tiles of varying sizes: two at random places per good image, one per crack image centred on
// its crack's mask.
// Run: npx tsx bench/kolektor-tiles.ts <out> [size | vary]   then   npx tsx bench/quality.ts --data <out> --sets ksdd<size> [crop=whole]
import { mkdirSync, readdirSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import sharp from 'sharp';
import { KOLEKTOR_DIR as source } from '../test/fixtures/kolektor';

const VARY = process.argv[3] === 'vary';
const TILE = VARY ? 0 : Number(process.argv[3] ?? 300);
const MIN_CRACK_PIXELS = 20;
const outArg = process.argv[2];
if (!outArg || !(VARY || (Number.isInteger(TILE) && TILE >= 32 && TILE <= 500))) throw new Error('usage: npx tsx bench/kolektor-tiles.ts <out dir> [tile size, 32-500 px | vary]');
const out = join(resolve(outArg), `ksdd${VARY ? 'vary' : TILE}`);

/** Tops of n tiles spread evenly down an image of this height (the first at 0, the last flush at the bottom). */
const tops = (height: number, n: number, inset: boolean): number[] =>
  Array.from({ length: n }, (_, i) => Math.round(((inset ? i + 0.5 : i) * (height - TILE)) / (inset ? n : n - 1)));

/** n tiles, or with 0 as many as the image's height holds (rounded). */
async function cut(file: string, dest: string, n: number, mask?: string): Promise<number> {
  const { data, info } = await sharp(file).greyscale().raw().toBuffer({ resolveWithObject: true });
  n ||= Math.round(info.height / TILE);
  const m = mask ? await sharp(mask).greyscale().raw().toBuffer({ resolveWithObject: true }) : null;
  const left = Math.floor((info.width - TILE) / 2);
  let written = 0;
  for (const top of tops(info.height, n, !mask)) {
    if (m) {
      let crack = 0;
      for (let y = top; y < top + TILE; y++) for (let x = left; x < left + TILE; x++) if (m.data[y * m.info.width + x] > 127) crack++;
      if (crack < MIN_CRACK_PIXELS) continue;
    }
    await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
      .extract({ left, top, width: TILE, height: TILE }).png().toFile(join(dest, `${basename(file, extname(file))}-${top}.png`));
    written++;
  }
  return written;
}

let seed = 11;
const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

/** `vary`: n tiles of random sizes at random places, or with a mask one centred on its crack (none under 20 pixels). */
async function cutVarying(file: string, dest: string, n: number, mask?: string): Promise<number> {
  const { data, info } = await sharp(file).greyscale().raw().toBuffer({ resolveWithObject: true });
  const m = mask ? await sharp(mask).greyscale().raw().toBuffer({ resolveWithObject: true }) : null;
  let centre: { x: number; y: number } | null = null;
  if (m) {
    let sx = 0, sy = 0, c = 0;
    for (let y = 0; y < m.info.height; y++) for (let x = 0; x < m.info.width; x++) {
      if (m.data[y * m.info.width + x] <= 127) continue;
      sx += x;
      sy += y;
      c++;
    }
    if (c < MIN_CRACK_PIXELS) return 0;
    centre = { x: sx / c, y: sy / c };
  }
  const at = (c: number | undefined, size: number, side: number) =>
    c === undefined ? Math.floor(rand() * (side - size + 1)) : Math.max(0, Math.min(side - size, Math.round(c - size / 2)));
  for (let k = 0; k < (m ? 1 : n); k++) {
    const width = Math.min(info.width, 200 + Math.floor(rand() * 300));
    const height = Math.min(info.height, 200 + Math.floor(rand() * 400));
    const left = at(centre?.x, width, info.width);
    const top = at(centre?.y, height, info.height);
    await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
      .extract({ left, top, width, height }).png().toFile(join(dest, `${basename(file, extname(file))}-${k}.png`));
  }
  return m ? 1 : n;
}

const counts: Record<string, number> = {};
for (const [from, to, n, masks] of [['train/good', 'train/good', 2, ''], ['test/good', 'test/good', 2, ''], ['test/crack', 'test/crack', 0, 'ground_truth/crack']] as const) {
  mkdirSync(join(out, to), { recursive: true });
  counts[to] = 0;
  for (const f of readdirSync(join(source, from)).sort()) {
    const mask = masks ? join(source, masks, `${basename(f, extname(f))}_mask.png`) : undefined;
    counts[to] += await (VARY ? cutVarying : cut)(join(source, from, f), join(out, to), n, mask);
  }
}
console.log(`${out}: ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
