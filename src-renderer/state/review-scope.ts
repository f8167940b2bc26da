// Which parts the Review queue holds: all the flagged and uncertain parts, or only those of a list Results showed
// ("Review these": a lot, a followed folder's new parts, a folder). Kept like the Results filters, so Review stays
// on that list across screen switches until it is cleared.
import { keptValue } from './kept-value';
import { describeFilters, type RankingQuery, type ResultFilters } from './result-filters';

export type ReviewFilter = Omit<NonNullable<RankingQuery['filter']>, 'flagged' | 'unreviewed'>;
/** The list's filter as the queue sends it, and its words for the Review screen ("lot /cam of 12/1/2026"). */
export interface ReviewScope { filter: ReviewFilter; words: string }

/** The scope of Results' current list (flagged and unreviewed are the queue's own); null when it is everything. */
export function reviewScopeOf(filter: NonNullable<RankingQuery['filter']>, f: ResultFilters): ReviewScope | null {
  const { flagged: _flagged, unreviewed: _unreviewed, ...rest } = filter;
  const words = describeFilters({ ...f, flagged: false, unreviewed: false });
  return Object.keys(rest).length ? { filter: rest, words } : null;
}

const kept = keptValue<ReviewScope | null>(null);
export const reviewScope = kept.get;
export const setReviewScope = kept.set;
export const onReviewScope = kept.subscribe;
