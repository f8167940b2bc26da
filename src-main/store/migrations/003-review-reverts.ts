// Released: never edit this step; add a new numbered one instead.
import type { Migration } from './migration';

// Undoing an image's only review must return it to "unreviewed" without deleting the audit trail: a
// revert row (decision NULL, `reverts` = the review it takes back) is appended instead. SQLite cannot
// relax a NOT NULL/CHECK in place, so the table is rebuilt with its index, trigger and view.
// `latest_reviews` keeps only images whose latest row is a decision, so a reverted image reads as unreviewed.
export const migration003: Migration = {
  version: 3,
  name: 'review-reverts',
  sql: `
DROP VIEW latest_reviews;
DROP TRIGGER reviews_no_update;
CREATE TABLE reviews_v3 (
  id INTEGER PRIMARY KEY,
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
  decision TEXT CHECK (decision IS NULL OR decision IN ('good', 'defect', 'unsure')),
  note TEXT,
  created_at INTEGER NOT NULL,
  reverts INTEGER REFERENCES reviews_v3(id),
  CHECK ((decision IS NULL) = (reverts IS NOT NULL))
);
INSERT INTO reviews_v3 (id, image_id, model_id, decision, note, created_at)
  SELECT id, image_id, model_id, decision, note, created_at FROM reviews;
DROP TABLE reviews;
ALTER TABLE reviews_v3 RENAME TO reviews;
CREATE INDEX reviews_image ON reviews(image_id, id);
CREATE TRIGGER reviews_no_update BEFORE UPDATE OF image_id, decision, note, created_at, reverts ON reviews
BEGIN
  SELECT RAISE(ABORT, 'reviews are append-only');
END;
CREATE VIEW latest_reviews AS
  SELECT r.image_id, r.id, r.model_id, r.decision, r.note, r.created_at
  FROM reviews r
  JOIN (SELECT image_id, MAX(id) AS id FROM reviews GROUP BY image_id) m ON m.id = r.id
  WHERE r.decision IS NOT NULL;
`,
};
