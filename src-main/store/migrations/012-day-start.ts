// Released: never edit this step; add a new numbered one instead.
import type { Migration } from './migration';

// When a project's day starts, in minutes after midnight: its lots are a day's imports of the same folders, and a
// line whose night shift runs past midnight counts its day from its first shift (06:00: 360), not from midnight.
export const migration012: Migration = {
  version: 12,
  name: 'day-start',
  sql: `ALTER TABLE projects ADD COLUMN day_start INTEGER NOT NULL DEFAULT 0 CHECK (day_start BETWEEN 0 AND 1439);`,
};
