// The review screen's queries: images ranked by score with filters, and the counts at a threshold.
// 'Flagged' is derived (score >= threshold) so moving the threshold rewrites nothing.
import type Database from 'better-sqlite3';
import { imageFilterSql, type ImageFilter } from './images';
import { thresholdQueries } from './thresholds';
import type { Decision, Label, Split } from './types';

export interface RankingFilter extends ImageFilter {
  /** true: only score >= threshold; false: only below it. Uses `threshold`, else the model's current one. */
  flagged?: boolean;
  /** Only images nobody has reviewed yet. */
  unreviewed?: boolean;
  /** Latest review decision ('none' = unreviewed). */
  decision?: Decision | 'none';
  /** Leave out the images the model trained or validated on: their scores are no evidence (a lot's flags count
   *  without them). */
  notTrained?: boolean;
}

export interface Cursor {
  score: number;
  imageId: number;
}

export interface PageRequest {
  limit?: number;
  /** Keyset paging: the `next` cursor of the previous page. Preferred over offset for deep pages. */
  after?: Cursor;
  offset?: number;
  /** 'desc' (default): most anomalous first. */
  order?: 'desc' | 'asc';
  /** Overrides the model's current threshold for `flagged`. */
  threshold?: number;
}

export interface RankedImage {
  imageId: number;
  path: string;
  hash: string;
  /** When the image came into the library (ms). */
  addedAt: number;
  thumbnailPath: string | null;
  folder: string;
  label: Label | null;
  split: Split | null;
  defectType: string | null;
  missing: boolean;
  score: number;
  latent: number | null;
  reconTop1: number | null;
  ssim: number | null;
  feature: number | null;
  reconZ: number | null;
  baseline: number | null;
  calibrated: number | null;
  percentile: number | null;
  reconMapPath: string | null;
  diffMapPath: string | null;
  /** null when the model has no threshold yet. */
  flagged: boolean | null;
  /** In the uncertain band: lower <= score < threshold. */
  uncertain: boolean;
  decision: Decision | null;
  note: string | null;
}

export interface RankingPage {
  rows: RankedImage[];
  next: Cursor | null;
  threshold: number | null;
}

/** Latest review decision of the image in `s`, by the reviews(image_id, id) index. */
const LATEST_DECISION = '(SELECT r1.decision FROM reviews r1 WHERE r1.image_id = s.image_id ORDER BY r1.id DESC LIMIT 1)';

/** Joins the latest review of the image in `s` as `r` (one index probe per row; null columns if none). */
export const LATEST_JOIN =
  'LEFT JOIN reviews r ON r.id = (SELECT max(r2.id) FROM reviews r2 WHERE r2.image_id = s.image_id)';

export function statementCache(db: Database.Database) {
  const cache = new Map<string, Database.Statement>();
  return (sql: string): Database.Statement => {
    let stmt = cache.get(sql);
    if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
    return stmt;
  };
}

/** WHERE conditions over scores `s` joined to images `i`, shared by ranking, counts and histogram. */
export function rankingWhere(
  modelId: number,
  f: RankingFilter,
  threshold: number | null,
  params: Record<string, unknown>,
): string[] {
  params.modelId = modelId;
  const where = ['s.model_id = @modelId', ...imageFilterSql(f, params)];
  if (f.flagged !== undefined) {
    if (threshold === null) throw new Error(`Model ${modelId} has no threshold yet, so nothing can be flagged.`);
    params.threshold = threshold;
    where.push(f.flagged ? 's.score >= @threshold' : 's.score < @threshold');
  }
  if (f.unreviewed || f.decision === 'none') {
    // No review at all, or a latest row that reverts one (decision NULL).
    where.push(`${LATEST_DECISION} IS NULL`);
  } else if (f.decision) {
    params.decision = f.decision;
    where.push(`${LATEST_DECISION} = @decision`);
  }
  if (f.notTrained) where.push('NOT EXISTS (SELECT 1 FROM model_images t WHERE t.model_id = s.model_id AND t.image_id = s.image_id)');
  return where;
}

export function rankingQueries(db: Database.Database) {
  const prepare = statementCache(db);
  const thresholds = thresholdQueries(db); // which row is the model's threshold is theirs to say

  function thresholdOf(modelId: number, override?: number) {
    const t = thresholds.current(modelId);
    return { value: override ?? t?.value ?? null, lower: t?.lower ?? null };
  }

  function rank(modelId: number, filter: RankingFilter = {}, page: PageRequest = {}): RankingPage {
    const t = thresholdOf(modelId, page.threshold);
    const desc = page.order !== 'asc';
    const params: Record<string, unknown> = { limit: Math.max(1, Math.min(page.limit ?? 100, 5000)) };
    const where = rankingWhere(modelId, filter, t.value, params);
    if (page.after) {
      Object.assign(params, { afterScore: page.after.score, afterId: page.after.imageId });
      where.push(
        desc
          ? '(s.score < @afterScore OR (s.score = @afterScore AND s.image_id > @afterId))'
          : '(s.score > @afterScore OR (s.score = @afterScore AND s.image_id < @afterId))',
      );
    }
    params.offset = page.after ? 0 : Math.max(0, page.offset ?? 0);
    params.flagAt = t.value;
    params.lower = t.lower;
    const sql = `SELECT s.image_id AS imageId, i.path, i.hash, i.added_at AS addedAt, i.thumbnail_path AS thumbnailPath, i.folder, i.label, i.split,
        i.defect_type AS defectType, i.missing, s.score, s.latent, s.recon_top1 AS reconTop1, s.ssim, s.feature, s.recon_z AS reconZ, s.baseline,
        s.calibrated, s.percentile, s.recon_map_path AS reconMapPath, s.diff_map_path AS diffMapPath,
        CASE WHEN @flagAt IS NULL THEN NULL ELSE s.score >= @flagAt END AS flagged,
        (@lower IS NOT NULL AND s.score >= @lower AND (@flagAt IS NULL OR s.score < @flagAt)) AS uncertain,
        r.decision, r.note
      FROM scores s JOIN images i ON i.id = s.image_id ${LATEST_JOIN}
      WHERE ${where.join(' AND ')}
      ORDER BY s.score ${desc ? 'DESC' : 'ASC'}, s.image_id ${desc ? 'ASC' : 'DESC'}
      LIMIT @limit OFFSET @offset`;
    const raw = prepare(sql).all(params) as (Omit<RankedImage, 'missing' | 'flagged' | 'uncertain'> & {
      missing: number;
      flagged: number | null;
      uncertain: number;
    })[];
    const rows = raw.map((r) => ({
      ...r,
      missing: r.missing === 1,
      flagged: r.flagged === null ? null : r.flagged === 1,
      uncertain: r.uncertain === 1,
    }));
    const last = rows[rows.length - 1];
    const full = rows.length === params.limit;
    return { rows, next: full && last ? { score: last.score, imageId: last.imageId } : null, threshold: t.value };
  }

  return { rank, thresholdOf };
}

export type RankingQueries = ReturnType<typeof rankingQueries>;
