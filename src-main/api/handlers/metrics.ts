// metrics.*: AUROC, average precision, curves and best F1 of a model over the images with a truth, beside
// the model-free baseline's AUROC and average precision on the very same images, and per kind of defect.
import { auroc, aurocsByKind, averagePrecision, bestF1, prCurve, rocCurve } from '../../engine/metrics';
import { crossValidatedF1 } from '../../engine/held-out';
import type { ApiContext } from '../context';
import { need } from '../context';
import type { Handlers } from '../dispatch';
import type * as T from '../types';
import { truthOf } from '../../shared/truth';
import { aurocLead } from '../../shared/auroc-lead';
import { labelledScores, scoreArrays } from './results';

// Curves of 100k points would be megabytes of JSON for a chart a few hundred pixels wide.
function thin<P>(points: P[], max = 1000): P[] {
  if (points.length <= max) return points;
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]);
}

export function metricsHandlers(ctx: ApiContext): Pick<Handlers, 'metrics.get'> {
  const model = (modelId: number) => need(ctx.store.models.get(modelId), 'model', modelId);
  return {
    'metrics.get': ({ modelId }) => {
      model(modelId);
      return ctx.memo.get(`metrics:${modelId}`, () => metrics(ctx, modelId));
    },
  };
}

function metrics(ctx: ApiContext, modelId: number): T.MetricsResult {
  const { scores, labels } = labelledScores(ctx, modelId);
  const positives = labels.filter((l) => l === 1).length;
  const negatives = labels.length - positives;
  const empty = { positives, negatives, auroc: null, averagePrecision: null, roc: [], pr: [], bestF1: null, heldOutF1: null, baseline: null, byDefectKind: [], shifted: null };
  if (positives === 0 || negatives === 0) {
    // Parts with an answer that count for nothing because the model trained on them: say so, or a library
    // whose good folder all went into training reads as having no good parts.
    const a = scoreArrays(ctx, modelId);
    const trainedKnown = a.imageIds.filter((_, i) => a.trained[i] && truthOf(a.labels[i], a.decisions[i]) !== null).length;
    const seen = trainedKnown ? ` (the ${trainedKnown} the model trained or validated on are no evidence)` : '';
    const reason =
      scores.length === 0
        ? `No scored part has a known answer from its folder (good, defect) or a review${seen}`
        : `Metrics need both classes: ${positives} defective and ${negatives} good parts with a known answer${seen}`;
    return { available: false, reason, ...empty };
  }
  const judged = judgedParts(ctx, modelId, ctx.store.scores.baselines(modelId));
  return {
    available: true,
    positives,
    negatives,
    auroc: auroc(scores, labels),
    averagePrecision: averagePrecision(scores, labels),
    roc: thin(rocCurve(scores, labels)).map(({ fpr, tpr, threshold }) => ({ fpr, tpr, threshold })),
    pr: thin(prCurve(scores, labels)).map(({ recall, precision, threshold }) => ({ recall, precision, threshold })),
    bestF1: bestF1(scores, labels),
    heldOutF1: crossValidatedF1(scores, labels),
    baseline: baselineFigures(judged),
    byDefectKind: defectKindFigures(ctx, modelId, judged),
    shifted: shiftedCounts(judged),
  };
}

/** The parts with a truth (the one truth rule), in rank order: score, stored baseline, truth, kind, shift. */
function judgedParts(ctx: ApiContext, modelId: number, stored: Map<number, number>) {
  const a = scoreArrays(ctx, modelId);
  const scores: number[] = [], baselines: number[] = [], labels: number[] = [], kinds: Array<string | null> = [], shifted: boolean[] = [];
  a.imageIds.forEach((id, i) => {
    const truth = truthOf(a.labels[i], a.decisions[i], a.trained[i]);
    if (truth === null) return;
    scores.push(a.scores[i]);
    baselines.push(stored.get(id) ?? NaN);
    labels.push(truth === 'defect' ? 1 : 0);
    // A part's kind is its defect folder's name while the truth is the folder's; a part reviewed defect against its folder has none.
    kinds.push(truth === 'defect' && a.labels[i] === 'defect' ? a.defectTypes[i] : null);
    if (a.shifted) shifted.push(a.shifted[i]);
  });
  return { scores, baselines, labels, kinds, shifted: a.shifted ? shifted : null };
}

/** How many good and defective parts differ as a whole; null when the model cannot tell. */
function shiftedCounts(p: ReturnType<typeof judgedParts>): T.MetricsResult['shifted'] {
  if (!p.shifted) return null;
  const count = (label: number) => p.shifted!.filter((s, i) => s && p.labels[i] === label).length;
  return { good: count(0), defective: count(1) };
}

/** Each kind of defect against every good part, by the same truth rule. */
function defectKindFigures(ctx: ApiContext, modelId: number, p: ReturnType<typeof judgedParts>): T.DefectKindFigures[] {
  const { scores, baselines, labels, kinds, shifted } = p;
  const withBaseline = !baselines.some((v) => Number.isNaN(v));
  const threshold = ctx.store.thresholds.current(modelId)?.value;
  const ofKind = (kind: string | null, keep: (i: number) => boolean) => labels.filter((l, i) => l === 1 && kinds[i] === kind && keep(i)).length;
  return aurocsByKind(withBaseline ? [scores, baselines] : [scores], labels, kinds).map(({ kind, parts, aurocs: [own, base] }) => ({
    kind, parts, auroc: own, baselineAuroc: base ?? null,
    caught: threshold === undefined ? null : ofKind(kind, (i) => scores[i] >= threshold),
    shifted: shifted ? ofKind(kind, (i) => shifted[i]) : null,
  }));
}

/** The baseline's figures over the parts the model's figures use, and how sure the model's lead over it is on them. */
function baselineFigures(p: ReturnType<typeof judgedParts>): T.MetricsResult['baseline'] {
  const { scores, baselines, labels } = p;
  if (baselines.some((v) => Number.isNaN(v))) return null;
  const { low, high } = aurocLead(scores, baselines, labels.map((l) => l === 1));
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return { auroc: auroc(baselines, labels), averagePrecision: averagePrecision(baselines, labels), lead: { low: finite(low), high: finite(high) } };
}
