// Aggregates over one model's scores: counts at a threshold, the histogram, and the export rows.
import type Database from 'better-sqlite3';
import { LATEST, rankingWhere, statementCache, type RankingFilter } from './ranking';
import type { Decision, Label, Split } from './types';

type LabelKey = Label | 'none';
type DecisionKey = Decision | 'none';
const LABELS: LabelKey[] = ['good', 'defect', 'none'];
const DECISIONS: DecisionKey[] = ['good', 'defect', 'unsure', 'none'];

export interface FlagSplit {
  flagged: number;
  passed: number;
}

export interface ThresholdCounts {
  threshold: number;
  lower: number | null;
  total: number;
  flagged: number;
  /** lower <= score < threshold. */
  uncertain: number;
  unreviewed: number;
  flaggedUnreviewed: number;
  byLabel: Record<LabelKey, FlagSplit>;
  byDecision: Record<DecisionKey, FlagSplit>;
}

export interface Histogram {
  min: number;
  max: number;
  bins: number;
  /** bins + 1 edges from min to max; bin k holds edges[k] <= score < edges[k+1], the last one includes max. */
  edges: number[];
  total: number[];
  byLabel: Record<LabelKey, number[]>;
  byDecision: Record<DecisionKey, number[]>;
}

export interface ExportRow {
  imageId: number;
  path: string;
  label: Label | null;
  split: Split | null;
  score: number;
  calibrated: number | null;
  percentile: number | null;
  flagged: boolean | null;
  decision: Decision | null;
  note: string | null;
}

const emptySplit = (): FlagSplit => ({ flagged: 0, passed: 0 });

export function scoreStatsQueries(db: Database.Database) {
  const prepare = statementCache(db);
  const currentThreshold = db.prepare<[number], { value: number; lower: number | null }>(
    'SELECT value, lower FROM thresholds WHERE model_id = ? ORDER BY id DESC LIMIT 1',
  );

  /** Counts at `threshold` (default: the model's current one), by label and by latest review. */
  function countsAt(modelId: number, threshold?: number, filter: RankingFilter = {}): ThresholdCounts | null {
    const current = currentThreshold.get(modelId);
    const value = threshold ?? current?.value;
    if (value === undefined) return null;
    const lower = current && current.lower !== null && current.lower <= value ? current.lower : null;
    const params: Record<string, unknown> = { t: value, lower };
    const where = rankingWhere(modelId, filter, value, params);
    const sql = `SELECT coalesce(i.label, 'none') AS label, coalesce(${LATEST('decision')}, 'none') AS decision,
        count(*) AS n, sum(s.score >= @t) AS flagged,
        sum(@lower IS NOT NULL AND s.score >= @lower AND s.score < @t) AS uncertain
      FROM scores s JOIN images i ON i.id = s.image_id WHERE ${where.join(' AND ')} GROUP BY 1, 2`;
    const rows = prepare(sql).all(params) as {
      label: LabelKey;
      decision: DecisionKey;
      n: number;
      flagged: number;
      uncertain: number;
    }[];
    const out: ThresholdCounts = {
      threshold: value,
      lower,
      total: 0,
      flagged: 0,
      uncertain: 0,
      unreviewed: 0,
      flaggedUnreviewed: 0,
      byLabel: Object.fromEntries(LABELS.map((k) => [k, emptySplit()])) as Record<LabelKey, FlagSplit>,
      byDecision: Object.fromEntries(DECISIONS.map((k) => [k, emptySplit()])) as Record<DecisionKey, FlagSplit>,
    };
    for (const r of rows) {
      out.total += r.n;
      out.flagged += r.flagged;
      out.uncertain += r.uncertain;
      out.byLabel[r.label].flagged += r.flagged;
      out.byLabel[r.label].passed += r.n - r.flagged;
      out.byDecision[r.decision].flagged += r.flagged;
      out.byDecision[r.decision].passed += r.n - r.flagged;
    }
    out.unreviewed = out.byDecision.none.flagged + out.byDecision.none.passed;
    out.flaggedUnreviewed = out.byDecision.none.flagged;
    return out;
  }

  /** `bins` equal bins between the min and max score (of the filtered rows), split by label and latest review. */
  function histogram(modelId: number, bins = 50, filter: RankingFilter = {}): Histogram | null {
    if (!Number.isInteger(bins) || bins < 1 || bins > 10_000) throw new Error(`bins must be 1..10000, got ${bins}.`);
    const params: Record<string, unknown> = {};
    const where = rankingWhere(modelId, filter, currentThreshold.get(modelId)?.value ?? null, params).join(' AND ');
    const range = prepare(
      `SELECT min(s.score) AS min, max(s.score) AS max FROM scores s JOIN images i ON i.id = s.image_id WHERE ${where}`,
    ).get(params) as { min: number | null; max: number | null };
    if (range.min === null || range.max === null) return null;
    const { min, max } = range;
    const width = (max - min) / bins;
    Object.assign(params, { min, width: width || 1, last: bins - 1 });
    const sql = `SELECT min(CAST((s.score - @min) / @width AS INTEGER), @last) AS bin,
        coalesce(i.label, 'none') AS label, coalesce(${LATEST('decision')}, 'none') AS decision, count(*) AS n
      FROM scores s JOIN images i ON i.id = s.image_id WHERE ${where} GROUP BY 1, 2, 3`;
    const rows = prepare(sql).all(params) as { bin: number; label: LabelKey; decision: DecisionKey; n: number }[];
    const zeros = () => new Array<number>(bins).fill(0);
    const h: Histogram = {
      min,
      max,
      bins,
      edges: Array.from({ length: bins + 1 }, (_, k) => (k === bins ? max : min + k * width)),
      total: zeros(),
      byLabel: Object.fromEntries(LABELS.map((k) => [k, zeros()])) as Record<LabelKey, number[]>,
      byDecision: Object.fromEntries(DECISIONS.map((k) => [k, zeros()])) as Record<DecisionKey, number[]>,
    };
    for (const r of rows) {
      h.total[r.bin] += r.n;
      h.byLabel[r.label][r.bin] += r.n;
      h.byDecision[r.decision][r.bin] += r.n;
    }
    return h;
  }

  /** Every scored image, most anomalous first, with the flag at `threshold` (default: current). */
  function exportRows(modelId: number, threshold?: number, filter: RankingFilter = {}): ExportRow[] {
    const value = threshold ?? currentThreshold.get(modelId)?.value ?? null;
    const params: Record<string, unknown> = { flagAt: value };
    const where = rankingWhere(modelId, filter, value, params);
    const sql = `SELECT s.image_id AS imageId, i.path, i.label, i.split, s.score, s.calibrated, s.percentile,
        CASE WHEN @flagAt IS NULL THEN NULL ELSE s.score >= @flagAt END AS flagged,
        ${LATEST('decision')} AS decision, ${LATEST('note')} AS note
      FROM scores s JOIN images i ON i.id = s.image_id WHERE ${where.join(' AND ')}
      ORDER BY s.score DESC, s.image_id`;
    return (prepare(sql).all(params) as (Omit<ExportRow, 'flagged'> & { flagged: number | null })[]).map((r) => ({
      ...r,
      flagged: r.flagged === null ? null : r.flagged === 1,
    }));
  }

  return { countsAt, histogram, exportRows };
}

export type ScoreStatsQueries = ReturnType<typeof scoreStatsQueries>;
