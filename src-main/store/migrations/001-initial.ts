// Released: never edit this step; add a new numbered one instead.
import type { Migration } from './migration';

export const migration001: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE projects (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

CREATE TABLE imports (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  roots TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'done', 'interrupted')),
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  seen INTEGER NOT NULL DEFAULT 0,
  imported INTEGER NOT NULL DEFAULT 0,
  duplicate INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  moved INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX imports_project ON imports(project_id, id);

CREATE TABLE import_errors (
  id INTEGER PRIMARY KEY,
  import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX import_errors_import ON import_errors(import_id, id);

CREATE TABLE images (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  hash TEXT NOT NULL,
  width INTEGER NOT NULL CHECK (width > 0),
  height INTEGER NOT NULL CHECK (height > 0),
  channels INTEGER NOT NULL CHECK (channels IN (1, 3)),
  has_alpha INTEGER NOT NULL DEFAULT 0 CHECK (has_alpha IN (0, 1)),
  format TEXT NOT NULL,
  bit_depth INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  mtime_ms INTEGER,
  label TEXT CHECK (label IN ('good', 'defect')),
  split TEXT CHECK (split IN ('train', 'test')),
  defect_type TEXT,
  folder TEXT NOT NULL,
  import_id INTEGER REFERENCES imports(id) ON DELETE SET NULL,
  thumbnail_path TEXT,
  added_at INTEGER NOT NULL,
  missing INTEGER NOT NULL DEFAULT 0 CHECK (missing IN (0, 1)),
  UNIQUE (project_id, hash)
);
CREATE INDEX images_path ON images(project_id, path);
CREATE INDEX images_folder ON images(project_id, folder);
CREATE INDEX images_label_split ON images(project_id, label, split);

CREATE TABLE models (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  options TEXT NOT NULL DEFAULT '{}',
  backend TEXT,
  file_list_hash TEXT NOT NULL,
  validation_stats TEXT,
  score_kind TEXT NOT NULL DEFAULT 'latent' CHECK (score_kind IN ('latent', 'recon-top1', 'baseline')),
  weights_dir TEXT,
  status TEXT NOT NULL CHECK (status IN ('training', 'ready', 'failed', 'cancelled', 'interrupted')),
  created_at INTEGER NOT NULL,
  training_ms INTEGER,
  UNIQUE (project_id, name)
);

-- The dataset snapshot: exactly which images a model was trained on.
CREATE TABLE model_images (
  model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  PRIMARY KEY (model_id, image_id)
) WITHOUT ROWID;
CREATE INDEX model_images_image ON model_images(image_id);

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('train', 'score', 'import')),
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
  params TEXT NOT NULL DEFAULT '{}',
  progress REAL NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
  phase TEXT,
  message TEXT,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  result TEXT
);
CREATE INDEX jobs_status ON jobs(status, id);

CREATE TABLE training_runs (
  id INTEGER PRIMARY KEY,
  model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled', 'interrupted')),
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  epoch_kept INTEGER,
  error TEXT
);
CREATE INDEX training_runs_model ON training_runs(model_id, id);

CREATE TABLE training_epochs (
  run_id INTEGER NOT NULL REFERENCES training_runs(id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL,
  err_g REAL,
  err_d REAL,
  err_adv REAL,
  err_con REAL,
  err_enc REAL,
  validation TEXT,
  seconds REAL NOT NULL,
  PRIMARY KEY (run_id, epoch)
) WITHOUT ROWID;

CREATE TABLE scores (
  model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  latent REAL,
  recon_top1 REAL,
  baseline REAL,
  score REAL NOT NULL,
  calibrated REAL,
  percentile REAL,
  recon_map_path TEXT,
  diff_map_path TEXT,
  scored_at INTEGER NOT NULL,
  PRIMARY KEY (model_id, image_id)
) WITHOUT ROWID;
-- Ranking walks this index in order; image_id breaks ties so keyset paging is stable.
CREATE INDEX scores_rank ON scores(model_id, score DESC, image_id);
CREATE INDEX scores_image ON scores(image_id);

CREATE TABLE thresholds (
  id INTEGER PRIMARY KEY,
  model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  value REAL NOT NULL,
  lower REAL CHECK (lower IS NULL OR lower <= value),
  source TEXT NOT NULL CHECK (source IN ('manual', 'best-f1', 'percentile')),
  created_at INTEGER NOT NULL
);
CREATE INDEX thresholds_model ON thresholds(model_id, id);

-- Append-only audit trail; the latest row per image is the current decision.
CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
  decision TEXT NOT NULL CHECK (decision IN ('good', 'defect', 'unsure')),
  note TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX reviews_image ON reviews(image_id, id);
CREATE TRIGGER reviews_no_update BEFORE UPDATE OF image_id, decision, note, created_at ON reviews
BEGIN
  SELECT RAISE(ABORT, 'reviews are append-only');
END;

CREATE VIEW latest_reviews AS
  SELECT r.image_id, r.id, r.model_id, r.decision, r.note, r.created_at
  FROM reviews r
  JOIN (SELECT image_id, MAX(id) AS id FROM reviews GROUP BY image_id) m ON m.id = r.id;
`,
};
