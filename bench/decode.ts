// Images per second for loadBatch on the ELPV training folder: isize 32 and 64, concurrency 1, 2, 4; and at isize 32
// what an inspection region and a left-out area cost (interleaved runs, ratio to the whole image in the same run).
// Run: nice -n 10 npx tsx bench/decode.ts [folder] [repeats] [libvips threads per image, default its own]
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadBatch } from '../src-main/library/prepare';
import { ELPV_DIR } from '../test/fixtures/elpv';
import { viewOf } from '../src-main/shared/left-out';

const folder = process.argv[2] ?? join(ELPV_DIR, 'train', 'good');
const repeats = Number(process.argv[3] ?? 5);
if (process.argv[4]) sharp.concurrency(Number(process.argv[4]));

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const paths = (await readdir(folder)).filter((f) => f.toLowerCase().endsWith('.png')).sort().map((f) => join(folder, f));
  console.log(`${paths.length} images from ${folder}, median of ${repeats} runs, ` +
    `libvips threads per image ${sharp.concurrency()}, UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? 4}`);
  await loadBatch(paths.slice(0, 16), 32, 1, 2); // warm the file cache and sharp
  for (const isize of [32, 64]) {
    for (const concurrency of [1, 2, 4]) {
      const rates: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const start = performance.now();
        await loadBatch(paths, isize, 1, concurrency);
        rates.push(paths.length / ((performance.now() - start) / 1000));
      }
      console.log(`isize ${isize}  concurrency ${concurrency}: ${median(rates).toFixed(0)} images/s`);
    }
  }
  // A left-out area is filled at the image's own size before the resize: one more raw pass through sharp.
  const views = { whole: null, 'region 10,10,80,80': viewOf({ region: '10,10,80,80' }), 'left out 40,40,20,20': viewOf({ leaveOut: '40,40,20,20' }) };
  const rates = new Map<string, number[]>(Object.keys(views).map((k) => [k, []]));
  for (let r = 0; r < repeats; r++) {
    for (const [name, view] of Object.entries(views)) {
      const start = performance.now();
      await loadBatch(paths, 32, 1, undefined, view);
      rates.get(name)!.push(paths.length / ((performance.now() - start) / 1000));
    }
  }
  const whole = median(rates.get('whole')!);
  for (const [name, r] of rates) console.log(`isize 32  ${name}: ${median(r).toFixed(0)} images/s (${(whole / median(r)).toFixed(2)} x the whole image's time)`);
}

void main();
