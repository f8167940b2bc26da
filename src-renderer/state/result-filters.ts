// Results filters as the user sets them, and the ranking request they become. Here, not in results/, because
// other screens open Results on a list of their own: the followed camera's banner, a lot on the Threshold screen.
import { formatDate } from '../components/format';
import { keptValue } from './kept-value';
import type { LabelChoice, RankingSort, RequestInput, Split } from '../api/client';

export type SortKey = RankingSort;
export interface ResultFilters {
  sort: SortKey;
  flagged: boolean;
  unreviewed: boolean;
  /** Leave out the model's own training and validation images (as the banner's and the lots' counts do). */
  notTrained: boolean;
  label: LabelChoice;
  split: 'all' | Split;
  folder: string;
  /** Only parts whose file name holds this text (a serial number), any case; '' for any. */
  name: string;
  /** Only parts that came in since then (ISO): set by the followed folder's banner, cleared with the filters. */
  since: string | null;
  /** Only one lot's parts (its id, results.scores' lots[].id, and its name for the filter bar): set from the
   *  Threshold screen's lots. */
  lot: { id: number; name: string } | null;
}

export const DEFAULT_FILTERS: ResultFilters = {
  sort: 'score-desc', flagged: false, unreviewed: false, notTrained: false, label: 'all', split: 'all', folder: '', name: '', since: null, lot: null,
};

// Kept across screen switches, so coming back from Compare shows the same list, and settable from elsewhere (the
// followed camera's alert opens Results on its flagged, unreviewed parts, newest first).
const remembered = keptValue<ResultFilters>(DEFAULT_FILTERS);
export const rememberedFilters = remembered.get;
export const setRememberedFilters = remembered.set;
export const onRememberedFilters = remembered.subscribe;

export type RankingQuery = Omit<RequestInput<'results.ranking'>, 'offset' | 'limit'>;

/** Only set filters are sent: an absent key means "any" to the server. */
export function rankingQuery(modelId: number, f: ResultFilters, threshold?: number | null): RankingQuery {
  const filter: NonNullable<RankingQuery['filter']> = {};
  if (f.flagged) filter.flagged = true;
  if (f.unreviewed) filter.unreviewed = true;
  if (f.notTrained) filter.notTrained = true;
  if (f.label !== 'all') filter.label = f.label;
  if (f.split !== 'all') filter.split = f.split;
  if (f.folder.trim()) filter.folder = f.folder.trim();
  if (f.name.trim()) filter.name = f.name.trim();
  if (f.since) filter.since = f.since;
  if (f.lot) filter.lot = f.lot.id;
  return { modelId, sort: f.sort, filter, ...(threshold !== null && threshold !== undefined ? { threshold } : {}) };
}

export function activeFilterCount(f: ResultFilters): number {
  return [f.flagged, f.unreviewed, f.notTrained, f.label !== 'all', f.split !== 'all', f.folder.trim() !== '', f.name.trim() !== '', f.since !== null, f.lot !== null].filter(Boolean).length;
}

/** Words for an empty result, e.g. "flagged, unreviewed, label defect". */
export function describeFilters(f: ResultFilters): string {
  const parts: string[] = [];
  if (f.flagged) parts.push('flagged');
  if (f.unreviewed) parts.push('unreviewed');
  if (f.notTrained) parts.push('not trained on');
  if (f.label !== 'all') parts.push(`label ${f.label === 'unlabeled' ? 'unlabelled' : f.label}`);
  if (f.split !== 'all') parts.push(`${f.split} split`);
  if (f.folder.trim()) parts.push(`folder “${f.folder.trim()}”`);
  if (f.name.trim()) parts.push(`name holding “${f.name.trim()}”`);
  if (f.since) parts.push(`came in since ${formatDate(f.since)}`);
  if (f.lot) parts.push(`lot ${f.lot.name}`);
  return parts.join(', ');
}
