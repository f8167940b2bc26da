import type Database from 'better-sqlite3';
import { DECISIONS } from '../shared/vocabulary';
import type { Decision, Review } from './types';

// `reverts`: the review a row takes back, whether it leaves the image unreviewed (the column `reverts`) or restores an
// earlier decision (`undoes`).
const COLUMNS = 'id, image_id AS imageId, model_id AS modelId, decision, note, created_at AS createdAt, coalesce(reverts, undoes) AS reverts, reviewer';

export interface NewReview {
  imageId: number;
  modelId?: number | null;
  decision: Decision;
  note?: string | null;
  /** Who decides, as they gave their name. */
  reviewer?: string | null;
  /** An undo that restores an earlier decision: the review it takes back. */
  undoes?: number | null;
}

/** One row of an audit trail: a decision, or an undo (`reverts`: the review it took back); one whose part was taken out
 *  of its project (its folder removed, or the project deleted: migration 16) says when and how. */
export type ReviewTrailRow = Review & { path: string; project: string; removedAt: number | null; removedWith: 'folder' | 'project' | null };

const LIVE_TRAIL = `SELECT r.id, r.created_at AS createdAt, r.image_id AS imageId, i.path, r.decision, r.note, r.reviewer, r.model_id AS modelId,
  coalesce(r.reverts, r.undoes) AS reverts, p.name AS project, NULL AS removedAt, NULL AS removedWith
  FROM reviews r JOIN images i ON i.id = r.image_id JOIN projects p ON p.id = i.project_id`;
const REMOVED_TRAIL = (project: string) => `SELECT k.review_id, k.created_at, k.image_id, k.path, k.decision, k.note, k.reviewer, k.model_id,
  coalesce(k.reverts, k.undoes), ${project}, k.removed_at, k.removed_with FROM removed_reviews k`;

