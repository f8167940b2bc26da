// Released: never edit this step; add a new numbered one instead.
import type { Migration } from './migration';

// A model brought in from another machine's model folder (trained on an engineering PC, scoring on the line's):
// the folder it came from, for the model's panel and the audit; null for a model trained in this library.
export const migration013: Migration = {
  version: 13,
  name: 'imported-models',
  sql: `ALTER TABLE models ADD COLUMN imported_from TEXT;`,
};
