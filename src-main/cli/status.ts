// `status --db <file> [--project <name>] [--json]`: what the library holds — images by label and split,
// reviews, models with their scores and flags (and, as the Threshold screen and `score --db` say, the lots most of
// whose parts differ as a whole or that flag more than the others), and the job queue.
import type { Command } from 'commander';
import type { Project, StatusSummary, Store } from '../store';
import { findProject, openLibrary, lotWarnings } from './library-db';

interface StatusFlags {
  db?: string;
  project?: string;
  json?: boolean;
}

const when = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19));

export function formatStatus(projectName: string, s: StatusSummary): string {
  const out = [`project "${projectName}": ${s.images.total} images${s.images.missing ? ` (+${s.images.missing} missing on disk)` : ''}`];
  for (const c of s.images.byLabelSplit) out.push(`  ${c.label ?? 'unlabelled'} / ${c.split ?? 'no split'}: ${c.count}`);
  const reviewed = Object.values(s.reviews).reduce((a, b) => a + b, 0);
  out.push(`reviews: ${reviewed} (good ${s.reviews.good}, defect ${s.reviews.defect}, unsure ${s.reviews.unsure})`);
  if (s.lastImport) out.push(`last import: #${s.lastImport.id} ${s.lastImport.status}, ${when(s.lastImport.startedAt)}`);
  const f = s.following;
  if (f) {
    const waiting = f.flaggedUnreviewed ? `; ${f.flaggedUnreviewed.count} of them flagged and not reviewed` : '';
    out.push(`following: ${f.roots.join(' ; ')} since ${when(f.since)}, ${f.modelId === null ? 'new images not scored' : `new images scored by model #${f.modelId}`} ` +
      `(while the app or serve runs)${waiting}`);
  }
  out.push(`models: ${s.models.length}`);
  for (const m of s.models) {
    const flags = m.threshold === null ? 'no threshold' : `threshold ${m.threshold.toPrecision(4)}, ${m.flagged} flagged`;
    const unscored = m.status === 'ready' && m.unscored ? ` (${m.unscored} not yet)` : '';
    const origin = m.importedFrom ? `, imported from ${m.importedFrom}` : '';
    out.push(`  #${m.id} "${m.name}" ${m.status}${origin}, score ${m.scoreKind}, ${m.scored} scored${unscored}, ${flags}`);
  }
  const c = s.jobs.counts;
  out.push(`jobs: ${c.running} running, ${c.queued} queued, ${c.done} done, ${c.failed} failed, ${c.cancelled} cancelled, ${c.interrupted} interrupted`);
  for (const j of s.jobs.active) out.push(`  #${j.id} ${j.kind} ${j.status} ${Math.round(j.progress * 100)}% ${j.phase ?? ''} ${j.message ?? ''}`.trimEnd());
  return out.join('\n');
}

export function runStatus(flags: StatusFlags): void {
  const lib = openLibrary(flags.db, { create: false, readonly: true });
  try {
    let project: Project | null = null;
    let missing = '';
    try {
      project = findProject(lib.store, flags.project);
    } catch (err) {
      missing = (err as Error).message;
    }
    const summary = project ? lib.store.status.summary(project.id) : null;
    const interrupted = lib.store.jobs.list({ status: 'interrupted', limit: 20 });
    const lots = summary ? lotWarningsOf(lib.store, summary) : { shifted: [], flagJumps: [] };
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ project, summary, ...lots, interrupted }, null, 2)}\n`);
      return;
    }
    if (!project || !summary) {
      process.stdout.write(`${lib.dbFile}: ${missing}\n`);
      return;
    }
    process.stdout.write(`${lib.dbFile}\n${formatStatus(project.name, summary)}\n`);
    for (const s of [...lots.flagJumps, ...lots.shifted]) process.stdout.write(`warning, model #${s.modelId}: ${s.warning}\n`);
    if (interrupted.length) {
      process.stdout.write(`interrupted jobs: ${interrupted.map((j) => `#${j.id} ${j.kind}`).join(', ')}; \`resume --db ${lib.dbFile}\` continues them\n`);
    }
  } finally {
    lib.close();
  }
}

type ModelWarning = { modelId: number; warning: string };

/** Per scored model, the lots most of whose parts differ as a whole (none for a model that cannot tell), and the
 *  lots that flag more than the others at its saved threshold. */
function lotWarningsOf(store: Store, summary: StatusSummary): { shifted: ModelWarning[]; flagJumps: ModelWarning[] } {
  const out = { shifted: [] as ModelWarning[], flagJumps: [] as ModelWarning[] };
  for (const m of summary.models) {
    const row = m.scored ? store.models.get(m.id) : undefined;
    if (!row) continue;
    const w = lotWarnings(store, row);
    if (w.shifted) out.shifted.push({ modelId: m.id, warning: w.shifted });
    if (w.flagJumps) out.flagJumps.push({ modelId: m.id, warning: w.flagJumps });
  }
  return out;
}

export function register(program: Command): void {
  program
    .command('status')
    .description('show the images, models and jobs of a library project')
    .option('--db <file>', 'library database')
    .option('--project <name>', 'project (default: "default", else the only one)')
    .option('--json', 'print JSON instead of text')
    .action((flags: StatusFlags) => runStatus(flags));
}
