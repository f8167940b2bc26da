// Released: never edit this step; add a new numbered one instead.
import type { Migration } from './migration';

// A threshold may come from a required share of known defects caught (source 'recall'). SQLite cannot relax
// a CHECK in place, so `thresholds` is rebuilt; no table references it, so foreign keys may stay on.
export const migration008: Migration = {
  version: 8,
  name: 'recall-thresholds',
  sql: `
CREATE TABLE thresholds_v8 (
  id INTEGER PRIMARY KEY,
  model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  value REAL NOT NULL,
  lower REAL CHECK (lower IS NULL OR lower <= value),
  source TEXT NOT NULL CHECK (source IN ('manual', 'best-f1', 'percentile', 'recall')),
  created_at INTEGER NOT NULL
);
INSERT INTO thresholds_v8 SELECT id, model_id, value, lower, source, created_at FROM thresholds;
DROP TABLE thresholds;
ALTER TABLE thresholds_v8 RENAME TO thresholds;
CREATE INDEX thresholds_model ON thresholds(model_id, id);
`,
};
