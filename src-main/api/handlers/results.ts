// results.*: a model's ranking, all scores, histogram, counts at a threshold, one image.
import { figuresAt, histogram, labelledScores as withTruth, scoreSetOf, type ScoreSet } from '../../shared/truth';
import type { ApiContext } from '../context';
import { iso, need } from '../context';
import { ApiFailure } from '../dispatch';
import type { Handlers } from '../dispatch';
import { imageSummary, imageVersion, reviewRow, trainedIds } from '../mappers';
import type * as T from '../types';
import { rankingPage } from './ranking';
import { storedOptions } from '../../engine/options';
import { savedShiftLimit } from '../../jobs/protocol';
import { differsAsAWhole } from '../../shared/capture-shift';
import { lotIdsOf } from '../../shared/lots';
import { viewOf } from '../../shared/left-out';

type ResultHandlers = Pick<
  Handlers,
  'results.ranking' | 'results.scores' | 'results.histogram' | 'results.counts' | 'results.image'
>;

/** Every scored image of a model in rank order, with its label, latest decision and whether it was trained on. */
export function scoreArrays(ctx: ApiContext, modelId: number): T.ScoreArrays {
  return ctx.memo.get(`score-arrays:${modelId}`, () => {
    const trained = trainedIds(ctx, modelId);
    const model = ctx.store.models.get(modelId);
    const limit = savedShiftLimit(model?.validationStats);
    const out: T.ScoreArrays = {
      imageIds: [], scores: [], labels: [], decisions: [], trained: [], defectTypes: [], importIds: [], lotIds: [], lots: [],
      shifted: limit === null ? null : [],
    };
    for (const r of ctx.store.stats.exportRows(modelId)) {
      if (limit !== null) out.shifted!.push(differsAsAWhole(r.shift, limit));
      out.imageIds.push(r.imageId);
      out.trained.push(trained.has(r.imageId));
      out.scores.push(r.score);
      out.labels.push(r.label);
      out.decisions.push(r.decision);
      out.defectTypes.push(r.defectType);
      out.importIds.push(r.importId);
    }
    const groups = model ? ctx.store.imports.lots(model.projectId) : null;
    out.lotIds = groups ? lotIdsOf(out.importIds, groups) : out.importIds.map(() => null);
    out.lots = (groups?.lots() ?? []).map((l) => ({ id: l.importIds[0], roots: l.roots, day: l.day, from: iso(l.from), to: iso(l.to), imports: l.importIds.length }));
    return out;
  });
}

/** Scores with their truth (good=0 / defect=1) by the one truth rule (shared/truth.ts), most anomalous
 *  first, for metrics and best-F1. */
export function labelledScores(ctx: ApiContext, modelId: number): { scores: number[]; labels: number[] } {
  return ctx.memo.get(`labelled-scores:${modelId}`, () => withTruth(scoreArrays(ctx, modelId)));
}

/** The sorted score set by the same rule, for counts and the histogram. */
function scoreSet(ctx: ApiContext, modelId: number): ScoreSet {
  return ctx.memo.get(`score-set:${modelId}`, () => scoreSetOf(scoreArrays(ctx, modelId)));
}

