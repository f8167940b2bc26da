// Released: never edit this step; add a new numbered one instead.
import type { Migration } from './migration';

// Who made each review, as the reviewer gave their name (an audit asks who dispositioned a part, not only when);
// NULL for reviews made before, or without a name. Append-only like the rest of the row: the trigger is rebuilt
// to refuse changing it (model_id stays out of it: deleting a model sets it NULL).
export const migration014: Migration = {
  version: 14,
  name: 'reviewer',
  sql: `
ALTER TABLE reviews ADD COLUMN reviewer TEXT CHECK (reviewer IS NULL OR length(reviewer) BETWEEN 1 AND 100);
DROP TRIGGER reviews_no_update;
CREATE TRIGGER reviews_no_update BEFORE UPDATE OF image_id, decision, note, created_at, reverts, reviewer ON reviews
BEGIN
  SELECT RAISE(ABORT, 'reviews are append-only');
END;
`,
};
