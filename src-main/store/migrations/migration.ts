/** One schema step. `version` is the `PRAGMA user_version` the database has once the step has run. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * The step rebuilds a table others reference: foreign keys are switched off around the migration (SQLite
   * ignores the pragma inside a transaction) and every reference is checked before it commits.
   */
  foreignKeysOff?: boolean;
}
