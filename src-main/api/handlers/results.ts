// Results of a model: ranking, all scores, histogram, counts at a threshold, one image, metrics.
import { auroc, averagePrecision, bestF1, prCurve, rocCurve } from '../../engine/metrics';
import type { ApiContext } from '../context';
import { need } from '../context';
import { ApiFailure } from '../dispatch';
import type { Handlers } from '../dispatch';
import { imageSummary, reviewRow } from '../mappers';
import type * as T from '../types';
import { rankingPage } from './ranking';

type ResultHandlers = Pick<
  Handlers,
  'results.ranking' | 'results.scores' | 'results.histogram' | 'results.counts' | 'results.image' | 'metrics.get'
>;

/**
 * Scores with their truth (good=0 / defect=1), most anomalous first, for metrics and best-F1. The truth
 * is the latest review decision when it is good or defect, else the folder label; unlabelled images and
 * the images the model trained on (its training snapshot, validation included) are left out, since
 * figures on data the model has seen flatter it. The renderer's threshold figures apply the same rule.
 */
export function labelledScores(ctx: ApiContext, modelId: number): { scores: number[]; labels: number[] } {
  return ctx.memo.get(`labelled-scores:${modelId}`, () => readLabelledScores(ctx, modelId));
}

function readLabelledScores(ctx: ApiContext, modelId: number): { scores: number[]; labels: number[] } {
  const trained = new Set(ctx.store.models.trainImageIds(modelId));
  const scores: number[] = [];
  const labels: number[] = [];
  for (const r of ctx.store.stats.exportRows(modelId)) {
    if (trained.has(r.imageId)) continue;
    const truth = r.decision === 'good' || r.decision === 'defect' ? r.decision : r.label;
    if (truth === null) continue;
    scores.push(r.score);
    labels.push(truth === 'defect' ? 1 : 0);
  }
  return { scores, labels };
}

// Curves of 100k points would be megabytes of JSON for a chart a few hundred pixels wide.
function thin<P>(points: P[], max = 1000): P[] {
  if (points.length <= max) return points;
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]);
}

export function resultHandlers(ctx: ApiContext): ResultHandlers {
  const { store } = ctx;
  const model = (modelId: number) => need(store.models.get(modelId), 'model', modelId);

  return {
    'results.ranking': (input) => rankingPage(ctx, input),
    'results.scores': ({ modelId }) => {
      model(modelId);
      return ctx.memo.get(`score-arrays:${modelId}`, () => {
        const trained = new Set(store.models.trainImageIds(modelId));
        const out: T.ScoreArrays = { imageIds: [], scores: [], labels: [], decisions: [], trained: [] };
        for (const r of store.stats.exportRows(modelId)) {
          out.imageIds.push(r.imageId);
          out.trained.push(trained.has(r.imageId));
          out.scores.push(r.score);
          out.labels.push(r.label);
          out.decisions.push(r.decision);
        }
        return out;
      });
    },
    'results.histogram': ({ modelId, bins }) => {
      model(modelId);
      const h = store.stats.histogram(modelId, bins);
      if (!h) return { min: 0, max: 0, bins: [], labelSource: 'label' };
      // Folder labels when the library has them, else the reviewers' decisions.
      const hasLabels = h.byLabel.good.some((n) => n > 0) || h.byLabel.defect.some((n) => n > 0);
      const good = hasLabels ? h.byLabel.good : h.byDecision.good;
      const defect = hasLabels ? h.byLabel.defect : h.byDecision.defect;
      return {
        min: h.min,
        max: h.max,
        labelSource: hasLabels ? 'label' : 'review',
        bins: h.total.map((n, k) => ({
          from: h.edges[k],
          to: h.edges[k + 1],
          good: good[k],
          defect: defect[k],
          unlabeled: n - good[k] - defect[k],
        })),
      };
    },
    'results.counts': ({ modelId, threshold, lower }) => {
      model(modelId);
      const at = store.stats.countsAt(modelId, threshold);
      if (!at) throw new ApiFailure('conflict', `Model ${modelId} has no threshold yet: pass one or set one first`);
      const low = lower === undefined ? at.lower : lower;
      // Uncertain band [lower, threshold): images at or above `lower` minus those at or above the threshold.
      const uncertain = low === null ? 0 : Math.max(0, (store.stats.countsAt(modelId, low)?.flagged ?? 0) - at.flagged);
      const labelled = at.byLabel.good.flagged + at.byLabel.good.passed + at.byLabel.defect.flagged + at.byLabel.defect.passed;
      return {
        threshold: at.threshold,
        lower: low,
        total: at.total,
        flagged: at.flagged,
        uncertain,
        confusion: labelled
          ? {
              tp: at.byLabel.defect.flagged,
              fn: at.byLabel.defect.passed,
              fp: at.byLabel.good.flagged,
              tn: at.byLabel.good.passed,
            }
          : null,
      };
    },
    'results.image': ({ modelId, imageId }) => {
      const m = model(modelId);
      const img = need(store.images.get(imageId), 'image', imageId);
      const s = store.scores.get(modelId, imageId);
      if (!s) throw new ApiFailure('not-found', `Image ${imageId} has no score from model ${modelId} yet`);
      const t = store.thresholds.current(modelId) ?? null;
      const url = (variant: T.MediaVariant, path: string | null) =>
        path ? ctx.mediaUrl({ imageId, variant, modelId }) : null;
      const raw: T.ImageResult['raw'] = {};
      if (s.latent !== null) raw.latent = s.latent;
      if (s.reconTop1 !== null) raw['recon-top1'] = s.reconTop1;
      if (s.ssim !== null) raw.ssim = s.ssim;
      if (s.feature !== null) raw.feature = s.feature;
      if (s.baseline !== null) raw.baseline = s.baseline;
      const flagged = t !== null && s.score >= t.value;
      return {
        image: imageSummary(ctx, img),
        modelId,
        raw,
        scoreKind: m.scoreKind,
        score: s.score,
        calibrated: s.calibrated,
        percentile: s.percentile,
        // Images scoring at least as high: this one's place in the most-anomalous-first ranking.
        rank: store.stats.countsAt(modelId, s.score)?.flagged ?? 1,
        total: store.scores.count(modelId),
        flagged,
        uncertain: t !== null && t.lower !== null && !flagged && s.score >= t.lower,
        threshold: t?.value ?? null,
        urls: {
          original: ctx.mediaUrl({ imageId, variant: 'original', modelId: null }),
          thumb: ctx.mediaUrl({ imageId, variant: 'thumb', modelId: null }),
          recon: url('recon', s.reconMapPath),
          diff: url('diff', s.diffMapPath),
        },
        reviews: store.reviews.history(imageId).map(reviewRow),
      };
    },
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
  const empty = { positives, negatives, auroc: null, averagePrecision: null, roc: [], pr: [], bestF1: null };
  if (positives === 0 || negatives === 0) {
    const reason =
      scores.length === 0
        ? 'No scored image has a good/defect label from its folder'
        : `Metrics need both classes: ${positives} defect and ${negatives} good labelled images scored`;
    return { available: false, reason, ...empty };
  }
  return {
    available: true,
    positives,
    negatives,
    auroc: auroc(scores, labels),
    averagePrecision: averagePrecision(scores, labels),
    roc: thin(rocCurve(scores, labels)).map(({ fpr, tpr, threshold }) => ({ fpr, tpr, threshold })),
    pr: thin(prCurve(scores, labels)).map(({ recall, precision, threshold }) => ({ recall, precision, threshold })),
    bestF1: bestF1(scores, labels),
  };
}
