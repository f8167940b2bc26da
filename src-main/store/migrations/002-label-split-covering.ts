// Released: never edit this step; add a new numbered one instead.
import type { Migration } from './migration';

// Counts by label and split also count missing files; with `missing` in the index they read only the
// index, not 100k table rows.
export const migration002: Migration = {
  version: 2,
  name: 'label-split-covering',
  sql: `
DROP INDEX images_label_split;
CREATE INDEX images_label_split ON images(project_id, label, split, missing);
`,
};
