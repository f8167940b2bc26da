// `backup --db <file> --to <copy.sqlite>`: a consistent copy of the library's database (every review, threshold,
// score, model record and import), safe to take while the app, `serve` or a training writes it: for a nightly script.
// A file copy of an open library can miss what SQLite still holds in library.sqlite-wal.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { openStore } from '../store';
import { openLibrary } from './library-db';

interface BackupFlags {
  db?: string;
  to?: string;
}

export async function runBackup(flags: BackupFlags): Promise<void> {
  if (!flags.to) throw new Error('--to <file> is required: where the copy of the database goes');
  const to = resolve(flags.to);
  // Never over an earlier backup: a nightly script names each day's copy.
  if (existsSync(to)) throw new Error(`${to} exists already: give the backup a new name (e.g. with the date)`);
  if (!existsSync(dirname(to))) throw new Error(`no folder ${dirname(to)} to write the backup into`);
  const lib = openLibrary(flags.db, { create: false, readonly: true });
  // Written beside the target and renamed once checked: a full disk or a kill leaves no half backup under the name.
  const partial = join(dirname(to), `.${basename(to)}.${process.pid}.partial`);
  try {
    await lib.store.backup(partial);
    const held = checkedCopy(partial);
    await rename(partial, to);
    process.stdout.write(
      `backed up ${lib.dbFile} to ${to}: ${held.projects} project(s), ${held.images} images, ${held.reviewed} reviewed, ${held.models} model(s)\n` +
      `the models' weights are files in ${join(lib.dataDir, 'models')}: copy that folder as it is\n`,
    );
  } finally {
    await rm(partial, { force: true });
    lib.close();
  }
}

/** What the copy holds, read from the copy after its integrity check: the line a script logs. */
function checkedCopy(file: string): { projects: number; images: number; reviewed: number; models: number } {
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

export function register(program: Command): void {
  program
    .command('backup')
    .description('a consistent copy of the library database, safe while the app or serve runs')
    .option('--db <file>', 'library database')
    .option('--to <file>', 'the copy to write (never over an existing file)')
    .action((flags: BackupFlags) => runBackup(flags));
}
