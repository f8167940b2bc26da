// Released: never edit this step; add a new numbered one instead.
import type { Migration } from './migration';

// Two more score kinds per image (structural `ssim`, discriminator-feature `feature`), and models may rank
// by them or be 'auto' until training has chosen their kind on synthetic defects. SQLite cannot relax a
// CHECK in place, so `models` is rebuilt; foreign keys are off meanwhile (the tables referencing models
// would otherwise lose their rows to ON DELETE CASCADE when the old table is dropped) and checked after.
export const migration005: Migration = {
  version: 5,
  name: 'score-kinds',
  foreignKeysOff: true,
  sql: `
ALTER TABLE scores ADD COLUMN ssim REAL;
ALTER TABLE scores ADD COLUMN feature REAL;
CREATE TABLE models_v5 (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  options TEXT NOT NULL DEFAULT '{}',
  backend TEXT,
  file_list_hash TEXT NOT NULL,
  validation_stats TEXT,
  score_kind TEXT NOT NULL DEFAULT 'latent'
    CHECK (score_kind IN ('latent', 'recon-top1', 'ssim', 'feature', 'baseline', 'auto')),
  weights_dir TEXT,
  status TEXT NOT NULL CHECK (status IN ('training', 'ready', 'failed', 'cancelled', 'interrupted')),
  created_at INTEGER NOT NULL,
  training_ms INTEGER,
  UNIQUE (project_id, name)
);
INSERT INTO models_v5 SELECT id, project_id, name, options, backend, file_list_hash, validation_stats, score_kind,
  weights_dir, status, created_at, training_ms FROM models;
DROP TABLE models;
ALTER TABLE models_v5 RENAME TO models;
`,
};
