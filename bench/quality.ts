// Detection quality on the real sets in ../shared/data (MVTec layout): for each set and seed, trains with
// the defaults on train/good (the trainer holds out its own validation images), saves the model, and scores
// test/good vs test/<defects> through the same path as `eval` (load the saved model, score the files).
// Prints AUROC / AP of every score kind beside the model-free baseline (for whole images also that baseline
// normalised per pixel, the yardstick for recon-z), the kept epoch, steps and time, then per set the spread
// over seeds. Nothing here is chosen with the test labels; they are only read to print figures.
// --curve also scores the test images after every epoch with that epoch's weights, to print how AUROC
// grows with steps (reporting only: the kept epoch is still chosen on validation images alone).
// Run: npx tsx bench/quality.ts [--sets elpv-mono,kolektor-sdd,mvtec3d-tire] [--seeds 0,1,2] [--data <dir>]
//      [--json <file>] [--keep <dir>] [engine option=value ...]   --keep saves each model as <dir>/<set>-seed<n>   e.g. isize=64 epochs=30 (a number or a word; defaults otherwise)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '../src-main/engine/backends/select';
import { hashFileList, loadModel, saveModel } from '../src-main/engine/checkpoint';
import { auroc, averagePrecision } from '../src-main/engine/metrics';
import { defectKinds, type DefectKindRow } from '../src-main/cli/eval';
import { NetD, NetG, writeWeights } from '../src-main/engine/networks';
import { scoreBatch } from '../src-main/engine/scoring';
import { loadBatch } from '../src-main/library/prepare';
import { parseOptions, type GanomalyOptionsInput } from '../src-main/engine/options';
import { disposeNets } from '../src-main/engine/train-step';
import { splitIndices, train } from '../src-main/engine/trainer';
import { trainingImages } from '../src-main/cli/train';
import { collectImages, printSkip } from '../src-main/cli/folder-images';
import { scoreFiles } from '../src-main/cli/score-images';
import { describeCrop } from '../src-main/engine/patches';
import { resolveCropFor, trainingImageSet } from '../src-main/services/image-set';
import { viewOf } from '../src-main/shared/left-out';
import { flagValue as flag } from './flags';
import { aurocLead, type LeadInterval } from '../src-main/shared/auroc-lead';
import { normalisedBaseline } from './normalised-baseline';

const argv = process.argv.slice(2);
const dataDir = resolve(flag('data', fileURLToPath(new URL('../../shared/data', import.meta.url))));
const sets = flag('sets', 'elpv-mono,kolektor-sdd,mvtec3d-tire').split(',');
const seeds = flag('seeds', '0').split(',').map(Number);
const jsonOut = argv.includes('--json') ? flag('json', '') : '';
const curve = argv.includes('--curve');
const keep = argv.includes('--keep') ? resolve(flag('keep', '')) : '';
// Free key=value arguments override engine options (numbers where they parse).
const overrides: Record<string, unknown> = Object.fromEntries(argv.filter((a) => /^[a-zA-Z]+=/.test(a)).map((a) => {
  const [k, v] = a.split('=');
  return [k, Number.isFinite(Number(v)) ? Number(v) : v];
}));

interface Row {
  set: string; seed: number; crop: string; scoreKind: string; synthetic: string; scoreSeconds: number; nc: number; train: number; good: number; defect: number;
  epochKept: number; epochsTrained: number; steps: number; trainSeconds: number;
  figures: Record<string, { auroc: number; ap: number }>;
  /** The default score's AUROC lead over the baseline on these parts, with its 95 % interval (DeLong). */
  lead: LeadInterval;
  /** Whole images: the baseline normalised per pixel like recon-z (bench/normalised-baseline.ts), no model. */
  normalised?: { auroc: number; ap: number };
  /** With two kinds of defect or more (test/<kind>): each kind's AUROC against all good parts, the default score's and the rules'. */
  perKind: DefectKindRow[];
}

