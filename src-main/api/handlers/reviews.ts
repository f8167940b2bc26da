// reviews.*: decisions about images, kept as an append-only audit trail, and the review queue.
import type { ApiContext } from '../context';
import { need } from '../context';
import { ApiFailure } from '../dispatch';
import type { Handlers } from '../dispatch';
import { rankedImage, reviewRow, trainedIds } from '../mappers';
import { toStoreFilter } from './ranking';

type ReviewHandlers = Pick<Handlers, 'reviews.add' | 'reviews.undo' | 'reviews.history' | 'reviews.queue'>;

export function reviewHandlers(ctx: ApiContext): ReviewHandlers {
  const { store } = ctx;
  const model = (modelId: number) => need(store.models.get(modelId), 'model', modelId);

  return {
    'reviews.add': ({ imageId, modelId, decision, note, reviewer }) => {
      const img = need(store.images.get(imageId), 'image', imageId);
      if (modelId !== null) model(modelId);
      const row = reviewRow(store.reviews.add({ imageId, modelId, decision, note: note || null, reviewer: reviewer || null }));
      ctx.events.emit('library.changed', { projectId: img.projectId, what: 'reviews' });
      return row;
    },
    'reviews.undo': ({ imageId, reviewer }) => {
      const img = need(store.images.get(imageId), 'image', imageId);
      const [latest, previous] = store.reviews.history(imageId);
      if (!latest || latest.decision === null) return null; // unreviewed: nothing to take back
      // Append a row restoring the state before `latest`: the previous decision, or unreviewed (a revert row).
      const row = previous?.decision
        ? store.reviews.add({ imageId, modelId: latest.modelId, decision: previous.decision, note: previous.note, reviewer: reviewer || null, undoes: latest.id })
        : store.reviews.revert(imageId, latest.id, latest.modelId, reviewer || null);
      ctx.events.emit('library.changed', { projectId: img.projectId, what: 'reviews' });
      return reviewRow(row);
    },
    'reviews.history': ({ imageId }) => {
      need(store.images.get(imageId), 'image', imageId);
      return store.reviews.history(imageId).map(reviewRow);
    },
    'reviews.queue': ({ modelId, includeReviewed, offset, limit, scope }) => {
      model(modelId);
      const t = store.thresholds.current(modelId);
      if (!t) throw new ApiFailure('conflict', `Model ${modelId} has no threshold yet: set one to build the review queue`);
      // Flagged + uncertain = score >= lower edge (or the threshold when there is no band).
      const edge = t.lower ?? t.value;
      const within = toStoreFilter(ctx, modelId, scope);
      const filter = { ...within, flagged: true, unreviewed: includeReviewed ? undefined : true };
      const page = store.ranking.rank(modelId, filter, { offset, limit, threshold: edge });
      const counts = store.stats.countsAt(modelId, edge, within);
      const total = includeReviewed ? (counts?.flagged ?? 0) : (counts?.flaggedUnreviewed ?? 0);
      const trained = trainedIds(ctx, modelId);
      const items = page.rows.map((r, i) => {
        const item = rankedImage(ctx, r, offset + i + 1, store.reviews.latest(r.imageId), trained);
        // rank() flagged at the band's edge; report the real flag and band.
        return { ...item, flagged: r.score >= t.value, uncertain: r.score < t.value };
      });
      return { total, offset, items, remaining: counts?.flaggedUnreviewed ?? 0 };
    },
  };
}
