/** One schema step. `version` is the `PRAGMA user_version` the database has once the step has run. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
