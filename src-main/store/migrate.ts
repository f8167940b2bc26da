// Brings a database up to the schema this build knows, all pending steps in one transaction.
import type Database from 'better-sqlite3';
import { migrations as allMigrations, type Migration } from './migrations';

/** The database was written by a newer build of the app; opening it could corrupt it. */
export class StoreVersionError extends Error {
  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `${file} has schema version ${found}, but this build supports up to version ${supported}; ` +
        'open it with a newer version of GANomaly Inspector.',
    );
    this.name = 'StoreVersionError';
  }
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Runs the steps above the database's version, up to `target` (default: the newest).
 * Returns the version reached. Tests pass `target` to build databases at earlier versions.
 */
export function migrate(
  db: Database.Database,
  opts: { target?: number; migrations?: readonly Migration[] } = {},
): number {
  const steps = opts.migrations ?? allMigrations;
  const newest = steps.length ? steps[steps.length - 1].version : 0;
  const target = opts.target ?? newest;
  const found = schemaVersion(db);
  if (found > newest) throw new StoreVersionError(db.name, found, newest);
  const pending = steps.filter((m) => m.version > found && m.version <= target);
  if (!pending.length) return found;
  const keysWereOn = db.pragma('foreign_keys', { simple: true }) === 1;
  const keysOff = keysWereOn && pending.some((s) => s.foreignKeysOff);
  if (keysOff) db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const step of pending) {
        db.exec(step.sql);
        // user_version is part of the database header, so it commits or rolls back with the steps.
        db.pragma(`user_version = ${step.version}`);
      }
      if (keysOff) {
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length) throw new Error(`migration left ${broken.length} broken references; nothing was changed`);
      }
    })();
  } finally {
    if (keysOff) db.pragma('foreign_keys = ON');
  }
  return schemaVersion(db);
}
