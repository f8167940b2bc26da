// Threshold counts are asked for on every move of the threshold slider. Rather than a pass over 100k
// joined rows each time, the sorted scores of a (model, filter) are loaded once with running counts per
// label and per latest decision, and reused until anything in the database changes.
import type Database from 'better-sqlite3';
import { LATEST_JOIN, rankingWhere, type RankingFilter } from './ranking';

export const LABEL_CODES = ['good', 'defect', 'none'] as const;
export const DECISION_CODES = ['good', 'defect', 'unsure', 'none'] as const;

export interface ScoreIndex {
  /** Ascending. */
  scores: Float64Array;
  /** byLabel[k][j]: rows among the first j with label LABEL_CODES[k]; length n + 1. */
  byLabel: Uint32Array[];
  byDecision: Uint32Array[];
}

/** First position whose score is >= t. */
export function lowerBound(scores: Float64Array, t: number): number {
  let lo = 0;
  let hi = scores.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (scores[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function scoreIndexCache(db: Database.Database, prepare: (sql: string) => Database.Statement, size = 4) {
  // Our own writes move total_changes(); other connections' commits move data_version.
  const totalChanges = db.prepare('SELECT total_changes()').pluck();
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  const cache = new Map<string, { version: string; index: ScoreIndex }>();

  function build(modelId: number, filter: Omit<RankingFilter, 'flagged'>): ScoreIndex {
    const params: Record<string, unknown> = {};
    const where = rankingWhere(modelId, filter, null, params).join(' AND ');
    const rows = prepare(
      `SELECT s.score, CASE i.label WHEN 'good' THEN 0 WHEN 'defect' THEN 1 ELSE 2 END,
         CASE r.decision WHEN 'good' THEN 0 WHEN 'defect' THEN 1 WHEN 'unsure' THEN 2 ELSE 3 END
       FROM scores s JOIN images i ON i.id = s.image_id ${LATEST_JOIN} WHERE ${where} ORDER BY s.score`,
    )
      .raw(true)
      .all(params) as [number, number, number][];
    const n = rows.length;
    const scores = new Float64Array(n);
    const byLabel = LABEL_CODES.map(() => new Uint32Array(n + 1));
    const byDecision = DECISION_CODES.map(() => new Uint32Array(n + 1));
    for (let j = 0; j < n; j++) {
      const [score, label, decision] = rows[j];
      scores[j] = score;
      for (let k = 0; k < byLabel.length; k++) byLabel[k][j + 1] = byLabel[k][j] + (k === label ? 1 : 0);
      for (let k = 0; k < byDecision.length; k++) byDecision[k][j + 1] = byDecision[k][j] + (k === decision ? 1 : 0);
    }
    return { scores, byLabel, byDecision };
  }

  return function get(modelId: number, filter: Omit<RankingFilter, 'flagged'>): ScoreIndex {
    const key = JSON.stringify([modelId, filter.label, filter.split, filter.folder, filter.includeMissing,
      filter.unreviewed, filter.decision]);
    const version = `${dataVersion.get()}:${totalChanges.get()}`;
    const hit = cache.get(key);
    if (hit && hit.version === version) return hit.index;
    const index = build(modelId, filter);
    cache.delete(key);
    cache.set(key, { version, index });
    if (cache.size > size) cache.delete(cache.keys().next().value!);
    return index;
  };
}
