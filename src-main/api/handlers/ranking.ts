// Pages of the ranking. Score order is the store's keyset-friendly query; newest, path and review-time
// orders are rarer and sort the filtered rows here.
import type { Cursor, RankingFilter, RankedImage as StoreRanked } from '../../store';
import type { ApiContext } from '../context';
import { need } from '../context';
import { ApiFailure } from '../dispatch';
import type { ParsedInput } from '../contract';
import { rankedImage, trainedIds } from '../mappers';
import type * as T from '../types';

type RankingInput = ParsedInput<'results.ranking'>;

/** The request's filter as the store takes it; a lot (named by one of its imports) becomes its imports. */
export function toStoreFilter(ctx: ApiContext, modelId: number, f: RankingInput['filter']): RankingFilter {
  return {
    flagged: f.flagged,
    unreviewed: f.unreviewed || undefined,
    label: f.label === 'unlabeled' ? 'none' : f.label,
    split: f.split,
    folder: f.folder,
    addedSince: f.since === undefined ? undefined : Date.parse(f.since),
    importIds: f.lot === undefined ? undefined : lotImports(ctx, modelId, f.lot),
    notTrained: f.notTrained || undefined,
    nameHas: f.name,
  };
}

/** The imports of the model's project's lot that holds `importId` (none: a lot that no longer exists lists nothing). */
function lotImports(ctx: ApiContext, modelId: number, importId: number): number[] {
  const projectId = need(ctx.store.models.get(modelId), 'model', modelId).projectId;
  return ctx.store.imports.lots(projectId).lotOf(importId)?.importIds ?? [];
}

/** Runs a store query; its refusal of "flagged" without any threshold becomes the caller's conflict. */
export function thresholdGuard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    // The store refuses "flagged" without any threshold; that is the caller's to fix, not a crash.
    if (err instanceof Error && /no threshold/i.test(err.message)) throw new ApiFailure('conflict', err.message);
    throw err;
  }
}

export function rankingPage(ctx: ApiContext, input: RankingInput): T.Page<T.RankedImage> {
  const { store } = ctx;
  const { modelId, offset, limit, threshold } = input;
  need(store.models.get(modelId), 'model', modelId);
  const filter = toStoreFilter(ctx, modelId, input.filter);
  if (input.sort === 'score-desc' || input.sort === 'score-asc') {
    const page = thresholdGuard(() =>
      store.ranking.rank(modelId, filter, { offset, limit, threshold, order: input.sort === 'score-asc' ? 'asc' : 'desc' }),
    );
    // Without any threshold the flag filter was refused above, so the value only matters for `flagged`.
    const t = page.threshold ?? Number.MAX_VALUE;
    const c = store.stats.countsAt(modelId, t, filter);
    // countsAt covers both sides of the threshold; the flag filter picks one.
    const total = !c ? 0 : filter.flagged === true ? c.flagged : filter.flagged === false ? c.total - c.flagged : c.total;
    const trained = trainedIds(ctx, modelId);
    const items = page.rows.map((r, i) => rankedImage(ctx, r, offset + i + 1, store.reviews.latest(r.imageId), trained));
    return { total, offset, items };
  }
  const all: StoreRanked[] = [];
  let after: Cursor | undefined;
  for (;;) {
    const page = thresholdGuard(() => store.ranking.rank(modelId, filter, { limit: 5000, after, threshold }));
    all.push(...page.rows);
    if (!page.next) break;
    after = page.next;
  }
  const latest = new Map(all.map((r) => [r.imageId, store.reviews.latest(r.imageId)]));
  // Newest: the last batch of parts first (ids alone are not arrival order: SQLite gives deleted ones again).
  if (input.sort === 'newest') all.sort((a, b) => b.addedAt - a.addedAt || b.imageId - a.imageId);
  else if (input.sort === 'path') all.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  else all.sort((a, b) => (latest.get(b.imageId)?.createdAt ?? -1) - (latest.get(a.imageId)?.createdAt ?? -1));
  const trained = trainedIds(ctx, modelId);
  const items = all
    .slice(offset, offset + limit)
    .map((r, i) => rankedImage(ctx, r, offset + i + 1, latest.get(r.imageId), trained));
  return { total: all.length, offset, items };
}
