// Whether a set's defect images differ from its good test images as a whole (another capture session, lighting,
// colour) rather than only at the defect: a model-free rule blind to small defects, each image's *median* pixel
// deviation from the mean training image normalised per pixel (baseline-z's map, its median instead of its top
// 1 %), ranks each kind of defect against the good test parts. A kind it separates well is one on which any
// whole-image rule, baseline-z included, looks better than it detects: read its figures with that in mind.
// Model-free, no training; figures only. `eval` and `bench quality` print the same rule per kind as `shift`
// (from a model's saved statistics); this needs no model. Each line also counts the parts beyond the app's per-lot
// limit (Threshold screen, Flagged by import). Run: npx tsx bench/capture-shift.ts [--sets elpv-mono,mvtec3d-tire] [--isize 32] [--data <dir>]
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MeanImage } from '../src-main/engine/baseline';
import { aurocByGroup } from '../src-main/engine/metrics';
import { farOutLimit, scoreStats } from '../src-main/engine/calibration';
import { loadBatch } from '../src-main/library/prepare';
import { collectImages, printSkip } from '../src-main/cli/folder-images';
import { flagValue as flag } from './flags';
import { normalisedBaseline } from './normalised-baseline';

const dataDir = resolve(flag('data', fileURLToPath(new URL('../../shared/data', import.meta.url))));
const sets = flag('sets', 'elpv-mono,mvtec3d-tire').split(',');
const isize = Number(flag('isize', '32'));

for (const set of sets) {
  const all = await collectImages([join(dataDir, set)], printSkip);
  const train = all.filter((i) => i.split === 'train' && i.label === 'good').map((i) => i.path);
  const test = all.filter((i) => i.split === 'test' && i.label !== null);
  const nc: 1 | 3 = all.every((i) => i.channels === 1) ? 1 : 3;
  const mean = new MeanImage(isize * isize * nc);
  mean.add(await loadBatch(train, isize, nc), train.length);
  const { median: medians } = await normalisedBaseline({ isize, nc, meanImage: mean.result() }, train, test.map((i) => i.path));
  const byKind = aurocByGroup(medians, test.map((i) => (i.label === 'defect' ? 1 : 0)), test.map((i) => i.defectType ?? '(no kind)'));
  // The app's check per lot (Threshold screen, Flagged by import): beyond the limit where held-out good parts'
  // shifts reach a calibrated 3. Every tenth training image stands in for a model's validation images.
  const held = train.filter((_, k) => k % 10 === 0);
  const rest = train.filter((_, k) => k % 10 !== 0);
  const restMean = new MeanImage(isize * isize * nc);
  restMean.add(await loadBatch(rest, isize, nc), rest.length);
  const check = (await normalisedBaseline({ isize, nc, meanImage: restMean.result() }, rest, [...held, ...test.map((i) => i.path)])).median;
  const limit = farOutLimit(scoreStats(check.slice(0, held.length)));
  const beyond = (keep: (i: (typeof test)[number]) => boolean): string => {
    const mine = test.map((i, k) => (keep(i) ? check[held.length + k] : null)).filter((v) => v !== null);
    return `beyond the limit ${mine.filter((v) => v > limit).length} of ${mine.length}`;
  };
  const good = test.filter((i) => i.label === 'good').length;
  console.log(`${set} (${train.length} train, isize ${isize}): the median-deviation rule, blind to small defects, against ${good} good test parts; ` +
    `limit ${limit.toFixed(3)} from ${held.length} held-out training images`);
  console.log(`  ${'good'.padEnd(16)} ${String(good).padStart(4)} parts                ${beyond((i) => i.label === 'good')}`);
  for (const [kind, f] of [...byKind].sort((a, b) => a[0].localeCompare(b[0]))) {
    console.log(`  ${kind.padEnd(16)} ${String(f.positives).padStart(4)} parts  AUROC ${f.auroc.toFixed(3)}  ${beyond((i) => i.label === 'defect' && (i.defectType ?? '(no kind)') === kind)}` +
      `${f.auroc >= 0.9 ? '  <- these images differ as a whole' : ''}`);
  }
}
