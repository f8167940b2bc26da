import type Database from 'better-sqlite3';
import type { ScoreRow } from './types';

const COLUMNS = `model_id AS modelId, image_id AS imageId, latent, recon_top1 AS reconTop1, ssim, feature, recon_z AS reconZ, baseline, shift, score,
  calibrated, percentile, recon_map_path AS reconMapPath, diff_map_path AS diffMapPath, scored_at AS scoredAt`;

export type NewScore = Omit<ScoreRow, 'modelId' | 'scoredAt' | 'latent' | 'reconTop1' | 'ssim' | 'feature' | 'reconZ' | 'baseline' | 'shift' |
  'calibrated' | 'percentile' | 'reconMapPath' | 'diffMapPath'> &
  Partial<Pick<ScoreRow, 'latent' | 'reconTop1' | 'ssim' | 'feature' | 'reconZ' | 'baseline' | 'shift' | 'calibrated' | 'percentile' |
    'reconMapPath' | 'diffMapPath'>>;

export function scoreQueries(db: Database.Database) {
  const upsert = db.prepare(
    `INSERT INTO scores (model_id, image_id, latent, recon_top1, ssim, feature, recon_z, baseline, shift, score,
       calibrated, percentile, recon_map_path, diff_map_path, scored_at)
     VALUES (@modelId, @imageId, @latent, @reconTop1, @ssim, @feature, @reconZ, @baseline, @shift, @score, @calibrated, @percentile,
       @reconMapPath, @diffMapPath, @scoredAt)
     ON CONFLICT (model_id, image_id) DO UPDATE SET latent = excluded.latent, recon_top1 = excluded.recon_top1,
       ssim = excluded.ssim, feature = excluded.feature, recon_z = excluded.recon_z,
       baseline = excluded.baseline, shift = excluded.shift, score = excluded.score, calibrated = excluded.calibrated,
       percentile = excluded.percentile, recon_map_path = excluded.recon_map_path,
       diff_map_path = excluded.diff_map_path, scored_at = excluded.scored_at`,
  );
  const one = db.prepare<[number, number], ScoreRow>(
    `SELECT ${COLUMNS} FROM scores WHERE model_id = ? AND image_id = ?`,
  );
  const ofImage = db.prepare<[number], ScoreRow>(`SELECT ${COLUMNS} FROM scores WHERE image_id = ? ORDER BY model_id`);
  const count = db.prepare<[number], number>('SELECT count(*) FROM scores WHERE model_id = ?').pluck();
  // Present images of the model's project that have no score from it yet, in id order so a resumed job
  // continues where it stopped.
  const todo = db.prepare<{ modelId: number; afterId: number; limit: number }, { id: number; path: string }>(
    `SELECT i.id, i.path FROM images i
     WHERE i.project_id = (SELECT project_id FROM models WHERE id = @modelId) AND i.missing = 0 AND i.id > @afterId
       AND NOT EXISTS (SELECT 1 FROM scores s WHERE s.model_id = @modelId AND s.image_id = i.id)
     ORDER BY i.id LIMIT @limit`,
  );
  const todoCount = db.prepare<{ modelId: number }, number>(
    `SELECT count(*) FROM images i
     WHERE i.project_id = (SELECT project_id FROM models WHERE id = @modelId) AND i.missing = 0
       AND NOT EXISTS (SELECT 1 FROM scores s WHERE s.model_id = @modelId AND s.image_id = i.id)`,
  ).pluck();
  const clear = db.prepare<[number]>('DELETE FROM scores WHERE model_id = ?');
  const baselines = db.prepare<[number], { imageId: number; baseline: number }>(
    'SELECT image_id AS imageId, baseline FROM scores WHERE model_id = ? AND baseline IS NOT NULL',
  );

  const write = db.transaction((modelId: number, rows: NewScore[], scoredAt: number) => {
    for (const r of rows) {
      if (!Number.isFinite(r.score)) throw new Error(`Score of image ${r.imageId} is not a finite number.`);
      upsert.run({
        latent: null,
        reconTop1: null,
        ssim: null,
        feature: null,
        reconZ: null,
        baseline: null,
        shift: null,
        calibrated: null,
        percentile: null,
        reconMapPath: null,
        diffMapPath: null,
        ...r,
        modelId,
        scoredAt,
      });
    }
  });

  return {
    /** Writes (or rewrites) a batch of scores in one transaction. */
    write(modelId: number, rows: NewScore[]): void {
      write(modelId, rows, Date.now());
    },
    get(modelId: number, imageId: number): ScoreRow | undefined {
      return one.get(modelId, imageId);
    },
    ofImage(imageId: number): ScoreRow[] {
      return ofImage.all(imageId);
    },
    count(modelId: number): number {
      return count.get(modelId)!;
    },
    /** The next images the model still has to score (for resume); page with `afterId`. */
    toScore(modelId: number, limit = 1000, afterId = 0): { id: number; path: string }[] {
      return todo.all({ modelId, afterId, limit });
    },
    toScoreCount(modelId: number): number {
      return todoCount.get({ modelId })!;
    },
    clear(modelId: number): void {
      clear.run(modelId);
    },
    /** The model-free baseline's score of each image the model scored (image id -> score), where it was stored. */
    baselines(modelId: number): Map<number, number> {
      return new Map(baselines.all(modelId).map((r) => [r.imageId, r.baseline]));
    },
  };
}

export type ScoreQueries = ReturnType<typeof scoreQueries>;
