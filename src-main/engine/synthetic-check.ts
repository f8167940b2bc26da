// Judges a trained model without any real defect: its validation images (good parts it never trained
// on) are scored as they are and with synthetic defects pasted in, giving an AUROC per score kind. The
// best model kind becomes the model's default score, so no test label ever chooses it, and the user
// gets a "detects synthetic defects at AUROC x" figure before the first real defect is found.
import { normalisedDeviations } from './baseline';
import { auroc } from './metrics';
import { MODEL_SCORE_KINDS, SCORE_KINDS, type ModelScoreKind, type ScoreKind } from './options';
import { scoreBatch, type ScoringModel } from './scoring';
import { keepLeftOut, withSyntheticDefects } from './synthetic-defects';
import type { AreaShare } from '../shared/left-out';
import { extractPatches, patchGrid, scorePatches } from './patches';
import { createRng } from './random';
import type { ImageSet } from './image-set';

export interface SyntheticCheck {
  /** Good validation images scored; each is also scored `copies` times with a defect. */
  good: number;
  defective: number;
  /** AUROC of each score kind, good vs synthetic defects (baseline included for comparison). */
  auroc: Record<ScoreKind, number>;
  /** The model kind with the highest AUROC (ties: the earlier in MODEL_SCORE_KINDS). */
  best: ModelScoreKind;
}

export interface SyntheticCheckArgs {
  model: ScoringModel;
  set: ImageSet;
  indices: number[];
  seed: number;
  batchSize: number;
  /** Defective copies per image (different kinds of defect). */
  copies?: number;
}

/**
 * The check, and the good validation images' own scores (what calibrates the model), as patchValidation gives
 * them; with the model's deviation statistics also their capture shifts (from which the model's shiftLimit).
 */
export async function syntheticCheck(a: SyntheticCheckArgs): Promise<{ scores: Record<ScoreKind, number[]>; synthetic: SyntheticCheck; shifts: number[] }> {
  const copies = a.copies ?? 2;
  const { isize, nc } = a.model;
  const scores = Object.fromEntries(SCORE_KINDS.map((k) => [k, [] as number[]])) as Record<ScoreKind, number[]>;
  const good = Object.fromEntries(SCORE_KINDS.map((k) => [k, [] as number[]])) as Record<ScoreKind, number[]>;
  const labels: number[] = [];
  const shifts: number[] = [];
  const add = async (x: Float32Array, n: number, label: number): Promise<void> => {
    const r = await scoreBatch(a.model, x, n);
    for (const k of SCORE_KINDS) scores[k].push(...r.raw[k]);
    if (label === 0) for (const k of SCORE_KINDS) good[k].push(...r.raw[k]);
    for (let i = 0; i < n; i++) labels.push(label);
  };
  for (let start = 0; start < a.indices.length; start += a.batchSize) {
    const batch = a.indices.slice(start, start + a.batchSize);
    const x = await a.set.load(batch);
    await add(x, batch.length, 0);
    const stats = a.model.deviationStats;
    if (stats) shifts.push(...normalisedDeviations(x, batch.length, a.model.meanImage, nc, stats).median);
    for (let c = 0; c < copies; c++) {
      const ids = batch.map((_, i) => (start + i) * copies + c);
      const pasted = withSyntheticDefects(x, batch.length, isize, isize, nc, a.seed, ids).images;
      await add(keepLeftOut(pasted, x, batch.length, isize, isize, nc, a.set.leftOut ?? []), batch.length, 1);
    }
  }
  const figures = Object.fromEntries(SCORE_KINDS.map((k) => [k, auroc(scores[k], labels)])) as Record<ScoreKind, number>;
  let best: ModelScoreKind = MODEL_SCORE_KINDS[0];
  for (const k of MODEL_SCORE_KINDS) if (figures[k] > figures[best]) best = k;
  return { scores: good, synthetic: { good: a.indices.length, defective: a.indices.length * copies, auroc: figures, best }, shifts };
}

/** The figure in words, for the CLI and logs. */
export function syntheticLine(c: SyntheticCheck, kind: ScoreKind): string {
  return `detects synthetic defects at AUROC ${c.auroc[kind].toFixed(3)} (${kind}; model-free baseline ${c.auroc.baseline.toFixed(3)}; ` +
    `${c.good} validation images, each also with ${c.defective / c.good} pasted defects)`;
}

