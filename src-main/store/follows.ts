import type Database from 'better-sqlite3';
import { thresholdQueries } from './thresholds';

/** A project's followed folders (api/follow.ts), kept so following resumes when the app starts again. */
export interface FollowRow {
  projectId: number;
  importId: number;
  roots: string[];
  modelId: number | null;
  /** Files the followed import could not read. */
  failed: number;
  since: number;
}

interface RawFollow extends Omit<FollowRow, 'roots'> { roots: string }

const COLUMNS = 'project_id AS projectId, import_id AS importId, roots, model_id AS modelId, failed, since';

export function followQueries(db: Database.Database) {
  const save = db.prepare<RawFollow>(
    `INSERT INTO follows (project_id, import_id, roots, model_id, failed, since)
     VALUES (@projectId, @importId, @roots, @modelId, @failed, @since)
     ON CONFLICT (project_id) DO UPDATE SET import_id = @importId, roots = @roots, model_id = @modelId, failed = @failed, since = @since`,
  );
  const remove = db.prepare<[number]>('DELETE FROM follows WHERE project_id = ?');
  const all = db.prepare<[], RawFollow>(`SELECT ${COLUMNS} FROM follows ORDER BY project_id`);
  const ofProject = db.prepare<[number], RawFollow>(`SELECT ${COLUMNS} FROM follows WHERE project_id = ?`);
  // Driven from the model's flagged scores (scores_rank), few of a line's parts; the latest review by reviews_image.
  const flagged = db.prepare<{ modelId: number; since: number; threshold: number }, { count: number; newest: number | null }>(
    `SELECT count(*) AS count, max(i.added_at) AS newest
     FROM scores s JOIN images i ON i.id = s.image_id
     WHERE s.model_id = @modelId
       AND s.score >= @threshold
       AND i.added_at >= @since AND i.missing = 0
       AND NOT EXISTS (SELECT 1 FROM model_images t WHERE t.model_id = @modelId AND t.image_id = i.id)
       AND (SELECT decision FROM reviews r WHERE r.image_id = i.id ORDER BY r.id DESC LIMIT 1) IS NULL`,
  );
  const thresholds = thresholdQueries(db); // which threshold is the model's saved one is theirs to say
  const toRow = (r: RawFollow): FollowRow => ({ ...r, roots: JSON.parse(r.roots) as string[] });
  return {
    /** What the project follows now (replacing what it followed). */
    save(f: FollowRow): void {
      save.run({ ...f, roots: JSON.stringify(f.roots) });
    },
    remove(projectId: number): void {
      remove.run(projectId);
    },
    all(): FollowRow[] {
      return all.all().map(toRow);
    },
    /**
     * Parts that came into the library since `since` which the model flags at its saved threshold and nobody has
     * reviewed yet (its own training images aside: their scores are no evidence), and when the newest of them came;
     * null when the model has no threshold (nothing is flagged).
     */
    flaggedUnreviewed(modelId: number, since: number): { count: number; newest: number | null } | null {
      const t = thresholds.current(modelId);
      return t ? flagged.get({ modelId, since, threshold: t.value })! : null;
    },
    get(projectId: number): FollowRow | null {
      const r = ofProject.get(projectId);
      return r ? toRow(r) : null;
    },
  };
}
