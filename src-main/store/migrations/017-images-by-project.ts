// Released: never edit this step; add a new numbered one instead.
import type { Migration } from './migration';

// Every project-wide listing in id order (what a new model would train on, a snapshot's ids) is read in keyset pages
// (`project_id = ? AND id > ? ORDER BY id`). No index served that order: each page read all the project's rows through
// another index and sorted them, so 100k images took 20 such sorts. An index on the project alone is in id order.
export const migration017: Migration = {
  version: 17,
  name: 'images-by-project',
  sql: `
CREATE INDEX images_project ON images(project_id);`,
};
