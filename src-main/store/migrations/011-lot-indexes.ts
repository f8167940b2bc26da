// Released: never edit this step; add a new numbered one instead.
import type { Migration } from './migration';

// A followed camera keeps an import a minute when parts come: half a million a year. The andon's lot check reads
// only the followed lot's day: its imports by start time, their images by import.
export const migration011: Migration = {
  version: 11,
  name: 'lot-indexes',
  sql: `
CREATE INDEX imports_started ON imports(project_id, started_at);
CREATE INDEX images_import ON images(import_id);`,
};