async function runOne(set: string, seed: number): Promise<Row> {
  const root = join(dataDir, set);
  const all = await collectImages([root], printSkip);
  const trainImgs = trainingImages(all.filter((i) => i.split === 'train'));
  // As eval does: a test image whose content is a training image's (KolektorSDD has 4) would be an easy good part.
  const trainHashes = new Set(trainImgs.map((i) => i.hash));
  const test = all.filter((i) => i.split === 'test' && i.label !== null && !trainHashes.has(i.hash));
  const duplicates = all.filter((i) => i.split === 'test' && i.label !== null).length - test.length;
  if (duplicates) console.log(`  left out ${duplicates} test image(s) whose content is in the training set, as eval does`);
  const nc: 1 | 3 = trainImgs.every((i) => i.channels === 1) ? 1 : 3;
  const options = parseOptions({ ...(overrides as GanomalyOptionsInput), seed, nc });
  const paths = trainImgs.map((i) => i.path);
  const { scale: patchScale, why } = await resolveCropFor(paths, options);
  console.log(`  crop: ${describeCrop(patchScale, options.isize)} (${why})`);
  if (curve && patchScale !== null) throw new Error('--curve scores whole images; run it with crop=whole');
  const testImages = curve ? await loadBatch(test.map((i) => i.path), options.isize, nc, undefined, viewOf(options)) : null;
  const testLabels = test.map((i) => (i.label === 'defect' ? 1 : 0));
  const t0 = performance.now();
  let steps = 0;
  let lastEta = '';
  const result = await train({
    set: trainingImageSet(paths, options, patchScale), options, workers: 'auto',
    onProgress: (p) => {
      if (p.phase === 'planning' || (p.phase === 'validating' && p.message)) console.log(`  ${p.phase === 'planning' ? 'plan' : 'validating'}: ${p.message}`);
      if (p.phase === 'training') steps++;
      if (p.phase === 'training' && p.batch === 2 && p.epoch === 1) lastEta = `${p.etaSeconds.toFixed(0)} s`;
    },
    onEpoch: async (s) => {
      const h = s.history[s.history.length - 1];
      let figures = '';
      if (testImages) {
        const netG = new NetG(options);
        const netD = new NetD(options);
        writeWeights(netG.models, s.current.netG);
        writeWeights(netD.models, s.current.netD);
        const r = (await scoreBatch({ netG, netD, isize: options.isize, nc, meanImage: s.meanImage }, testImages, test.length)).raw;
        figures = `; test AUROC ${Object.entries(r).filter(([, v]) => !Number.isNaN(v[0])).map(([k, v]) => `${k} ${auroc(v, testLabels).toFixed(3)}`).join(', ')}`;
        netG.dispose();
        netD.dispose();
      }
      console.log(`  epoch ${h.epoch} (${steps} steps): val errGCon ${h.validation.errGCon.toFixed(4)}, ${h.seconds.toFixed(0)} s` +
        `${s.bestEpoch === h.epoch ? ' [kept]' : ''}${figures}`);
    },
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  const dir = keep ? join(keep, `${set}-seed${seed}`) : await mkdtemp(join(tmpdir(), 'ganomaly-quality-'));
  try {
    const backend = await selectBackend('auto');
    await saveModel(dir, { snapshot: result.snapshot, backend, trainingSetHash: hashFileList(paths), trainingHashes: trainImgs.map((i) => i.hash) });
    disposeNets(result.nets);
    const model = await loadModel(dir);
    try {
      const ts = performance.now();
      const scores = await scoreFiles(dir, test.map((i) => i.path), { backend: backend.name, kinds: 'all' });
      const scoreSeconds = (performance.now() - ts) / 1000;
      const labels = test.map((i) => (i.label === 'defect' ? 1 : 0));
      const kinds = Object.keys(scores[0].all);
      const figures = Object.fromEntries(kinds.map((k) => {
        const s = scores.map((r) => r.all[k as keyof typeof r.all]);
        return [k, { auroc: auroc(s, labels), ap: averagePrecision(s, labels) }];
      }));
      console.log(`  first ETA shown (after the 2nd step, timed from it) ${lastEta}`);
      const trainPaths = splitIndices(paths.length, options.validationFraction, seed).train.map((i) => paths[i]);
      const normalised = model.meta.patchScale === null ? await normalisedBaseline(model, trainPaths, test.map((i) => i.path)) : undefined;
      return {
        set, seed, crop: model.meta.patchScale === null ? 'whole' : `scale ${model.meta.patchScale}`, scoreKind: model.scoreKind, nc, scoreSeconds,
        synthetic: model.meta.synthetic ? `synthetic AUROC ${model.meta.synthetic.auroc[model.scoreKind].toFixed(3)} (baseline ${model.meta.synthetic.auroc.baseline.toFixed(3)})` : '', train: paths.length,
        good: labels.filter((l) => l === 0).length, defect: labels.filter((l) => l === 1).length,
        epochKept: model.meta.epochKept, epochsTrained: model.meta.epochsTrained, steps, trainSeconds, figures,
        lead: aurocLead(scores.map((r) => r.all[model.scoreKind]), scores.map((r) => r.all.baseline), labels.map((l) => l === 1)),
        ...(normalised ? { normalised: { auroc: auroc(normalised.top, labels), ap: averagePrecision(normalised.top, labels) } } : {}),
        perKind: defectKinds(scores.map((r) => r.all[model.scoreKind]), scores.map((r) => r.all.baseline), normalised ?? null, labels, test.map((i) => i.defectType)),
      };
    } finally {
      model.dispose();
    }
  } finally {
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
}

const f3 = (x: number): string => x.toFixed(3);

function printRow(r: Row): void {
  const kinds = Object.keys(r.figures).filter((k) => k !== 'baseline');
  const own = r.figures[r.scoreKind];
  const base = r.figures.baseline;
  console.log(`${r.set} seed ${r.seed}, crop ${r.crop}, ${r.synthetic}, scoring ${r.scoreSeconds.toFixed(0)} s: default score ${r.scoreKind} AUROC ${f3(own.auroc)} vs baseline ${f3(base.auroc)} ` +
    `(${own.auroc - base.auroc >= 0 ? '+' : ''}${f3(own.auroc - base.auroc)}, 95 % interval ${f3(r.lead.low)} to ${f3(r.lead.high)}); kept epoch ${r.epochKept} of ${r.epochsTrained}, ` +
    `${r.steps} steps, ${r.trainSeconds.toFixed(0)} s`);
  for (const k of [...kinds, 'baseline']) {
    console.log(`    ${k.padEnd(12)} AUROC ${f3(r.figures[k].auroc)}  AP ${f3(r.figures[k].ap)}${k === r.scoreKind ? '  (default)' : ''}`);
  }
  if (r.normalised) console.log(`    ${'normalised'.padEnd(12)} AUROC ${f3(r.normalised.auroc)}  AP ${f3(r.normalised.ap)}  (the baseline normalised per pixel; no model)`);
  for (const k of r.perKind) {
    console.log(`    kind ${k.kind ?? '(no kind)'} (${k.parts}): ${r.scoreKind} ${f3(k.auroc)}, baseline ${f3(k.baseline)}${k.baselineZ === undefined ? '' : `, normalised ${f3(k.baselineZ)}, shift ${f3(k.shift!)}`}`);
  }
}

async function main(): Promise<void> {
  const backend = await selectBackend('auto');
  const shown = parseOptions(overrides as GanomalyOptionsInput);
  console.log(`backend ${backend.name}; data ${dataDir}; sets ${sets.join(', ')}; seeds ${seeds.join(', ')}; ` +
    `options ${JSON.stringify(overrides)} (isize ${shown.isize}, epochs ${shown.epochs ?? `auto (at least ${shown.minSteps} steps)`}, ` +
    `batch ${shown.batchSize})`);
  const rows: Row[] = [];
  for (const set of sets) {
    for (const seed of seeds) {
      console.log(`\n== ${set}, seed ${seed}`);
      const r = await runOne(set, seed);
      rows.push(r);
      printRow(r);
      if (jsonOut) await writeFile(jsonOut, JSON.stringify({ options: overrides, rows }, null, 1));
    }
  }
  console.log('\n| set | train / good / defect | default score | AUROC (AP) | baseline AUROC (AP) | other kinds AUROC | kept epoch / epochs | steps | train time |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const others = Object.keys(r.figures).filter((k) => k !== 'baseline' && k !== r.scoreKind)
      .map((k) => `${k} ${f3(r.figures[k].auroc)}`).join(', ');
    console.log(`| ${r.set} (seed ${r.seed}) | ${r.train} / ${r.good} / ${r.defect} | ${r.scoreKind} | ${f3(r.figures[r.scoreKind].auroc)} ` +
      `(${f3(r.figures[r.scoreKind].ap)}) | ${f3(r.figures.baseline.auroc)} (${f3(r.figures.baseline.ap)})` +
      `${r.normalised ? `; normalised per pixel ${f3(r.normalised.auroc)}` : ''} | ${others} | ` +
      `${r.epochKept} / ${r.epochsTrained} | ${r.steps} | ${r.trainSeconds.toFixed(0)} s |`);
  }
  if (seeds.length > 1) {
    console.log('\nspread over seeds (default score AUROC; margin = default − baseline):');
    for (const set of sets) {
      const rs = rows.filter((r) => r.set === set);
      const a = rs.map((r) => r.figures[r.scoreKind].auroc);
      const m = rs.map((r) => r.figures[r.scoreKind].auroc - r.figures.baseline.auroc);
      const mean = (v: number[]): number => v.reduce((x, y) => x + y, 0) / v.length;
      const z = rs.flatMap((r) => (r.normalised ? [r.normalised.auroc] : []));
      console.log(`  ${set}: AUROC mean ${f3(mean(a))}, min ${f3(Math.min(...a))}, max ${f3(Math.max(...a))}; ` +
        `margin mean ${f3(mean(m))}, min ${f3(Math.min(...m))}; baseline ${f3(rs[0].figures.baseline.auroc)}` +
        `${z.length ? `; normalised per pixel ${z.map(f3).join(', ')}` : ''}`);
    }
  }
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
