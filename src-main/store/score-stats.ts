// Aggregates over one model's scores: counts at a threshold, the histogram, the export rows, a lot's flags.
import type Database from 'better-sqlite3';
import { LATEST_JOIN, rankingWhere, statementCache, type RankingFilter } from './ranking';
import { thresholdQueries } from './thresholds';
import { DECISION_CODES, LABEL_CODES, lowerBound, scoreIndexCache } from './score-index';
import type { Decision, Label, Split } from './types';

type LabelKey = Label | 'none';
type DecisionKey = Decision | 'none';

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

/** Scored images (the model's own training images left out) and how many a threshold flags. */
export interface FlagCount { parts: number; flagged: number }

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
  /** The defect folder's name (MVTec test/<kind>), when the folder gave one. */
  defectType: string | null;
  /** The import that first brought the image in (null for images added otherwise). */
  importId: number | null;
  /** When the image came into the library (ms). */
  addedAt: number;
  score: number;
  calibrated: number | null;
  percentile: number | null;
  /** The image's capture shift (services/score-images ScoredImage.shift); null for patch models and older rows. */
  shift: number | null;
  flagged: boolean | null;
  decision: Decision | null;
  note: string | null;
  /** When the current decision was made (ms) and who made it, as they gave their name; null when unreviewed. */
  reviewedAt: number | null;
  reviewer: string | null;
  /** One of the model's training or validation images: its score is no evidence. */
  trained: boolean;
}