export interface PatchCheckArgs {
  model: ScoringModel;
  /** One whole image at the working scale. */
  image(index: number): Promise<{ data: Float32Array; width: number; height: number }>;
  indices: number[];
  seed: number;
  /** Patches per scoring call. */
  batchSize: number;
  copies?: number;
  /** The set's left-out areas (ImageSet.leftOut): no defect is kept there. */
  leftOut?: readonly AreaShare[];
}

/**
 * Patch mode's validation after training: each validation image is scored by its worst patch over the
 * whole grid, as scoring will (those scores calibrate the model), and `copies` times with a synthetic
 * defect pasted into one patch-sized window at a seeded place (the defect is 12-30 % of a patch, so small
 * against the image, like the defects patch mode is for). Only the patches that overlap the window change,
 * so only they are scored again.
 */
export async function patchValidation(a: PatchCheckArgs): Promise<{ scores: Record<ScoreKind, number[]>; synthetic: SyntheticCheck }> {
  const copies = a.copies ?? 2;
  const { isize, nc } = a.model;
  const good = Object.fromEntries(SCORE_KINDS.map((k) => [k, [] as number[]])) as Record<ScoreKind, number[]>;
  const all = Object.fromEntries(SCORE_KINDS.map((k) => [k, [] as number[]])) as Record<ScoreKind, number[]>;
  const labels: number[] = [];
  for (let j = 0; j < a.indices.length; j++) {
    const img = await a.image(a.indices[j]);
    const r = await scorePatches(a.model, img.data, img.height, img.width, { batchSize: a.batchSize });
    for (const k of SCORE_KINDS) { good[k].push(r.raw[k]); all[k].push(r.raw[k]); }
    labels.push(0);
    const g = r.grid;
    for (let c = 0; c < copies; c++) {
      const id = j * copies + c;
      const rng = createRng((a.seed * 2654435761 + id * 40503 + 17) >>> 0);
      const y = Math.floor(rng.next() * (img.height - isize + 1));
      const x = Math.floor(rng.next() * (img.width - isize + 1));
      const window = patchGrid(isize, isize, isize);
      const one = { ...window, height: img.height, width: img.width, ys: [y], xs: [x] };
      const defect = withSyntheticDefects(extractPatches(img.data, nc, one), 1, isize, isize, nc, a.seed, [id]).images;
      const changed = Float32Array.from(img.data);
      for (let row = 0; row < isize; row++) changed.set(defect.subarray(row * isize * nc, (row + 1) * isize * nc), ((y + row) * img.width + x) * nc);
      keepLeftOut(changed, img.data, 1, img.height, img.width, nc, a.leftOut ?? []);
      // The grid's patches that overlap the window, scored again; the others keep their scores.
      const hit: number[] = [];
      g.ys.forEach((py, iy) => g.xs.forEach((px, ix) => {
        if (py < y + isize && py + isize > y && px < x + isize && px + isize > x) hit.push(iy * g.xs.length + ix);
      }));
      const per = isize * isize * nc;
      const crops = extractPatches(changed, nc, g);
      const again = new Float32Array(hit.length * per);
      hit.forEach((p, i) => again.set(crops.subarray(p * per, (p + 1) * per), i * per));
      const s = await scoreBatch(a.model, again, hit.length);
      const hitSet = new Set(hit);
      for (const k of SCORE_KINDS) {
        let worst = -Infinity;
        r.perPatch[k].forEach((v, p) => { if (!hitSet.has(p) && v > worst) worst = v; });
        for (const v of s.raw[k]) if (v > worst) worst = v;
        all[k].push(worst);
      }
      labels.push(1);
    }
  }
  const figures = Object.fromEntries(SCORE_KINDS.map((k) => [k, auroc(all[k], labels)])) as Record<ScoreKind, number>;
  let best: ModelScoreKind = MODEL_SCORE_KINDS[0];
  for (const k of MODEL_SCORE_KINDS) if (figures[k] > figures[best]) best = k;
  return { scores: good, synthetic: { good: a.indices.length, defective: a.indices.length * copies, auroc: figures, best } };
}
