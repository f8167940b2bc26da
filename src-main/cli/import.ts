// `import <folder...> --db <file> [--project <name>]`: adds part images to a library project. Rows are
// written in batched transactions, so after a kill a re-run adds only what is still missing.
import { existsSync } from 'node:fs';
import { outputDirs, thumbnailsDir } from '../data-dir';
import type { Command } from 'commander';
import { importFolders, type ImportProgress } from '../services/import-folders';
import { problemLine } from './folder-images';
import { findProject, openLibrary } from './library-db';
import { ProgressLine } from './progress-line';

interface ImportFlags {
  db?: string;
  project?: string;
}

const SHOW_ERRORS = 50;

export function describeImport(p: Pick<ImportProgress, 'seen' | 'imported' | 'duplicate' | 'skipped' | 'masks' | 'notFiles' | 'moved' | 'failed'>): string {
  const reasons = [p.masks ? `${p.masks} skipped: masks` : '', p.notFiles ? `${p.notFiles} skipped: not a regular file` : ''].filter(Boolean);
  return [`${p.seen} seen`, `${p.imported} new`, `${p.duplicate} duplicate`, `${p.skipped} already known`, ...reasons, `${p.moved} moved`, `${p.failed} failed`].join(', ');
}

export async function runImport(folders: string[], flags: ImportFlags): Promise<void> {
  // A mistyped folder is a usage error (non-zero exit, nothing imported), not one failed file among the rest.
  const missing = folders.filter((f) => !existsSync(f));
  if (missing.length) throw new Error(`no such file or folder: ${missing.join(', ')}`);
  const lib = openLibrary(flags.db, { create: true });
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    // An import a kill cut short shows as 'interrupted'; jobs are left to the queue's own recovery.
    lib.store.imports.interruptRunning();
    const project = findProject(lib.store, flags.project, true);
    const line = new ProgressLine();
    const r = await importFolders(lib.store, {
      projectId: project.id,
      roots: folders,
      thumbnailsDir: thumbnailsDir(lib.dataDir),
      skipDirs: outputDirs(lib.dataDir),
      signal: abort.signal,
      onProgress: (p) => line.update(`importing: ${describeImport(p)}, ${p.imagesPerSecond.toFixed(0)} files/s`),
    });
    line.log(`import ${r.importId} ${r.status} in ${r.seconds.toFixed(1)} s: ${describeImport(r)}`);
    const out: string[] = [];
    if (r.failed) {
      const kinds = Object.entries(r.errorsByKind).map(([k, n]) => `${n} ${k}`).join(', ');
      out.push(`failed files (${kinds}):`);
      for (const e of lib.store.imports.errors(r.importId, SHOW_ERRORS)) out.push(`  ${problemLine(e)}`);
      if (r.failed > SHOW_ERRORS) out.push(`  ... and ${r.failed - SHOW_ERRORS} more`);
    }
    const counts = lib.store.images.countsByLabelSplit(project.id);
    out.push(`project "${project.name}" now holds ${counts.reduce((a, c) => a + c.count, 0)} images:`);
    for (const c of counts) out.push(`  ${c.label ?? 'unlabelled'} / ${c.split ?? 'no split'}: ${c.count}${c.missing ? ` (+${c.missing} missing on disk)` : ''}`);
    // The next batch of parts: which trained models have not ranked it yet, and how to.
    for (const m of lib.store.models.list(project.id).filter((x) => x.status === 'ready')) {
      const n = lib.store.scores.toScoreCount(m.id);
      if (n) out.push(`not scored by model ${m.id} "${m.name}": ${n} image${n === 1 ? '' : 's'} (score --db ${lib.dbFile} --model ${m.id})`);
    }
    process.stdout.write(`${out.join('\n')}\n`);
    if (r.status !== 'done') process.exitCode = 130;
  } finally {
    process.off('SIGINT', onSigint);
    lib.close();
  }
}

export function register(program: Command): void {
  program
    .command('import')
    .description('import folders or image files into a library project (labels and splits come from folder names)')
    .argument('<folder...>', 'folders or image files')
    .option('--db <file>', 'library database (created if absent)')
    .option('--project <name>', 'project to import into, created if absent (default: "default", else the library\'s only project)')
    .action((folders: string[], flags: ImportFlags) => runImport(folders, flags));
}
