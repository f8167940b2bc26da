// Released: never edit this step; add a new numbered one instead.
import type { Migration } from './migration';

// Each score row keeps the image's capture shift (median normalised deviation from the model's mean image):
// an import whose images mostly lie beyond the model's limit (far out in its validation images' tail) differs
// as a whole (another camera, lighting), which the Threshold screen's flag rate per import says. NULL: patch
// models and older rows.
export const migration009: Migration = {
  version: 9,
  name: 'capture-shift',
  sql: `ALTER TABLE scores ADD COLUMN shift REAL;`,
};
