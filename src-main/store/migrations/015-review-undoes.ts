// Released: never edit this step; add a new numbered one instead.
import type { Migration } from './migration';

// An undo that restores an earlier decision is a row with that decision; until now nothing marked it as an undo (a
// row with a decision may not name `reverts`), so an audit read it as a fresh decision. `undoes` names the review it
// took back. Append-only like the rest of the row.
export const migration015: Migration = {
  version: 15,
  name: 'review-undoes',
  sql: `
ALTER TABLE reviews ADD COLUMN undoes INTEGER REFERENCES reviews(id);
DROP TRIGGER reviews_no_update;
CREATE TRIGGER reviews_no_update BEFORE UPDATE OF image_id, decision, note, created_at, reverts, reviewer, undoes ON reviews
BEGIN
  SELECT RAISE(ABORT, 'reviews are append-only');
END;
`,
};
