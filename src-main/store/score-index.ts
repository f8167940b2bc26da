// Threshold counts are asked for on every move of the threshold slider, and the histogram after every
// review. Rather than a pass over 100k joined rows each time, the sorted scores of a (model, filter) are
// loaded once with running counts per label and per latest decision, and reused until anything in the
// database changes. The join happens here in typed arrays indexed by image id: three index-only scans
// instead of 100k B-tree lookups.
import type Database from 'better-sqlite3';
import { imageFilterSql } from './images';
import type { RankingFilter } from './ranking';

export { lowerBound } from '../shared/truth';

export const LABEL_CODES = ['good', 'defect', 'none'] as const;
export const DECISION_CODES = ['good', 'defect', 'unsure', 'none'] as const;
const EXCLUDED = 255;
const UNREVIEWED = 3;

export type IndexFilter = Omit<RankingFilter, 'flagged'>;

export interface ScoreIndex {
  /** Ascending. */
  scores: Float64Array;
  /** byLabel[k][j]: rows among the first j with label LABEL_CODES[k]; length n + 1. */
  byLabel: Uint32Array[];
  byDecision: Uint32Array[];
}


export function scoreIndexCache(db: Database.Database, prepare: (sql: string) => Database.Statement, size = 4) {
  // Our own writes move total_changes(); other connections' commits move data_version.
  const totalChanges = db.prepare('SELECT total_changes()').pluck();
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  const projectOf = db.prepare<[number], number>('SELECT project_id FROM models WHERE id = ?').pluck();
  const maxImageId = db.prepare<[], number | null>('SELECT max(id) FROM images').pluck();
  const sorted = db.prepare('SELECT image_id, score FROM scores WHERE model_id = ? ORDER BY score, image_id').raw();
  const trainedOn = db.prepare<[number], number>('SELECT image_id FROM model_images WHERE model_id = ?').pluck();
  const decisions = db
    .prepare(
      `SELECT image_id, CASE decision WHEN 'good' THEN 0 WHEN 'defect' THEN 1 WHEN 'unsure' THEN 2 END
       FROM latest_reviews`,
    )
    .raw();
  const cache = new Map<string, { version: string; index: ScoreIndex }>();

  function build(modelId: number, filter: IndexFilter): ScoreIndex {
    const projectId = projectOf.get(modelId);
    const size = (maxImageId.get() ?? 0) + 1;
    const labelOf = new Uint8Array(size).fill(EXCLUDED);
    if (projectId !== undefined) {
      const params: Record<string, unknown> = { projectId };
      const where = ['i.project_id = @projectId', ...imageFilterSql(filter, params)].join(' AND ');
      const images = prepare(
        `SELECT i.id, CASE i.label WHEN 'good' THEN 0 WHEN 'defect' THEN 1 ELSE 2 END FROM images i WHERE ${where}`,
      ).raw(true);
      for (const [id, label] of images.iterate(params) as Iterable<[number, number]>) labelOf[id] = label;
    }
    if (filter.notTrained) for (const id of trainedOn.iterate(modelId)) if (id < size) labelOf[id] = EXCLUDED;
    const decisionOf = new Uint8Array(size).fill(UNREVIEWED);
    for (const [id, d] of decisions.iterate() as Iterable<[number, number]>) if (id < size) decisionOf[id] = d;
    const wanted =
      filter.unreviewed || filter.decision === 'none'
        ? UNREVIEWED
        : filter.decision
          ? DECISION_CODES.indexOf(filter.decision)
          : -1;

    const rows = sorted.all(modelId) as [number, number][];
    const scores = new Float64Array(rows.length);
    const byLabel = LABEL_CODES.map(() => new Uint32Array(rows.length + 1));
    const byDecision = DECISION_CODES.map(() => new Uint32Array(rows.length + 1));
    let n = 0;
    for (const [id, score] of rows) {
      const label = labelOf[id];
      const decision = decisionOf[id];
      if (label === EXCLUDED || (wanted >= 0 && decision !== wanted)) continue;
      scores[n] = score;
      for (let k = 0; k < byLabel.length; k++) byLabel[k][n + 1] = byLabel[k][n] + (k === label ? 1 : 0);
      for (let k = 0; k < byDecision.length; k++) byDecision[k][n + 1] = byDecision[k][n] + (k === decision ? 1 : 0);
      n += 1;
    }
    return {
      scores: scores.subarray(0, n),
      byLabel: byLabel.map((a) => a.subarray(0, n + 1)),
      byDecision: byDecision.map((a) => a.subarray(0, n + 1)),
    };
  }

  return function get(modelId: number, filter: IndexFilter): ScoreIndex {
    const { label, split, folder, addedSince, importIds, nameHas, includeMissing, unreviewed, decision, notTrained } = filter;
    const key = JSON.stringify([modelId, label, split, folder, addedSince, importIds, nameHas, includeMissing, unreviewed, decision, notTrained]);
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