export function scoreStatsQueries(db: Database.Database) {
  const prepare = statementCache(db);
  const thresholds = thresholdQueries(db); // which row is the model's threshold is theirs to say

  const scoreIndex = scoreIndexCache(db, prepare);

  /**
   * Counts at `threshold` (default: the model's current one), by label and by latest review, over the
   * rows the filter selects (its `flagged` is ignored: counts always cover both sides of the threshold).
   */
  function countsAt(
    modelId: number,
    threshold?: number,
    filter: Omit<RankingFilter, 'flagged'> = {},
  ): ThresholdCounts | null {
    const current = thresholds.current(modelId);
    const value = threshold ?? current?.value;
    if (value === undefined) return null;
    const lower = current && current.lower !== null && current.lower <= value ? current.lower : null;
    const { scores, byLabel, byDecision } = scoreIndex(modelId, { ...filter, flagged: undefined } as RankingFilter);
    const n = scores.length;
    const at = lowerBound(scores, value);
    const split = (cum: Uint32Array): FlagSplit => ({ flagged: cum[n] - cum[at], passed: cum[at] });
    const out: ThresholdCounts = {
      threshold: value,
      lower,
      total: n,
      flagged: n - at,
      uncertain: lower === null ? 0 : at - lowerBound(scores, lower),
      unreviewed: 0,
      flaggedUnreviewed: 0,
      byLabel: Object.fromEntries(LABEL_CODES.map((k, i) => [k, split(byLabel[i])])) as Record<LabelKey, FlagSplit>,
      byDecision: Object.fromEntries(DECISION_CODES.map((k, i) => [k, split(byDecision[i])])) as Record<
        DecisionKey,
        FlagSplit
      >,
    };
    out.unreviewed = out.byDecision.none.flagged + out.byDecision.none.passed;
    out.flaggedUnreviewed = out.byDecision.none.flagged;
    return out;
  }

  /**
   * `bins` equal bins between the min and max score of the filtered rows, split by label and latest review.
   * Bin k holds edges[k] <= score < edges[k + 1]; the last bin also holds the max.
   */
  function histogram(modelId: number, bins = 50, filter: RankingFilter = {}): Histogram | null {
    if (!Number.isInteger(bins) || bins < 1 || bins > 10_000) throw new Error(`bins must be 1..10000, got ${bins}.`);
    const { scores, byLabel, byDecision } = scoreIndex(modelId, { ...filter, flagged: undefined } as RankingFilter);
    let lo = 0;
    let hi = scores.length;
    if (filter.flagged !== undefined) {
      const t = thresholds.current(modelId)?.value;
      if (t === undefined) throw new Error(`Model ${modelId} has no threshold yet, so nothing can be flagged.`);
      if (filter.flagged) lo = lowerBound(scores, t);
      else hi = lowerBound(scores, t);
    }
    if (lo >= hi) return null;
    const min = scores[lo];
    const max = scores[hi - 1];
    const width = (max - min) / bins;
    const edges = Array.from({ length: bins + 1 }, (_, k) => (k === bins ? max : min + k * width));
    // Position of each edge in the sorted scores; the last bin closes at hi so the max is counted.
    const at = edges.map((e, k) => (k === 0 ? lo : k === bins ? hi : Math.max(lo, Math.min(hi, lowerBound(scores, e)))));
    const counts = (cum: Uint32Array) => Array.from({ length: bins }, (_, k) => cum[at[k + 1]] - cum[at[k]]);
    return {
      min,
      max,
      bins,
      edges,
      total: Array.from({ length: bins }, (_, k) => at[k + 1] - at[k]),
      byLabel: Object.fromEntries(LABEL_CODES.map((k, i) => [k, counts(byLabel[i])])) as Record<LabelKey, number[]>,
      byDecision: Object.fromEntries(DECISION_CODES.map((k, i) => [k, counts(byDecision[i])])) as Record<
        DecisionKey,
        number[]
      >,
    };
  }

  // A lot's flag rate against all the others' (the andon's lot check), without a pass over every score: the
  // lot's own images by import, the totals from the score index's range less the few that count in no lot.
  // CROSS JOIN keeps SQLite's join order: from the few rows outwards, never a scan of the scores.
  const NOT_TRAINED = 'NOT EXISTS (SELECT 1 FROM model_images t WHERE t.model_id = @modelId AND t.image_id = s.image_id)';
  const ofImports = db.prepare<{ modelId: number; threshold: number; ids: string }, FlagCount>(
    `SELECT count(*) AS parts, total(s.score >= @threshold) AS flagged
     FROM json_each(@ids) j CROSS JOIN images i ON i.import_id = j.value CROSS JOIN scores s ON s.model_id = @modelId AND s.image_id = i.id
     WHERE ${NOT_TRAINED}`,
  );
  const everyScore = db.prepare<{ modelId: number; threshold: number }, FlagCount>(
    `SELECT (SELECT count(*) FROM scores WHERE model_id = @modelId) AS parts,
            (SELECT count(*) FROM scores WHERE model_id = @modelId AND score >= @threshold) AS flagged`,
  );
  const trainedScores = db.prepare<{ modelId: number; threshold: number }, FlagCount>(
    `SELECT count(*) AS parts, total(s.score >= @threshold) AS flagged
     FROM model_images t CROSS JOIN scores s ON s.model_id = t.model_id AND s.image_id = t.image_id WHERE t.model_id = @modelId`,
  );
  const noImport = db.prepare<{ modelId: number; threshold: number }, FlagCount>(
    `SELECT count(*) AS parts, total(s.score >= @threshold) AS flagged
     FROM images i CROSS JOIN scores s ON s.model_id = @modelId AND s.image_id = i.id WHERE i.import_id IS NULL AND ${NOT_TRAINED}`,
  );

  /** The scored images (training images aside) these imports brought in, and how many `threshold` flags. */
  function flagsOfImports(modelId: number, importIds: readonly number[], threshold: number): FlagCount {
    return ofImports.get({ modelId, threshold, ids: JSON.stringify(importIds) })!;
  }

  /** The same over every image an import brought in: every lot together. */
  function flagTotals(modelId: number, threshold: number): FlagCount {
    const p = { modelId, threshold };
    const [all, trained, none] = [everyScore.get(p)!, trainedScores.get(p)!, noImport.get(p)!];
    return { parts: all.parts - trained.parts - none.parts, flagged: all.flagged - trained.flagged - none.flagged };
  }

  /** Every scored image, most anomalous first, with the flag at `threshold` (default: current). */
  function exportRows(modelId: number, threshold?: number, filter: RankingFilter = {}): ExportRow[] {
    const value = threshold ?? thresholds.current(modelId)?.value ?? null;
    const params: Record<string, unknown> = { flagAt: value };
    const where = rankingWhere(modelId, filter, value, params);
    const sql = `SELECT s.image_id AS imageId, i.path, i.label, i.split, i.defect_type AS defectType, i.import_id AS importId, i.added_at AS addedAt, s.score, s.calibrated, s.percentile, s.shift,
        CASE WHEN @flagAt IS NULL THEN NULL ELSE s.score >= @flagAt END AS flagged,
        r.decision, r.note,
        CASE WHEN r.decision IS NULL THEN NULL ELSE r.created_at END AS reviewedAt, CASE WHEN r.decision IS NULL THEN NULL ELSE r.reviewer END AS reviewer,
        EXISTS (SELECT 1 FROM model_images m WHERE m.model_id = s.model_id AND m.image_id = s.image_id) AS trained
      FROM scores s JOIN images i ON i.id = s.image_id ${LATEST_JOIN}
      WHERE ${where.join(' AND ')} ORDER BY s.score DESC, s.image_id`;
    type Raw = Omit<ExportRow, 'flagged' | 'trained'> & { flagged: number | null; trained: number };
    return (prepare(sql).all(params) as Raw[]).map((r) => ({
      ...r,
      flagged: r.flagged === null ? null : r.flagged === 1,
      trained: r.trained === 1,
    }));
  }

  return { countsAt, histogram, exportRows, flagsOfImports, flagTotals };
}

export type ScoreStatsQueries = ReturnType<typeof scoreStatsQueries>;
