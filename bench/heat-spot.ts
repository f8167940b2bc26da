// Where a short patch-mode training puts the heat map's hot spot on real KolektorSDD cracks: for each seed,
// trains (`train <folder>` in folder mode, crop auto) on a spread subset of train/good, scores test/crack and
// a few test/good with maps (`score --maps`, the scoring job's runner), and reports for every crack whether the
// hot spot (test/fixtures/heat-spot.ts: brightest after a box blur of --radius px) lies on its ground-truth mask
// dilated by --margin px, and for the good parts the correlation of the reconstruction with its original and,
// for contrast, with another good part. Measured to size test/e2e/heatmap-kolektor.spec.ts (figures in README).
// --model <dir> skips training and measures a kept model (e.g. bench/quality.ts --keep) on the same subset.
// Run: npx tsx bench/heat-spot.ts [--seeds 0,1,2] [--train 31] [--radius 4] [--margin 8] [--keep <dir>] [--model <dir>] [train flags ...]
//      e.g. npx tsx bench/heat-spot.ts --seeds 0,1,2 --batch 16 --ngf 16 --ndf 16 --min-steps 150
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { spread } from '../src-main/engine/even-sample';
import { KOLEKTOR_DIR } from '../test/fixtures/kolektor';
import { correlation, grayPixels, heatValues, hotSpot, onMask } from '../test/fixtures/heat-spot';
import { flagValue as flag } from './flags';

const argv = process.argv.slice(2);
const ours = new Set(['--seeds', '--train', '--radius', '--margin', '--keep', '--model']);
const seeds = flag('seeds', '0').split(',').map(Number);
const trainCount = Number(flag('train', '31'));
const radius = Number(flag('radius', '4'));
const margin = Number(flag('margin', '8'));
const keep = argv.includes('--keep') ? resolve(flag('keep', '')) : '';
const kept = argv.includes('--model') ? resolve(flag('model', '')) : '';
// Every other argument goes to `train` as it is.
const trainFlags = argv.filter((a, i) => !ours.has(a) && !ours.has(argv[i - 1]));
if (!existsSync(join(KOLEKTOR_DIR, 'ground_truth'))) throw new Error(`KolektorSDD is not at ${KOLEKTOR_DIR}`);

/** --train of the sorted train/good spread over it (as the e2e test takes them), the first 6 test/good, all cracks. */
function makeSubset(root: string): void {
  const sorted = (d: string) => readdirSync(join(KOLEKTOR_DIR, d)).filter((f) => /\.(jpe?g|png|bmp)$/i.test(f)).sort();
  const picks: [string, string[]][] = [
    ['train/good', spread(sorted('train/good'), trainCount)],
    ['test/good', sorted('test/good').slice(0, 6)],
    ['test/crack', sorted('test/crack')],
  ];
  for (const [d, files] of picks) {
    mkdirSync(join(root, d), { recursive: true });
    for (const f of files) copyFileSync(join(KOLEKTOR_DIR, d, f), join(root, d, f));
  }
}

/** The CLI's stdout and stderr; a failure is thrown with what it said. */
function cli(args: string[]): { out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/ganomaly-inspector.js', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${args[0]} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return { out: r.stdout, err: r.stderr };
}
const stem = (p: string) => basename(p, extname(p));
const hitsBy = new Map<string, number>();
const otherGood = join(KOLEKTOR_DIR, 'test/good', readdirSync(join(KOLEKTOR_DIR, 'test/good')).sort().at(-1)!);

const root = keep || mkdtempSync(join(tmpdir(), 'heat-spot-'));
try {
  makeSubset(root);
  console.log(`subset in ${root}: train/good ${trainCount}, test/good 6, test/crack all; radius ${radius} px, margin ${margin} px; train ${trainFlags.join(' ')}`);
  for (const seed of kept ? [NaN] : seeds) {
    const model = kept || join(root, `model-seed${seed}`);
    const maps = join(root, kept ? 'maps-kept' : `maps-seed${seed}`);
    const t0 = performance.now();
    const trained = kept ? { out: `model saved to ${kept}`, err: '' } : cli(['train', root, '--out', model, '--seed', String(seed), ...trainFlags]);
    const t1 = performance.now();
    const rows = cli(['score', join(root, 'test'), '--model', model, '--maps', maps, '--json']).out.trim().split('\n').map((l) => JSON.parse(l) as { path: string; label: string; maps: { recon: string; diff: string } });
    const t2 = performance.now();
    let hits = 0, cracks = 0, onEdge = 0, nearEdge = 0;
    const misses: string[] = [];
    const corr: string[] = [];
    for (const r of rows) {
      if (r.label === 'good') {
        const recon = await grayPixels(r.maps.recon);
        const own = correlation(recon, await grayPixels(r.path, recon));
        const other = correlation(recon, await grayPixels(otherGood, recon));
        corr.push(`${stem(r.path)} ${own.toFixed(2)} (other part ${other.toFixed(2)})`);
        continue;
      }
      cracks++;
      const heat = await heatValues(readFileSync(r.maps.diff));
      const mask = await grayPixels(join(KOLEKTOR_DIR, 'ground_truth/crack', `${stem(r.path)}_mask.png`));
      const spot = hotSpot(heat, radius);
      const on = onMask(mask, spot.x, spot.y, margin);
      if (on) {
        hits++;
        hitsBy.set(stem(r.path), (hitsBy.get(stem(r.path)) ?? 0) + 1);
      } else {
        misses.push(`${stem(r.path)} (${spot.x},${spot.y})`);
        // Distance to the image's border: on it, only one patch's edge covers the pixel.
        const d = Math.min(spot.x, spot.y, heat.width - 1 - spot.x, heat.height - 1 - spot.y);
        if (d === 0) onEdge++;
        else if (d <= 16) nearEdge++;
      }
    }
    const saved = /model saved to .*/.exec(trained.err + trained.out)?.[0] ?? '';
    console.log(`${Number.isNaN(seed) ? 'kept model' : `seed ${seed}`}: hot spot on the crack in ${hits}/${cracks}; train ${((t1 - t0) / 1000).toFixed(0)} s, score ${((t2 - t1) / 1000).toFixed(0)} s; ${saved}`);
    console.log(`  misses (${onEdge} on the image's outermost pixels, ${nearEdge} more within 16 px of them): ${misses.join(', ')}`);
    console.log(`  good parts, correlation of reconstruction with original: ${corr.join(', ')}`);
  }
  const all = [...hitsBy.entries()].filter(([, n]) => n === (kept ? 1 : seeds.length)).map(([s]) => s);
  console.log(`on the crack in every seed (${all.length}): ${all.sort().join(' ')}`);
} finally {
  if (!keep) rmSync(root, { recursive: true, force: true });
}
