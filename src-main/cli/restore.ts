// `restore --db <file> --from <backup.sqlite>`: a backup (see backup) put in place of the library's database, with the
// app and every other writer closed; the database it replaces is kept beside it, never deleted.
import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { dataDirOf } from '../data-dir';
import { describeHeld } from '../services/library-backup';
import { restoreLibrary } from '../services/library-restore';

interface RestoreFlags {
  db?: string;
  from?: string;
}

export async function runRestore(flags: RestoreFlags): Promise<void> {
  if (!flags.db) throw new Error('--db <file> is required: the library database to restore');
  if (!flags.from) throw new Error('--from <file> is required: the backup to restore');
  const db = resolve(flags.db);
  const r = await restoreLibrary(db, flags.from);
  process.stdout.write(
    `restored ${db} from ${resolve(flags.from)}: ${describeHeld(r.held)}\n` +
    `${r.keptAs ? `the database it replaced is kept as ${r.keptAs}` : 'there was no database to replace'}\n` +
    `models are found in ${join(dataDirOf(db), 'models')}: a model trained after the backup is not in it, one deleted since has no files\n`,
  );
}

export function register(program: Command): void {
  program
    .command('restore')
    .description('put a backup in place of the library database (close the app first); the replaced one is kept beside it')
    .option('--db <file>', 'library database to restore')
    .option('--from <file>', 'the backup to restore (from backup, Save a backup… or the download)')
    .action((flags: RestoreFlags) => runRestore(flags));
}
