// Released: never edit this step; add a new numbered one instead.
import type { Migration } from './migration';

// Taking a folder out of a project, or deleting a project, deleted its images' reviews with them (ON DELETE CASCADE),
// and with them the record of who dispositioned those parts. `removed_reviews` keeps each such review as it was, with
// its part's path and its project's name, filled by triggers so that no way of deleting images can skip it: a
// project's own trigger while its name is still there, an image's when only its folder goes.
// Review ids must then never be reused (SQLite hands out max(id) + 1, so the ids of a removed folder's last reviews
// would come back): `reviews` is rebuilt with AUTOINCREMENT, its rows, index, trigger and view as they were.
const KEEP = (removedWith: string) => `
  INSERT INTO removed_reviews (review_id, image_id, path, hash, project_id, project_name, project_created_at, model_id,
    decision, note, reviewer, created_at, reverts, undoes, removed_at, removed_with)
  SELECT r.id, i.id, i.path, i.hash, p.id, p.name, p.created_at, r.model_id, r.decision, r.note, r.reviewer, r.created_at,
    r.reverts, r.undoes, CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER), '${removedWith}'`;

export const migration016: Migration = {
  version: 16,
  name: 'removed-reviews',
  foreignKeysOff: true,
  sql: `
DROP VIEW latest_reviews;
DROP TRIGGER reviews_no_update;
CREATE TABLE reviews_v16 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
  decision TEXT CHECK (decision IS NULL OR decision IN ('good', 'defect', 'unsure')),
  note TEXT,
  created_at INTEGER NOT NULL,
  reverts INTEGER REFERENCES reviews_v16(id),
  reviewer TEXT CHECK (reviewer IS NULL OR length(reviewer) BETWEEN 1 AND 100),
  undoes INTEGER REFERENCES reviews_v16(id),
  CHECK ((decision IS NULL) = (reverts IS NOT NULL))
);
INSERT INTO reviews_v16 (id, image_id, model_id, decision, note, created_at, reverts, reviewer, undoes)
  SELECT id, image_id, model_id, decision, note, created_at, reverts, reviewer, undoes FROM reviews;
DROP TABLE reviews;
ALTER TABLE reviews_v16 RENAME TO reviews;
CREATE INDEX reviews_image ON reviews(image_id, id);
CREATE TRIGGER reviews_no_update BEFORE UPDATE OF image_id, decision, note, created_at, reverts, reviewer, undoes ON reviews
BEGIN
  SELECT RAISE(ABORT, 'reviews are append-only');
END;
CREATE VIEW latest_reviews AS
  SELECT r.image_id, r.id, r.model_id, r.decision, r.note, r.created_at
  FROM reviews r
  JOIN (SELECT image_id, MAX(id) AS id FROM reviews GROUP BY image_id) m ON m.id = r.id
  WHERE r.decision IS NOT NULL;

CREATE TABLE removed_reviews (
  review_id INTEGER PRIMARY KEY,
  image_id INTEGER NOT NULL,
  path TEXT NOT NULL,
  hash TEXT NOT NULL,
  project_id INTEGER NOT NULL,
  project_name TEXT NOT NULL,
  project_created_at INTEGER NOT NULL,
  model_id INTEGER,
  decision TEXT,
  note TEXT,
  reviewer TEXT,
  created_at INTEGER NOT NULL,
  reverts INTEGER,
  undoes INTEGER,
  removed_at INTEGER NOT NULL,
  removed_with TEXT NOT NULL CHECK (removed_with IN ('folder', 'project'))
);
CREATE INDEX removed_reviews_project ON removed_reviews(project_id, project_created_at, review_id);
CREATE TRIGGER removed_reviews_kept BEFORE UPDATE ON removed_reviews
BEGIN
  SELECT RAISE(ABORT, 'removed reviews are kept as they were');
END;
CREATE TRIGGER removed_reviews_not_deleted BEFORE DELETE ON removed_reviews
BEGIN
  SELECT RAISE(ABORT, 'removed reviews are kept as they were');
END;
CREATE TRIGGER projects_keep_reviews BEFORE DELETE ON projects
BEGIN
  ${KEEP('project')}
  FROM reviews r JOIN images i ON i.id = r.image_id JOIN projects p ON p.id = i.project_id WHERE p.id = OLD.id;
END;
-- A project's deletion reaches its images after the project row is gone: its trigger above has kept them.
CREATE TRIGGER images_keep_reviews BEFORE DELETE ON images WHEN EXISTS (SELECT 1 FROM projects WHERE id = OLD.project_id)
BEGIN
  ${KEEP('folder')}
  FROM reviews r JOIN images i ON i.id = r.image_id JOIN projects p ON p.id = i.project_id WHERE i.id = OLD.id;
END;
`,
};
