// Released: never edit this step; add a new numbered one instead.
import type { Migration } from './migration';

// An import says why it skipped a file: `skipped` stays "already in the project at that path"; masks
// (MVTec ground_truth/) and entries named like images that are no regular file (FIFOs, sockets,
// devices) get their own counts, instead of reading as "already known" or vanishing.
export const migration004: Migration = {
  version: 4,
  name: 'import-skip-reasons',
  sql: `
ALTER TABLE imports ADD COLUMN masks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN not_files INTEGER NOT NULL DEFAULT 0;
`,
};
