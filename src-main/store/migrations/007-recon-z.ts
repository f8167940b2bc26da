// Released: never edit this step; add a new numbered one instead.
import type { Migration } from './migration';

// One more score kind per image: `recon-z`, the reconstruction error as z-scores against the good parts'
// per-pixel error, and models may rank by it. SQLite cannot relax a CHECK in place, so `models` is rebuilt
// as in step 5 (foreign keys off meanwhile, checked after), keeping step 6's patch_scale.
export const migration007: Migration = {
  version: 7,
  name: 'recon-z',
  foreignKeysOff: true,
  sql: `
ALTER TABLE scores ADD COLUMN recon_z REAL;
CREATE TABLE models_v7 (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  options TEXT NOT NULL DEFAULT '{}',
  backend TEXT,
  file_list_hash TEXT NOT NULL,
  validation_stats TEXT,
  score_kind TEXT NOT NULL DEFAULT 'latent'
    CHECK (score_kind IN ('latent', 'recon-top1', 'ssim', 'feature', 'recon-z', 'baseline', 'auto')),
  weights_dir TEXT,
  status TEXT NOT NULL CHECK (status IN ('training', 'ready', 'failed', 'cancelled', 'interrupted')),
  created_at INTEGER NOT NULL,
  training_ms INTEGER,
  patch_scale REAL,
  UNIQUE (project_id, name)
);
INSERT INTO models_v7 SELECT id, project_id, name, options, backend, file_list_hash, validation_stats, score_kind,
  weights_dir, status, created_at, training_ms, patch_scale FROM models;
DROP TABLE models;
ALTER TABLE models_v7 RENAME TO models;
`,
};
