import type Database from 'better-sqlite3';
import type { Threshold, ThresholdSource } from './types';

const COLUMNS = 'id, model_id AS modelId, value, lower, source, created_at AS createdAt';

export interface NewThreshold {
  value: number;
  lower?: number | null;
  source: ThresholdSource;
}

// Each change appends a row: the latest is current, the rest is history. Nothing per image is rewritten.
export function thresholdQueries(db: Database.Database) {
  const insert = db.prepare<[number, number, number | null, ThresholdSource, number], Threshold>(
    `INSERT INTO thresholds (model_id, value, lower, source, created_at) VALUES (?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
  );
  const current = db.prepare<[number], Threshold>(
    `SELECT ${COLUMNS} FROM thresholds WHERE model_id = ? ORDER BY id DESC LIMIT 1`,
  );
  const history = db.prepare<[number], Threshold>(
    `SELECT ${COLUMNS} FROM thresholds WHERE model_id = ? ORDER BY id DESC`,
  );

  return {
    set(modelId: number, t: NewThreshold): Threshold {
      if (!Number.isFinite(t.value)) throw new Error('A threshold must be a finite number.');
      const lower = t.lower ?? null;
      if (lower !== null && !(Number.isFinite(lower) && lower <= t.value)) {
        throw new Error(`The lower edge of the uncertain band (${lower}) must be a number <= the threshold (${t.value}).`);
      }
      return insert.get(modelId, t.value, lower, t.source, Date.now())!;
    },
    current(modelId: number): Threshold | undefined {
      return current.get(modelId);
    },
    /** Newest first; the first entry is the current threshold. */
    history(modelId: number): Threshold[] {
      return history.all(modelId);
    },
  };
}

export type ThresholdQueries = ReturnType<typeof thresholdQueries>;
