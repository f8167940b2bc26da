// Whether a set's defect images differ from its good test images as a whole (another capture session, lighting,
// colour) rather than only at the defect: a model-free rule blind to small defects, each image's *median* pixel
// deviation from the mean training image normalised per pixel (baseline-z's map, its median instead of its top
// 1 %), ranks each kind of defect against the good test parts. A kind it separates well is one on which any
// whole-image rule, baseline-z included, looks better than it detects: read its figures with that in mind.
// Model-free, no training; figures only. `eval` and `bench quality` print the same rule per kind as `shift`
// (from a model's saved statistics); this needs no model. Run: npx tsx bench/capture-shift.ts [--sets elpv-mono,mvtec3d-tire] [--isize 32] [--data <dir>]
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MeanImage } from '../src-main/engine/baseline';
import { aurocByGroup } from '../src-main/engine/metrics';
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
  console.log(`${set} (${train.length} train, isize ${isize}): the median-deviation rule, blind to small defects, against ${test.filter((i) => i.label === 'good').length} good test parts`);
  for (const [kind, f] of [...byKind].sort((a, b) => a[0].localeCompare(b[0]))) {
    console.log(`  ${kind.padEnd(16)} ${String(f.positives).padStart(4)} parts  AUROC ${f.auroc.toFixed(3)}${f.auroc >= 0.9 ? '  <- these images differ as a whole' : ''}`);
  }
}
