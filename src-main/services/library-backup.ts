// A library's database copied while it is open for writing (the app, `serve`, a training): through SQLite's online
// backup, so the copy holds what library.sqlite-wal holds too, checked before it gets its name, and never written
// over an earlier one unless the user chose to replace it. The CLI's `backup`, the desktop's save dialog and the web
// mode's download all take it so.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { databaseFiles, openStore, type Store } from '../store';
import { writeBeside } from '../write-beside';

export interface BackupHeld { projects: number; images: number; reviewed: number; models: number }

/** A name for a backup taken `at`: one a day sorts by date, e.g. library-2026-12-02.sqlite. */
export const backupName = (at = new Date()): string => `library-${at.toISOString().slice(0, 10)}.sqlite`;

/** What a backup holds, in words: the line a script logs and the app shows. */
export const describeHeld = (h: BackupHeld): string =>
  `${h.projects} project(s), ${h.images} images, ${h.reviewed} reviewed, ${h.models} model(s)`;

/** `replace`: the user chose to replace that file (a save dialog asked them); else an existing `to` is refused. */
export async function backupLibrary(store: Store, to: string, o: { replace?: boolean } = {}): Promise<BackupHeld> {
  // Renamed over the open database (or its -wal), the library would lose every write after it.
  if (databaseFiles(store.file).includes(resolve(to))) {
    throw new Error(`${to} is the library's own database: choose another file for its backup`);
  }
  if (!o.replace && existsSync(to)) throw new Error(`${to} exists already: give the backup a new name (e.g. with the date)`);
  if (!existsSync(dirname(to))) throw new Error(`no folder ${dirname(to)} to write the backup into`);
  // Renamed only once checked: a full disk or a kill leaves no half backup under the name.
  return writeBeside(to, async (partial) => {
    await store.backup(partial);
    return checkedCopy(partial);
  });
}

/** What the copy holds, read from the copy after its integrity check (a backup, or one about to be restored). */
export function checkedCopy(file: string): BackupHeld {
  const copy = openStore(file, { readonly: true });
  try {
    const check = copy.integrityCheck();
    if (check.join() !== 'ok') throw new Error(`the copy does not check out: ${check.slice(0, 3).join('; ')}`);
    const held = { projects: 0, images: 0, reviewed: 0, models: 0 };
    for (const p of copy.projects.list()) {
      const s = copy.status.summary(p.id);
      held.projects++;
      held.images += s.images.total;
      held.reviewed += Object.values(s.reviews).reduce((a, b) => a + b, 0);
      held.models += s.models.length;
    }
    return held;
  } finally {
    copy.close();
  }
}

/** A backup to hand over as a download (web mode): a fresh copy in a temporary folder, gone with `release`. */
export async function backupForDownload(store: Store): Promise<{ path: string; filename: string; release(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ganomaly-backup-'));
  const filename = backupName();
  try {
    await backupLibrary(store, join(dir, filename));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { path: join(dir, filename), filename, release: () => rm(dir, { recursive: true, force: true }) };
}
