// The status screen's numbers in one call: images, reviews, models and jobs of a project.
import type Database from 'better-sqlite3';
import type { Decision, Job, JobStatus, ModelStatus, ScoreKind } from './types';
import { jobQueries } from './jobs';
import { imageQueries, type LabelSplitCount } from './images';
import { reviewQueries } from './reviews';
import { scoreQueries } from './scores';
import { followQueries, type FollowRow } from './follows';

export interface ModelSummary {
  id: number;
  name: string;
  status: ModelStatus;
  scoreKind: ScoreKind;
  createdAt: number;
  scored: number;
  /** Present images of the project it has not scored (imported since it scored). */
  unscored: number;
  threshold: number | null;
  flagged: number | null;
  /** The folder a model trained elsewhere came from; null for one trained here. */
  importedFrom: string | null;
}

export interface StatusSummary {
  images: { total: number; missing: number; byLabelSplit: LabelSplitCount[] };
  reviews: Record<Decision, number>;
  models: ModelSummary[];
  jobs: { counts: Record<JobStatus, number>; active: Job[] };
  lastImport: { id: number; status: string; startedAt: number; finishedAt: number | null } | null;
  /** The camera folder the app or `serve` follows for the project (looked at while one of them runs), and how many
   *  parts come in since then its model flags and nobody has reviewed (null: no model, or no threshold). */
  following: (FollowRow & { flaggedUnreviewed: { count: number; newest: number | null } | null }) | null;
}

export function summaryQueries(db: Database.Database) {
  const images = imageQueries(db);
  const reviews = reviewQueries(db);
  const jobs = jobQueries(db);
  const scores = scoreQueries(db);
  const follows = followQueries(db);
  const followingOf = (projectId: number): StatusSummary['following'] => {
    const f = follows.get(projectId);
    return f && { ...f, flaggedUnreviewed: f.modelId === null ? null : follows.flaggedUnreviewed(f.modelId, f.since) };
  };
  const models = db.prepare<[number], Omit<ModelSummary, 'unscored'>>(
    `SELECT m.id, m.name, m.status, m.score_kind AS scoreKind, m.created_at AS createdAt, m.imported_from AS importedFrom,
       (SELECT count(*) FROM scores s WHERE s.model_id = m.id) AS scored, t.value AS threshold,
       CASE WHEN t.value IS NULL THEN NULL
         ELSE (SELECT count(*) FROM scores s WHERE s.model_id = m.id AND s.score >= t.value) END AS flagged
     FROM models m
     LEFT JOIN thresholds t ON t.id = (SELECT max(id) FROM thresholds WHERE model_id = m.id)
     WHERE m.project_id = ? ORDER BY m.id DESC`,
  );
  const lastImport = db.prepare<[number], StatusSummary['lastImport'] & object>(
    `SELECT id, status, started_at AS startedAt, finished_at AS finishedAt FROM imports
     WHERE project_id = ? ORDER BY id DESC LIMIT 1`,
  );

  return {
    summary(projectId: number): StatusSummary {
      // One read transaction so the numbers agree with each other.
      return db.transaction(() => {
        const byLabelSplit = images.countsByLabelSplit(projectId);
        const active = jobs.active().filter(
          (j) => j.projectId === null || j.projectId === projectId,
        );
        return {
          images: {
            total: byLabelSplit.reduce((a, r) => a + r.count, 0),
            missing: byLabelSplit.reduce((a, r) => a + r.missing, 0),
            byLabelSplit,
          },
          reviews: reviews.counts(projectId),
          models: models.all(projectId).map((m) => ({ ...m, unscored: scores.toScoreCount(m.id) })),
          jobs: { counts: jobs.counts(), active },
          lastImport: lastImport.get(projectId) ?? null,
          following: followingOf(projectId),
        };
      })();
    },
  };
}

export type SummaryQueries = ReturnType<typeof summaryQueries>;