export function resultHandlers(ctx: ApiContext): ResultHandlers {
  const { store } = ctx;
  const model = (modelId: number) => need(store.models.get(modelId), 'model', modelId);

  return {
    'results.ranking': (input) => rankingPage(ctx, input),
    'results.scores': ({ modelId }) => {
      model(modelId);
      return scoreArrays(ctx, modelId);
    },
    'results.histogram': ({ modelId, bins }) => {
      model(modelId);
      const set = scoreSet(ctx, modelId);
      if (set.all.length === 0) return { min: 0, max: 0, bins: [], labelSource: 'label' };
      // Bars split by the truth rule; labelSource says whether folder labels exist or only reviews do.
      const h = histogram(set, bins);
      const labelSource = scoreArrays(ctx, modelId).labels.some((l) => l !== null) ? 'label' : 'review';
      return {
        min: set.all[0],
        max: set.all[set.all.length - 1],
        labelSource,
        bins: h.good.map((good, k) => ({ from: h.edges[k], to: h.edges[k + 1], good, defect: h.defect[k], unlabeled: h.unknown[k] })),
      };
    },
    'results.counts': ({ modelId, threshold, lower }) => {
      model(modelId);
      const at = store.stats.countsAt(modelId, threshold);
      if (!at) throw new ApiFailure('conflict', `Model ${modelId} has no threshold yet: pass one or set one first`);
      const low = lower === undefined ? at.lower : lower;
      // Uncertain band [lower, threshold): images at or above `lower` minus those at or above the threshold.
      const uncertain = low === null ? 0 : Math.max(0, (store.stats.countsAt(modelId, low)?.flagged ?? 0) - at.flagged);
      // The confusion follows the truth rule, like the metrics and the slider: trained images left out.
      const set = scoreSet(ctx, modelId);
      const f = figuresAt(set, at.threshold);
      return {
        threshold: at.threshold,
        lower: low,
        total: at.total,
        flagged: at.flagged,
        uncertain,
        confusion: set.good.length + set.defect.length ? { tp: f.tp, fn: f.fn, fp: f.fp, tn: f.tn } : null,
      };
    },
    'results.image': ({ modelId, imageId }) => {
      const m = model(modelId);
      const img = need(store.images.get(imageId), 'image', imageId);
      const s = store.scores.get(modelId, imageId);
      if (!s) throw new ApiFailure('not-found', `Image ${imageId} has no score from model ${modelId} yet`);
      const t = store.thresholds.current(modelId) ?? null;
      const image = imageSummary(ctx, img);
      // A map also changes with the model, and a model's id too is given again after a deletion.
      const url = (variant: T.MediaVariant, path: string | null) =>
        path ? ctx.mediaUrl({ imageId, variant, modelId, version: `${imageVersion(img)}-${m.createdAt.toString(36)}` }) : null;
      const raw: T.ImageResult['raw'] = {};
      if (s.latent !== null) raw.latent = s.latent;
      if (s.reconTop1 !== null) raw['recon-top1'] = s.reconTop1;
      if (s.ssim !== null) raw.ssim = s.ssim;
      if (s.feature !== null) raw.feature = s.feature;
      if (s.reconZ !== null) raw['recon-z'] = s.reconZ;
      if (s.baseline !== null) raw.baseline = s.baseline;
      const flagged = t !== null && s.score >= t.value;
      const limit = savedShiftLimit(m.validationStats);
      const options = storedOptions(m.options);
      // A region only where it cuts the image ('0,0,100,100' is the whole image), areas only where there are some:
      // the lines and the original as the model saw it agree.
      const view = viewOf(options);
      const region = view?.region ? options.region! : null;
      const leaveOut = view?.leftOut.length ? options.leaveOut! : null;
      return {
        image,
        modelId,
        raw,
        scoreKind: m.scoreKind,
        patchScale: m.patchScale,
        isize: options.isize ?? null,
        region,
        leaveOut,
        score: s.score,
        calibrated: s.calibrated,
        percentile: s.percentile,
        // Images scoring at least as high: this one's place in the most-anomalous-first ranking.
        rank: store.stats.countsAt(modelId, s.score)?.flagged ?? 1,
        total: store.scores.count(modelId),
        flagged,
        uncertain: t !== null && t.lower !== null && !flagged && s.score >= t.lower,
        threshold: t?.value ?? null,
        trained: trainedIds(ctx, modelId).has(imageId),
        shift: limit === null || s.shift === null ? null : { value: s.shift, limit, differs: differsAsAWhole(s.shift, limit) },
        urls: {
          original: image.originalUrl,
          thumb: image.thumbUrl,
          recon: url('recon', s.reconMapPath),
          diff: url('diff', s.diffMapPath),
          region: view && url('region', img.path),
        },
        reviews: store.reviews.history(imageId).map(reviewRow),
        reviewsBefore: store.reviews.beforeRemoval(imageId).map((r) => ({ ...reviewRow(r), removedAt: iso(r.removedAt) })),
        countedAs: store.reviews.carriedDecisions(img.projectId).get(imageId) ?? null,
      };
    },
  };
}
