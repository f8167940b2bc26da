// Where a kept model's heat maps put their hot spot on a set with ground-truth masks (MVTec layout:
// test/<defect>/<name>, ground_truth/<defect>/<name>_mask.png): scores test/ with maps through `score --maps`,
// reads each defective part's map as Compare shows it and counts hot spots (test/fixtures/heat-spot.ts) on the
// mask dilated by --margin px. Used to choose what the map draws (README, Difference heat maps).
// Run: npx tsx bench/mask-spot.ts <model dir> [--set mvtec3d-tire] [--radius 4] [--margin 8]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { grayPixels, heatValues, hotSpot, onMask } from '../test/fixtures/heat-spot';
import { flagValue as flag } from './flags';

const model = process.argv[2];
if (!model || model.startsWith('--')) throw new Error('usage: mask-spot <model dir> [--set mvtec3d-tire] [--radius 4] [--margin 8]');
const root = fileURLToPath(new URL(`../../shared/data/${flag('set', 'mvtec3d-tire')}`, import.meta.url));
const radius = Number(flag('radius', '4'));
const margin = Number(flag('margin', '8'));
const maps = mkdtempSync(join(tmpdir(), 'mask-spot-'));
try {
  const r = spawnSync(process.execPath, ['bin/ganomaly-inspector.js', 'score', join(root, 'test'), '--model', resolve(model), '--maps', maps, '--json'],
    { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`score failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { path: string; label: string; maps: { diff: string } });
  let hits = 0, defects = 0;
  for (const row of rows.filter((x) => x.label === 'defect')) {
    const heat = await heatValues(readFileSync(row.maps.diff));
    const mask = await grayPixels(join(root, 'ground_truth', basename(dirname(row.path)), `${basename(row.path, extname(row.path))}_mask.png`), heat);
    const spot = hotSpot(heat, radius);
    defects++;
    if (onMask(mask, spot.x, spot.y, margin)) hits++;
  }
  console.log(`${root}: hot spot on the mask (dilated ${margin} px, blur radius ${radius} px) for ${hits} of ${defects} defective parts; model ${model}`);
} finally {
  rmSync(maps, { recursive: true, force: true });
}
