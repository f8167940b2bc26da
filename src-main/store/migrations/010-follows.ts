// Released: never edit this step; add a new numbered one instead.
import type { Migration } from './migration';

// A followed camera folder outlives the app: a line PC restarted overnight goes on following in the morning.
// One row per project (what it follows replaces what it followed); the model's row going sets model_id NULL
// (the folder is still imported), the project's takes the row.
export const migration010: Migration = {
  version: 10,
  name: 'follows',
  sql: `
CREATE TABLE follows (
  project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  import_id INTEGER NOT NULL,
  roots TEXT NOT NULL,
  model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
  failed INTEGER NOT NULL,
  since INTEGER NOT NULL
);`,
};
