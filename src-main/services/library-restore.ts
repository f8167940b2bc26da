// Putting a backup (library-backup) in place of a library's database, the way a hand copy gets wrong: the library must
// be closed (its writer lock is taken for the whole swap), the backup is checked before anything moves, and the
// database it replaces is kept beside it with its -wal and -shm (a -wal left next to the restored file would be
// replayed into it; deleted, it would take the replaced library's last writes with it). Nothing is deleted.
import { existsSync } from 'node:fs';
import { copyFile, rename } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { databaseFiles, fileSchemaVersion, latestVersion, selfContained } from '../store';
import { acquireWriterLock } from '../store/writer-lock';
import { writeBeside } from '../write-beside';
import { checkedCopy, type BackupHeld } from './library-backup';

export interface Restored {
  held: BackupHeld;
  /** Where the database it replaced now lies (its -wal and -shm beside it, named alike); null when there was none. */
  keptAs: string | null;
}

/** The replaced database's new name: one per restore, sorted by time, e.g. library.sqlite.before-restore-2026-12-02T08-30-00. */
export const keptName = (dbFile: string, at: Date): string => `${dbFile}.before-restore-${at.toISOString().slice(0, 19).replace(/:/g, '-')}`;

export async function restoreLibrary(dbFile: string, from: string, at = new Date()): Promise<Restored> {
  const db = resolve(dbFile);
  const backup = resolve(from);
  if (databaseFiles(db).includes(backup)) throw new Error(`${from} is the library's own database: name the backup to restore`);
  if (!existsSync(backup)) throw new Error(`no backup at ${backup}`);
  const unlock = acquireWriterLock(db); // refused while the app, serve or a CLI writer holds the library
  try {
    checkVersion(backup);
    return await writeBeside(db, async (partial) => {
      await copyFile(backup, partial);
      let held: BackupHeld;
      try {
        held = checkedCopy(partial); // a backup of an older build is brought up to date on the way
      } catch (err) {
        throw new Error(`${basename(backup)} cannot be restored: ${(err as Error).message}`);
      }
      selfContained(partial); // an upgrade on the way left it in WAL mode, and reading it then left a -wal and -shm
      const keptAs = existsSync(db) ? keptName(db, at) : null;
      if (keptAs) {
        const [from, to] = [databaseFiles(db), databaseFiles(keptAs)];
        if (to.some((f) => existsSync(f))) throw new Error(`${keptAs} exists already: restore again in a second`);
        for (let k = 0; k < from.length; k++) if (existsSync(from[k])) await rename(from[k], to[k]);
      }
      return { held, keptAs };
    });
  } finally {
    unlock();
  }
}

/** A backup written by a newer build would be opened by this one as if it knew its schema. */
function checkVersion(file: string): void {
  let version: number;
  try {
    version = fileSchemaVersion(file);
  } catch (err) {
    throw new Error(`${basename(file)} cannot be restored: it is not a library database (${(err as Error).message})`);
  }
  if (version > latestVersion) {
    throw new Error(`${basename(file)} has schema version ${version}, but this build supports up to version ${latestVersion}: restore it with a newer version of GANomaly Inspector`);
  }
  if (version === 0) throw new Error(`${basename(file)} cannot be restored: it holds no library (schema version 0)`);
}
