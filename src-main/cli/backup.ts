// `backup --db <file> --to <copy.sqlite>`: a consistent copy of the library's database (every review, threshold,
// score, model record and import), safe to take while the app, `serve` or a training writes it: for a nightly script.
// A file copy of an open library can miss what SQLite still holds in library.sqlite-wal.
import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { backupLibrary, describeHeld } from '../services/library-backup';
import { openLibrary } from './library-db';

interface BackupFlags {
  db?: string;
  to?: string;
}

export async function runBackup(flags: BackupFlags): Promise<void> {
  if (!flags.to) throw new Error('--to <file> is required: where the copy of the database goes');
  const to = resolve(flags.to);
  const lib = openLibrary(flags.db, { create: false, readonly: true });
  try {
    const held = await backupLibrary(lib.store, to);
    process.stdout.write(
      `backed up ${lib.dbFile} to ${to}: ${describeHeld(held)}\n` +
      `the models' weights are files in ${join(lib.dataDir, 'models')}: copy that folder as it is\n`,
    );
  } finally {
    lib.close();
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
