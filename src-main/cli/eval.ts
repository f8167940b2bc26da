// `eval <folder> --model <dir>`: detection figures on a labelled folder (good vs defect subfolders) for the
// model's score, the other kinds its passes give (recon-top1, ssim) and the model-free baselines (plain, and
// for whole-image models normalised per pixel), so the user sees what the model adds, then that comparison in
// words (shared/verdict), and with two kinds of defect or more (MVTec test/<kind>) the model's and the baseline's
// AUROC per kind; --all-kinds adds latent and feature when they are not the model's kind.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { BackendName } from '../engine/backends/select';
import { readModelMeta } from '../engine/checkpoint';
import { averagePrecision, auroc, aurocsByKind, bestF1 } from '../engine/metrics';
import { SCORE_KINDS, type ScoreKind } from '../engine/options';
import { baselineVerdict } from '../shared/verdict';
import { aurocLead } from '../shared/auroc-lead';
import { captureShiftWarning, differsAsAWhole, warnedKinds } from '../shared/capture-shift';
import { backendOption } from './engine-options';
import { collectImages, printSkip } from './folder-images';
import { ProgressLine } from './progress-line';
import { scoreFiles } from './score-images';

interface EvalFlags {
  model?: string;
  json?: boolean;
  backend?: BackendName | 'auto';
  allKinds?: boolean;
}

export interface KindFigures { auroc: number; averagePrecision: number; bestF1: number; threshold: number }

export function figures(scores: number[], labels: number[]): KindFigures {
  const f1 = bestF1(scores, labels);
  return { auroc: auroc(scores, labels), averagePrecision: averagePrecision(scores, labels), bestF1: f1.f1, threshold: f1.threshold };
}

export async function evalFolder(folder: string, flags: EvalFlags): Promise<void> {
  if (!flags.model) throw new Error('eval <folder> needs --model <model-dir>');
  const modelDir = resolve(flags.model);
  const meta = await readModelMeta(modelDir);
  const log = new ProgressLine();
  const all = await collectImages([resolve(folder)], printSkip);
  // The model's own training and validation images (by content, wherever they lie now) would count
  // as easy good parts: left out, and said so.
  const trained = new Set(meta.trainingHashes ?? []);
  const unseen = all.filter((i) => !trained.has(i.hash));
  const leftOut = all.length - unseen.length;
  if (leftOut) log.log(`left out ${leftOut} image(s) the model trained or validated on (their content is in its training list)`);
  else if (!meta.trainingHashes) log.log('note: this model lists no training images (saved by an older version): none could be left out');
  // Unlabelled and uncertain folders (e.g. maybe_defective) say nothing about right or wrong.
  const images = unseen.filter((i) => i.label !== null);
  const good = images.filter((i) => i.label === 'good').length;
  if (!good || good === images.length) {
    throw new Error(`${folder}: eval needs both good and defect images (found ${good} good, ${images.length - good} defect` +
      `${leftOut ? `, after leaving out ${leftOut} training image(s)` : ''}); ` +
      'use subfolders named good and defect (or the MVTec test/<defect> layout)');
  }
  log.log(`${good} good, ${images.length - good} defect, ${unseen.length - images.length} unlabelled ignored`);
  const results = await scoreFiles(modelDir, images.map((i) => i.path), {
    backend: flags.backend, kinds: flags.allKinds ? 'all' : 'model', onStart: (line) => log.log(line), onBatch: (d, t) => log.update(`scored ${d}/${t}`),
  });
  const labels = images.map((i) => (i.label === 'defect' ? 1 : 0));
  // A kind this run did not compute is NaN for every image.
  const kinds = SCORE_KINDS.filter((k) => results.some((r) => !Number.isNaN(r.all[k])));
  const byKind = Object.fromEntries(kinds.map((k) => [k, figures(results.map((r) => r.all[k]), labels)])) as
    Partial<Record<ScoreKind, KindFigures>>;
  // The baseline normalised per pixel (a whole-image model saved with its statistics; else null): a model-free
  // rule as per-pixel as recon-z, printed so a win that per-pixel statistics alone would give is seen as such;
  // and each image's median of the same map, for the per-kind shift. The scoring pass computes both.
  const normalised = results.every((r) => r.normalised)
    ? { top: results.map((r) => r.normalised!.top), median: results.map((r) => r.normalised!.median) } : null;
  const normalisedFigures = normalised ? figures(normalised.top, labels) : null;
  const own = byKind[meta.scoreKind];
  const defective = labels.map((l) => l === 1);
  const interval = own && byKind.baseline
    ? { ...aurocLead(results.map((r) => r.all[meta.scoreKind]), results.map((r) => r.all.baseline), defective), defective: images.length - good, good }
    : null;
  const verdict = own && byKind.baseline && interval
    ? baselineVerdict(own.auroc, byKind.baseline.auroc, { normalised: normalisedFigures?.auroc, interval })
    : null;
  const perDefect = defectKinds(results.map((r) => r.all[meta.scoreKind]), results.map((r) => r.all.baseline), normalised, labels, images.map((i) => i.defectType));
  // By the limit the model saved (whole images), counted as the Metrics screen counts them: per class and per kind.
  const limit = meta.shiftLimit;
  const beyond = limit === undefined ? null : results.map((r) => differsAsAWhole(r.normalised?.median, limit));
  const beyondOf = (keep: (i: number) => boolean) => beyond!.filter((b, i) => b && keep(i)).length;
  const shifted = beyond && { good: beyondOf((i) => labels[i] === 0), defective: beyondOf((i) => labels[i] === 1) };
  const kindShifts = shifted ? perDefect.map((k) => ({ kind: k.kind, parts: k.parts, shifted: beyondOf((i) => labels[i] === 1 && images[i].defectType === k.kind) })) : [];
  const shiftWarning = shifted && captureShiftWarning({ shifted: shifted.good, parts: good }, { shifted: shifted.defective, parts: images.length - good }, kindShifts);
  // A kind that warning names is not warned of twice (its shift AUROC stays in the table).
  const warned = new Set(shifted ? warnedKinds({ shifted: shifted.good, parts: good }, kindShifts).map((k) => k.kind) : []);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ model: flags.model, scoreKind: meta.scoreKind, patchScale: meta.patchScale, good, defect: images.length - good, leftOut,
      figures: byKind, normalisedBaseline: normalisedFigures, synthetic: meta.synthetic?.auroc ?? null, byDefectKind: perDefect, shifted, shiftWarning,
      verdict: verdict && { kind: verdict.kind, lead: verdict.lead, settled: verdict.settled, interval: [interval!.low, interval!.high] } })}\n`);
    return;
  }
  log.log('');
  const synthetic = meta.synthetic?.auroc;
  process.stdout.write(`score kind   AUROC   AP      best F1  threshold${synthetic ? '  synthetic-defect AUROC' : ''}\n`);
  for (const k of SCORE_KINDS) {
    const f = byKind[k];
    if (!f) {
      process.stdout.write(`${k.padEnd(12)} -       -       -        -          (not computed: --all-kinds)\n`);
      continue;
    }
    const note = k === meta.scoreKind ? '  (the model\'s score)' : k === 'baseline' ? '  (model-free: top 1% of |x - mean good image|)' : '';
    const syn = synthetic?.[k] !== undefined ? `  ${synthetic[k].toFixed(3)}` : synthetic ? '  -' : '';
    process.stdout.write(figuresLine(k, f, syn, note));
  }
  if (normalisedFigures) {
    process.stdout.write(figuresLine('baseline-z', normalisedFigures, synthetic ? '  -' : '',
      '  (model-free: the baseline normalised per pixel against the training images)'));
  }
  if (perDefect.length) {
    const width = Math.max(14, ...perDefect.map((k) => (k.kind ?? '(no kind)').length));
    const z = normalised ? 'baseline-z  shift  ' : '';
    process.stdout.write(`\n${'kind of defect'.padEnd(width)}  parts  ${meta.scoreKind.padEnd(10)} baseline  ${z}(AUROC of each kind against all ${good} good parts)\n`);
    for (const k of perDefect) {
      process.stdout.write(`${(k.kind ?? '(no kind)').padEnd(width)}  ${String(k.parts).padEnd(5)}  ${k.auroc.toFixed(3).padEnd(10)} ${k.baseline.toFixed(3)}` +
        `${k.baselineZ === undefined ? '' : `     ${k.baselineZ.toFixed(3)}`}${k.shift === undefined ? '' : `       ${k.shift.toFixed(3)}`}\n`);
    }
    for (const k of perDefect.filter((r) => (r.shift ?? 0) >= SHIFT_WARNING && !warned.has(r.kind))) {
      process.stdout.write(`${k.kind ?? '(no kind)'}: these images differ from the good parts as a whole (shift ${k.shift!.toFixed(3)}: each image's median ` +
        'deviation, blind to a small defect, ranks them): another capture session or lighting? Any whole-image figure on them, baseline-z\'s included, flatters.\n');
    }
  }
  if (shifted) process.stdout.write(`\ndiffer as a whole (beyond the model's capture-shift limit): ${shifted.good} of ${good} good, ${shifted.defective} of ${images.length - good} defective\n`);
  if (shiftWarning) process.stdout.write(`warning: ${shiftWarning}\n`);
  if (verdict) process.stdout.write(`\n${verdict.text}\n`);
}

