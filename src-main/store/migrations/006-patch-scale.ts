// Released: never edit this step; add a new numbered one instead.
import type { Migration } from './migration';

// Patch mode: the crop scale a model was trained and scores at (native pixels per model pixel, the crop
// option resolved at training time), so the models table and Compare can say it. NULL: whole images
// (every model trained before patch mode) or not trained yet.
export const migration006: Migration = {
  version: 6,
  name: 'patch-scale',
  sql: `
ALTER TABLE models ADD COLUMN patch_scale REAL;
`,
};
