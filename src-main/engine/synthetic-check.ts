// Judges a trained model without any real defect: its validation images (good parts it never trained
// on) are scored as they are and with synthetic defects pasted in, giving an AUROC per score kind. The
// best model kind becomes the model's default score, so no test label ever chooses it, and the user
// gets a "detects synthetic defects at AUROC x" figure before the first real defect is found.
import { auroc } from './metrics';
import { MODEL_SCORE_KINDS, SCORE_KINDS, type ModelScoreKind, type ScoreKind } from './options';
import { scoreBatch, type ScoringModel } from './scoring';
import { withSyntheticDefects } from './synthetic-defects';
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

export async function syntheticCheck(a: SyntheticCheckArgs): Promise<SyntheticCheck> {
  const copies = a.copies ?? 2;
  const { isize, nc } = a.model;
  const scores = Object.fromEntries(SCORE_KINDS.map((k) => [k, [] as number[]])) as Record<ScoreKind, number[]>;
  const labels: number[] = [];
  const add = async (x: Float32Array, n: number, label: number): Promise<void> => {
    const r = await scoreBatch(a.model, x, n);
    for (const k of SCORE_KINDS) scores[k].push(...r.raw[k]);
    for (let i = 0; i < n; i++) labels.push(label);
  };
  for (let start = 0; start < a.indices.length; start += a.batchSize) {
    const batch = a.indices.slice(start, start + a.batchSize);
    const x = await a.set.load(batch);
    await add(x, batch.length, 0);
    for (let c = 0; c < copies; c++) {
      const ids = batch.map((_, i) => (start + i) * copies + c);
      await add(withSyntheticDefects(x, batch.length, isize, isize, nc, a.seed, ids).images, batch.length, 1);
    }
  }
  const figures = Object.fromEntries(SCORE_KINDS.map((k) => [k, auroc(scores[k], labels)])) as Record<ScoreKind, number>;
  let best: ModelScoreKind = MODEL_SCORE_KINDS[0];
  for (const k of MODEL_SCORE_KINDS) if (figures[k] > figures[best]) best = k;
  return { good: a.indices.length, defective: a.indices.length * copies, auroc: figures, best };
}

/** The figure in words, for the CLI and logs. */
export function syntheticLine(c: SyntheticCheck, kind: ScoreKind): string {
  return `detects synthetic defects at AUROC ${c.auroc[kind].toFixed(3)} (${kind}; model-free baseline ${c.auroc.baseline.toFixed(3)}; ` +
    `${c.good} validation images, each also with ${c.defective / c.good} pasted defects)`;
}