// Append-only (a trigger refuses updates): the latest row per image is its current decision.
export function reviewQueries(db: Database.Database) {
  const insert = db.prepare<[number, number | null, Decision, string | null, number, string | null, number | null], Review>(
    `INSERT INTO reviews (image_id, model_id, decision, note, created_at, reviewer, undoes) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
  );
  const insertRevert = db.prepare<[number, number | null, number, number, string | null], Review>(
    `INSERT INTO reviews (image_id, model_id, decision, note, created_at, reverts, reviewer) VALUES (?, ?, NULL, NULL, ?, ?, ?) RETURNING ${COLUMNS}`,
  );
  const latest = db.prepare<[number], Review>(
    `SELECT ${COLUMNS} FROM reviews WHERE image_id = ? ORDER BY id DESC LIMIT 1`,
  );
  const history = db.prepare<[number], Review>(`SELECT ${COLUMNS} FROM reviews WHERE image_id = ? ORDER BY id DESC`);
  const decisions = db.prepare<[number], { imageId: number; decision: Decision }>(
    `SELECT l.image_id AS imageId, l.decision FROM latest_reviews l JOIN images i ON i.id = l.image_id WHERE i.project_id = ?`,
  );
  // A project's folders taken out are its own (a project id is reused, so the project is matched by its creation too); its
  // current name is theirs. Review ids are never reused since migration 16, so the id orders both as written.
  const trail = db.prepare<[number, number], ReviewTrailRow>(
    `${LIVE_TRAIL} WHERE p.id = ?
     UNION ALL ${REMOVED_TRAIL('p.name')} JOIN projects p ON p.id = k.project_id AND p.created_at = k.project_created_at WHERE p.id = ?
     ORDER BY 1`,
  );
  // A part taken out with its folder and imported again is a new image of the same content (the hash): its last decision
  // before it went, in this project, while it has no review of its own.
  const carried = db.prepare<[number, number], { imageId: number; decision: Decision }>(
    `WITH last AS (SELECT k.hash, max(k.review_id) AS id FROM removed_reviews k
       JOIN projects p ON p.id = k.project_id AND p.created_at = k.project_created_at WHERE p.id = ? GROUP BY k.hash)
     SELECT i.id AS imageId, k.decision FROM last JOIN removed_reviews k ON k.review_id = last.id
       JOIN images i ON i.project_id = ? AND i.hash = last.hash
     WHERE k.decision IS NOT NULL AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.image_id = i.id)`,
  );
  const beforeRemoval = db.prepare<[number], Review & { removedAt: number }>(
    `SELECT k.review_id AS id, k.image_id AS imageId, k.model_id AS modelId, k.decision, k.note, k.created_at AS createdAt,
       coalesce(k.reverts, k.undoes) AS reverts, k.reviewer, k.removed_at AS removedAt
     FROM images i JOIN projects p ON p.id = i.project_id
     JOIN removed_reviews k ON k.project_id = p.id AND k.project_created_at = p.created_at AND k.hash = i.hash
     WHERE i.id = ? ORDER BY k.review_id DESC`,
  );
  const libraryTrail = db.prepare<[], ReviewTrailRow>(`${LIVE_TRAIL} UNION ALL ${REMOVED_TRAIL('k.project_name')} ORDER BY 1`);
  const counts = db.prepare<[number], { decision: Decision; count: number }>(
    `SELECT l.decision, count(*) AS count FROM latest_reviews l JOIN images i ON i.id = l.image_id
     WHERE i.project_id = ? GROUP BY l.decision`,
  );

  function check(r: NewReview): void {
    if (!DECISIONS.includes(r.decision)) throw new Error(`Unknown review decision "${r.decision}".`);
  }
  const addMany = db.transaction((rows: NewReview[], at: number) =>
    rows.map((r) => insert.get(r.imageId, r.modelId ?? null, r.decision, r.note ?? null, at, r.reviewer ?? null, r.undoes ?? null)!),
  );

  return {
    add(r: NewReview): Review {
      check(r);
      return insert.get(r.imageId, r.modelId ?? null, r.decision, r.note ?? null, Date.now(), r.reviewer ?? null, r.undoes ?? null)!;
    },
    /** One decision for many images (a bulk review), in one transaction. */
    addMany(rows: NewReview[]): Review[] {
      rows.forEach(check);
      return addMany(rows, Date.now());
    },
    /**
     * Takes back review `reviewId` with a revert row, so the image reads as it was before that review
     * (unreviewed when it was the first); the audit trail keeps both rows, and who took it back.
     */
    revert(imageId: number, reviewId: number, modelId: number | null = null, reviewer: string | null = null): Review {
      return insertRevert.get(imageId, modelId, Date.now(), reviewId, reviewer)!;
    },
    /** Every review of the project's images, oldest first, undos included, and those of folders taken out of it:
     *  the audit trail as it was written. */
    trail(projectId: number): ReviewTrailRow[] {
      return trail.all(projectId, projectId);
    },
    /** Every project's trail, those of deleted projects included, oldest first. */
    libraryTrail(): ReviewTrailRow[] {
      return libraryTrail.all();
    },
    /** The current decision, or undefined when the image is unreviewed (never reviewed, or reverted). */
    latest(imageId: number): Review | undefined {
      const r = latest.get(imageId);
      return r && r.decision !== null ? r : undefined;
    },
    /** The audit trail, newest first. */
    history(imageId: number): Review[] {
      return history.all(imageId);
    },
    /** The current decision of every reviewed image of a project (image id -> decision). */
    decisions(projectId: number): Map<number, Decision> {
      return new Map(decisions.all(projectId).map((r) => [r.imageId, r.decision]));
    },
    /** For the project's parts taken out with their folder and imported again, unreviewed since: the decision each had
     *  when it went (image id -> decision). Their reviews stay in the trail, not on the new image: nobody reviewed it. */
    carriedDecisions(projectId: number): Map<number, Decision> {
      return new Map(carried.all(projectId, projectId).map((r) => [r.imageId, r.decision]));
    },
    /** The reviews this image's content had in its project before its folder was taken out (it was imported again
     *  since), newest first; `imageId` is the image that went. */
    beforeRemoval(imageId: number): (Review & { removedAt: number })[] {
      return beforeRemoval.all(imageId);
    },
    /** Images per current decision in a project. */
    counts(projectId: number): Record<Decision, number> {
      const out: Record<Decision, number> = { good: 0, defect: 0, unsure: 0 };
      for (const r of counts.all(projectId)) out[r.decision] = r.count;
      return out;
    },
  };
}

export type ReviewQueries = ReturnType<typeof reviewQueries>;
