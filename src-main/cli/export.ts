// `export --db <file> --model <id> --csv <file> | --json <file> [--flagged] [--unreviewed] [--name <text>]`: one row
// per scored image (or per part of the list those name, as the app's Export these), most anomalous first: path,
// label, raw and calibrated score, flagged at the current threshold, latest review.
// With --reviews instead: the project's review trail as written (every decision and undo, when and by whom; those of
// folders taken out of it too), or with --all-projects every project's, deleted projects' included.
// Same format as the app's export (one formatter for both).
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { exportCsv, exportJson, exportLines, reviewTrailCsv, reviewTrailJson } from '../api/handlers/export-format';
import { writeFileBeside } from '../write-beside';
import { findModel, findProject, openLibrary, type Library } from './library-db';

interface ExportFlags {
  db?: string;
  model?: string;
  csv?: string;
  json?: string;
  threshold?: string;
  flagged?: boolean;
  unreviewed?: boolean;
  name?: string;
  reviews?: boolean;
  project?: string;
  allProjects?: boolean;
}

async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFileBeside(file, text);
}

export async function runExport(flags: ExportFlags): Promise<void> {
  if (!flags.csv && !flags.json) throw new Error('export needs --csv <file> or --json <file> (or both)');
  const lib = openLibrary(flags.db, { create: false, readonly: true });
  try {
    if (flags.reviews) return await exportTrail(lib, flags);
    const model = findModel(lib.store, flags.model);
    const modelId = model.id;
    let threshold: number | undefined;
    if (flags.threshold !== undefined) {
      threshold = Number(flags.threshold);
      if (!Number.isFinite(threshold)) throw new Error(`--threshold must be a number, got "${flags.threshold}"`);
    }
    if (!lib.store.scores.count(modelId)) throw new Error(`model ${modelId} has no scores yet: score --db ${flags.db} --model ${modelId}`);
    const list = { flagged: flags.flagged || undefined, unreviewed: flags.unreviewed || undefined, nameHas: flags.name?.trim() || undefined };
    const rows = exportLines(lib.store.stats.exportRows(modelId, threshold, list), lib.store.imports.lots(model.projectId));
    if (flags.csv) await writeAtomic(resolve(flags.csv), exportCsv(rows));
    if (flags.json) await writeAtomic(resolve(flags.json), exportJson(model, rows));
    const flagged = rows.filter((r) => r.flagged).length;
    const flagNote = rows.length && rows[0].flagged === null ? 'no threshold set, so nothing is flagged' : `${flagged} flagged`;
    process.stdout.write(`exported ${rows.length} rows of model ${modelId} (${flagNote}) to ${[flags.csv, flags.json].filter(Boolean).join(' and ')}\n`);
  } finally {
    lib.close();
  }
}

/** For an audit: who decided what about which part, and when, as the review trail holds it. */
async function exportTrail(lib: Library, flags: ExportFlags): Promise<void> {
  if (flags.model || flags.threshold !== undefined || flags.flagged || flags.unreviewed || flags.name) {
    throw new Error('--reviews exports the project\'s whole review trail: --model, --threshold, --flagged, --unreviewed and --name do not apply');
  }
  if (flags.allProjects && flags.project) throw new Error('--all-projects exports every project\'s trail: leave out --project');
  const project = flags.allProjects ? null : findProject(lib.store, flags.project);
  const rows = project ? lib.store.reviews.trail(project.id) : lib.store.reviews.libraryTrail();
  if (flags.csv) await writeAtomic(resolve(flags.csv), reviewTrailCsv(rows));
  if (flags.json) await writeAtomic(resolve(flags.json), reviewTrailJson(project, rows));
  const of = project ? `project "${project.name}"` : 'every project (deleted ones included)';
  process.stdout.write(`exported ${rows.length} reviews of ${of} to ${[flags.csv, flags.json].filter(Boolean).join(' and ')}\n`);
}

export function register(program: Command): void {
  program
    .command('export')
    .description("export a model's scores (path, label, raw and calibrated score, flagged, latest review, whether the model trained on it)")
    .option('--db <file>', 'library database')
    .option('--model <id>', 'model id (see status); default: the library\'s only model')
    .option('--csv <file>', 'write CSV here')
    .option('--json <file>', 'write JSON here')
    .option('--threshold <x>', 'flag at this raw score instead of the current threshold')
    .option('--flagged', 'only the parts flagged at that threshold (the rework list)')
    .option('--unreviewed', 'only the parts nobody has reviewed yet')
    .option('--name <text>', 'only the parts whose file name holds this text, any case (a serial number)')
    .option('--reviews', "the project's review trail instead: every decision and undo, when and by whom, oldest first")
    .option('--project <name>', 'with --reviews: the project (default: "default", else the library\'s only project)')
    .option('--all-projects', 'with --reviews: every project\'s trail, those of deleted projects and removed folders included')
    .action((flags: ExportFlags) => runExport(flags));
}