/** A kind whose images' median deviation alone ranks it this well differs from the good parts as a whole. */
const SHIFT_WARNING = 0.9;

/** baselineZ: the normalised baseline's AUROC; shift: the AUROC of each image's median normalised deviation (whole images only). */
export interface DefectKindRow { kind: string | null; parts: number; auroc: number; baseline: number; baselineZ?: number; shift?: number }

/** The model's and the baselines' AUROC per kind of defect (folder name), each against every good part; none for under two kinds. */
export function defectKinds(model: number[], baseline: number[], normalised: { top: number[]; median: number[] } | null, labels: number[], kinds: Array<string | null>): DefectKindRow[] {
  const scores = normalised ? [model, baseline, normalised.top, normalised.median] : [model, baseline];
  return aurocsByKind(scores, labels, kinds).map(({ kind, parts, aurocs: [own, base, z, shift] }) => ({
    kind, parts, auroc: own, baseline: base, ...(normalised ? { baselineZ: z, shift } : {}),
  }));
}

/** One row of eval's table: name, AUROC, AP, best F1 and its threshold, then the synthetic-defect column and a note. */
function figuresLine(name: string, f: KindFigures, synthetic: string, note: string): string {
  return `${name.padEnd(12)} ${f.auroc.toFixed(3)}   ${f.averagePrecision.toFixed(3)}   ${f.bestF1.toFixed(3)}    ` +
    `${f.threshold.toPrecision(4).padEnd(9)}${synthetic}${note}\n`;
}

export function register(program: Command): void {
  program
    .command('eval')
    .description('AUROC, average precision and best F1 on a folder with good and defect subfolders (e.g. MVTec test/)')
    .argument('<folder>', 'labelled folder')
    .option('--model <dir>', 'a model directory written by train')
    .option('--json', 'print one JSON object')
    .option('--all-kinds', 'also latent and feature when neither is the model\'s kind (E, and D twice: about twice the scoring time)')
    .addOption(backendOption())
    .action((folder: string, flags: EvalFlags) => evalFolder(folder, flags));
}
