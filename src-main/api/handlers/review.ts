// Thresholds (append-only history), reviews (append-only audit trail) and the export.
import { bestF1 } from '../../engine/metrics';
import type { ApiContext } from '../context';
import { need } from '../context';
import { ApiFailure } from '../dispatch';
import type { Handlers } from '../dispatch';
import { rankedImage, reviewRow, thresholdRow } from '../mappers';
import { exportCsv, exportJson } from './export-format';
import { labelledScores } from './results';

type ReviewHandlers = Pick<
  Handlers,
  | 'thresholds.get'
  | 'thresholds.set'
  | 'thresholds.suggest'
  | 'reviews.add'
  | 'reviews.undo'
  | 'reviews.history'
  | 'reviews.queue'
  | 'export.results'
>;

/** The ascending validation scores of the model's score kind, wherever the engine's stats put them. */
export function validationSample(stats: unknown, kind: string): number[] | null {
  const seen = new Set<unknown>();
  const visit = (v: unknown, depth: number): number[] | null => {
    if (depth > 3 || v === null || typeof v !== 'object' || seen.has(v)) return null;
    seen.add(v);
    const o = v as Record<string, unknown>;
    const own = o[kind] as Record<string, unknown> | undefined;
    if (own && Array.isArray(own.sorted) && own.sorted.every((x) => typeof x === 'number')) return own.sorted as number[];
    for (const child of Object.values(o)) {
      const found = visit(child, depth + 1);
      if (found) return found;
    }
    return null;
  };
  return visit(stats, 0);
}

export function quantile(sorted: number[], p: number): number {
  const pos = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function reviewHandlers(ctx: ApiContext): ReviewHandlers {
  const { store } = ctx;
  const model = (modelId: number) => need(store.models.get(modelId), 'model', modelId);
  const changed = (modelId: number, what: 'reviews' | 'thresholds') =>
    ctx.events.emit('library.changed', { projectId: model(modelId).projectId, what });

  return {
    'thresholds.get': ({ modelId }) => {
      model(modelId);
      const history = store.thresholds.history(modelId).map(thresholdRow);
      return { current: history[0] ?? null, history };
    },
    'thresholds.set': ({ modelId, value, lower, source }) => {
      model(modelId);
      const row = thresholdRow(store.thresholds.set(modelId, { value, lower, source }));
      changed(modelId, 'thresholds');
      return row;
    },
    'thresholds.suggest': ({ modelId, method, percentile }) => {
      const m = model(modelId);
      if (method === 'best-f1') {
        const { scores, labels } = labelledScores(ctx, modelId);
        const defects = labels.filter((l) => l === 1).length;
        if (defects === 0 || defects === labels.length) {
          throw new ApiFailure(
            'conflict',
            'Best F1 needs scored images labelled both good and defect; use a percentile of the validation scores instead',
          );
        }
        const best = bestF1(scores, labels);
        return { method, value: best.threshold, f1: best.f1, precision: best.precision, recall: best.recall, basis: `best F1 over ${labels.length} labelled images` };
      }
      const sample = validationSample(m.validationStats, m.scoreKind);
      if (!sample || sample.length === 0) {
        throw new ApiFailure('conflict', `Model ${modelId} has no validation scores saved (was it trained to the end?)`);
      }
      return {
        method,
        value: quantile(sample, percentile),
        percentile,
        basis: `${percentile}th percentile of ${sample.length} validation scores (good images never trained on)`,
      };
    },
    'reviews.add': ({ imageId, modelId, decision, note }) => {
      const img = need(store.images.get(imageId), 'image', imageId);
      if (modelId !== null) model(modelId);
      const row = reviewRow(store.reviews.add({ imageId, modelId, decision, note: note || null }));
      ctx.events.emit('library.changed', { projectId: img.projectId, what: 'reviews' });
      return row;
    },
    'reviews.undo': ({ imageId }) => {
      const img = need(store.images.get(imageId), 'image', imageId);
      const [latest, previous] = store.reviews.history(imageId);
      if (!latest || latest.decision === null) return null; // unreviewed: nothing to take back
      // Append a row restoring the state before `latest`: the previous decision, or unreviewed (a revert row).
      const row = previous?.decision
        ? store.reviews.add({ imageId, modelId: latest.modelId, decision: previous.decision, note: previous.note })
        : store.reviews.revert(imageId, latest.id, latest.modelId);
      ctx.events.emit('library.changed', { projectId: img.projectId, what: 'reviews' });
      return { ...reviewRow(row), reverts: latest.id };
    },
    'reviews.history': ({ imageId }) => {
      need(store.images.get(imageId), 'image', imageId);
      return store.reviews.history(imageId).map(reviewRow);
    },
    'reviews.queue': ({ modelId, includeReviewed, offset, limit }) => {
      model(modelId);
      const t = store.thresholds.current(modelId);
      if (!t) throw new ApiFailure('conflict', `Model ${modelId} has no threshold yet: set one to build the review queue`);
      // Flagged + uncertain = score >= lower edge (or the threshold when there is no band).
      const edge = t.lower ?? t.value;
      const filter = { flagged: true, unreviewed: includeReviewed ? undefined : true };
      const page = store.ranking.rank(modelId, filter, { offset, limit, threshold: edge });
      const counts = store.stats.countsAt(modelId, edge);
      const total = includeReviewed ? (counts?.flagged ?? 0) : (counts?.flaggedUnreviewed ?? 0);
      const items = page.rows.map((r, i) => {
        const item = rankedImage(ctx, r, offset + i + 1, store.reviews.latest(r.imageId));
        // rank() flagged at the band's edge; report the real flag and band.
        return { ...item, flagged: r.score >= t.value, uncertain: r.score < t.value };
      });
      return { total, offset, items, remaining: counts?.flaggedUnreviewed ?? 0 };
    },
    'export.results': ({ modelId, format }) => {
      const m = model(modelId);
      const rows = store.stats.exportRows(modelId);
      const base = `${m.name.replace(/[^\w.-]+/g, '_')}-results`;
      return format === 'csv'
        ? { filename: `${base}.csv`, mime: 'text/csv', text: exportCsv(rows), rows: rows.length }
        : { filename: `${base}.json`, mime: 'application/json', text: exportJson(m, rows), rows: rows.length };
    },
  };
}
