// The single entry to the database: open, configure, migrate, and hand out the query modules.
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate';
import { latestVersion } from './migrations';
import { projectQueries } from './projects';
import { importQueries } from './imports';
import { imageQueries } from './images';
import { modelQueries } from './models';
import { trainingQueries } from './training';
import { scoreQueries } from './scores';
import { thresholdQueries } from './thresholds';
import { reviewQueries } from './reviews';
import { jobQueries } from './jobs';
import { rankingQueries } from './ranking';
import { scoreStatsQueries } from './score-stats';
import { summaryQueries } from './summary';
import { followQueries } from './follows';
import { acquireWriterLock } from './writer-lock';

/** The database file and the two SQLite keeps beside it in WAL mode: one library, whatever copies or moves it. */
export const databaseFiles = (file: string): string[] => ['', '-wal', '-shm'].map((s) => resolve(`${file}${s}`));

/** The schema version written in a database file, read without opening it as a store. */
export function fileSchemaVersion(file: string): number {
  const probe = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return probe.pragma('user_version', { simple: true }) as number;
  } finally {
    probe.close();
  }
}

/** One self-contained file, as a backup should be: no -wal or -shm beside it once it is opened. */
export function selfContained(file: string): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

function queries(db: Database.Database) {
  return {
    projects: projectQueries(db),
    imports: importQueries(db),
    images: imageQueries(db),
    models: modelQueries(db),
    training: trainingQueries(db),
    scores: scoreQueries(db),
    thresholds: thresholdQueries(db),
    reviews: reviewQueries(db),
    jobs: jobQueries(db),
    ranking: rankingQueries(db),
    stats: scoreStatsQueries(db),
    status: summaryQueries(db),
    follows: followQueries(db),
  };
}

export type Store = ReturnType<typeof queries> & {
  readonly file: string;
  readonly version: number;
  /** Runs `fn` in one transaction (nested calls become savepoints). `fn` must not await. */
  transaction<T>(fn: () => T): T;
  /** After a crash: running imports, jobs, training runs and models become 'interrupted'. */
  recoverInterrupted(): { imports: number; jobs: number; runs: number; models: number };
  /** `PRAGMA integrity_check`: ['ok'] when healthy. */
  integrityCheck(): string[];
  /**
   * A consistent copy of the whole database at `to`, through SQLite's online backup: it holds what the -wal file
   * holds too, and another process may go on writing meanwhile (a plain file copy of an open library may lack the
   * latest reviews, or be torn). The copy is one file (rollback journal, not WAL).
   */
  backup(to: string): Promise<void>;
  close(): void;
};

export interface OpenOptions {
  /** ms to wait for a lock held by another connection (default 5000). */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

export function openStore(file: string, opts: OpenOptions = {}): Store {
  if (opts.readonly && file !== ':memory:') upgradeForReading(file);
  // One writing process per library (see writer-lock); readers need none.
  const unlock = opts.readonly || file === ':memory:' ? () => {} : acquireWriterLock(file);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  } catch (err) {
    unlock();
    throw err;
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      // WAL + NORMAL stays consistent after a kill or power loss; at most the last commits are lost.
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    const version = opts.readonly ? (db.pragma('user_version', { simple: true }) as number) : migrate(db);
    const q = queries(db);
    return {
      ...q,
      file,
      version,
      transaction: <T>(fn: () => T): T => db.transaction(fn)(),
      recoverInterrupted: db.transaction(() => ({
        imports: q.imports.interruptRunning(),
        jobs: q.jobs.interruptRunning(),
        runs: q.training.interruptRunning(),
        models: q.models.interruptTraining(),
      })),
      integrityCheck: () => (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check),
      backup: async (to) => {
        await db.backup(to);
        selfContained(to);
      },
      close: () => {
        db.close();
        unlock();
      },
    };
  } catch (err) {
    db.close();
    unlock();
    throw err;
  }
}

/**
 * A reader (`status`, `export`) cannot migrate, and this build's queries need its schema: a library last written by
 * an older build is brought up to date first, as a writer would on opening it, when no writer holds it. One that is
 * held by a writer of that older build is refused with what to do.
 */
function upgradeForReading(file: string): void {
  const found = fileSchemaVersion(file);
  if (found >= latestVersion) return;
  try {
    openStore(file).close();
  } catch (err) {
    throw new Error(`${file} has schema version ${found} and this build reads version ${latestVersion}; ` +
      `it could not be upgraded now (${(err as Error).message}): close the older app that holds it, then try again`);
  }
}
