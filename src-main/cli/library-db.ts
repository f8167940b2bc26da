// What the database-mode commands share: open the library file, find the project, run queued jobs
// to their end with progress on stderr, and what a model's lots say (score, status): those whose parts differ as a
// whole, those that flag more than the others.
// This process is the only SQLite writer while it runs.
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { dataDirOf } from '../data-dir';
import { openStore, type Job, type ModelRow, type Project, type Store } from '../store';
import { savedShiftLimit } from '../jobs/protocol';
import { differsAsAWhole, shiftedLotsWarning } from '../shared/capture-shift';
import { batchesOf, lotIdsOf, type Lot } from '../shared/lots';
import { flagJumps, flagJumpWarning, LOTS_TESTED } from '../shared/lot-flags';
import { countAtLeast } from '../shared/truth';
import { JobQueue, type JobSnapshot } from '../jobs/queue';
import { describeProgress } from '../jobs/progress-text';
import { ProgressLine } from './progress-line';

export const DEFAULT_PROJECT = 'default';

export interface Library {
  store: Store;
  dbFile: string;
  dataDir: string;
  close(): void;
}

export function openLibrary(db: string | undefined, opts: { create: boolean; readonly?: boolean }): Library {
  if (!db) throw new Error('--db <file> is required: the library database to use');
  const dbFile = resolve(db);
  if (opts.create) mkdirSync(dataDirOf(dbFile), { recursive: true });
  else if (!existsSync(dbFile)) throw new Error(`no library database at ${dbFile} (import images first: import <folder> --db ${db})`);
  const store = openStore(dbFile, { readonly: opts.readonly ?? false });
  return { store, dbFile, dataDir: dataDirOf(dbFile), close: () => store.close() };
}

/**
 * The named project; `create` (import) makes a named one that is absent, otherwise a clear error. Unnamed:
 * "default", else the library's only project (so the next batch lands beside the first), and import
 * makes "default" in an empty library.
 */
export function findProject(store: Store, name: string | undefined, create = false): Project {
  const wanted = name?.trim();
  if (create && (wanted || !store.projects.list().length)) return store.projects.ensure(wanted || DEFAULT_PROJECT);
  const found = store.projects.byName(wanted || DEFAULT_PROJECT);
  if (found) return found;
  const known = store.projects.list();
  if (!wanted && known.length === 1) return known[0];
  const names = known.map((p) => `"${p.name}"`).join(', ');
  if (!known.length) throw new Error('this library has no projects yet; import images first');
  if (!wanted) throw new Error(`this library has ${known.length} projects (${names}): choose one with --project <name>`);
  throw new Error(`no project named "${wanted}" in this library (projects: ${names})`);
}

/** The model `--model <id>` names; unnamed, the library's only model. Errors list the models to choose from. */
export function findModel(store: Store, value: string | undefined): ModelRow {
  const models = store.projects.list().flatMap((p) => store.models.list(p.id).map((m) => ({ m, project: p.name })));
  const listed = () => models.map(({ m, project }) => `#${m.id} "${m.name}" (project "${project}", ${m.status})`).join(', ');
  if (value === undefined || value.trim() === '') {
    if (models.length === 1) return models[0].m;
    if (!models.length) throw new Error('this library has no models yet: train one first (train --db <file>)');
    throw new Error(`--model <id> is required: this library has ${models.length} models: ${listed()}`);
  }
  const id = parseId(value, '--model');
  const found = store.models.get(id);
  if (!found) throw new Error(`no model with id ${id} in this library${models.length ? ` (models: ${listed()})` : ''}`);
  return found;
}

export function parseId(value: string | undefined, what: string): number {
  const n = Number(value);
  if (!value || !Number.isInteger(n) || n < 1) throw new Error(`${what} must be a positive whole number, got "${value ?? ''}"`);
  return n;
}

/**
 * Runs the queue until every job in `jobIds` has ended, printing progress; Ctrl-C cancels the running
 * job (within one batch) and the rest. Returns the final rows.
 */
export async function runJobs(lib: Library, queue: JobQueue, jobIds: number[]): Promise<Job[]> {
  const line = new ProgressLine();
  const unsubscribe = queue.subscribe((s: JobSnapshot) => {
    if (s.status === 'running') line.update(describeProgress(s));
    else line.log(describeProgress(s));
  });
  const onSigint = () => {
    line.log('cancelling (the last finished epoch or batch is kept)...');
    for (const id of jobIds) queue.cancel(id);
  };
  process.once('SIGINT', onSigint);
  try {
    return await Promise.all(jobIds.map((id) => queue.waitFor(id)));
  } finally {
    process.off('SIGINT', onSigint);
    unsubscribe();
    await queue.close();
  }
}

/** A queue over this library that has already recovered from any crash before it. */
export function startQueue(lib: Library): JobQueue {
  const queue = new JobQueue({ store: lib.store, dataDir: lib.dataDir });
  const interrupted = queue.resumeInterrupted();
  if (interrupted.length) {
    process.stderr.write(`${interrupted.length} interrupted job(s) in this library (${interrupted.map((j) => j.id).join(', ')}); ` +
      '`resume --db <file>` continues them\n');
  }
  return queue;
}

export function failIfNotDone(jobs: Job[]): void {
  const bad = jobs.filter((j) => j.status !== 'done');
  if (bad.length) {
    process.exitCode = bad.some((j) => j.status === 'cancelled') ? 130 : 1;
    for (const j of bad) process.stderr.write(`job ${j.id} ${j.kind} ${j.status}: ${j.message ?? ''}\n`);
  }
}

/** "import #7 from /cam" or "3 imports of 2026-12-01 from /cam" (a followed camera's day, from the project's day start). */
function lotName(l: Lot): string {
  const from = l.roots.join(' ; ');
  return l.importIds.length === 1 ? `import #${l.importIds[0]} from ${from}` : `${l.importIds.length} imports of ${l.day} from ${from}`;
}

/** What a model's lots say, as the Threshold screen's card does: the lots most of whose scored parts (the model's
 *  own images left out) differ as a whole (null: none, or the model cannot tell), and the lots that flag more than
 *  the others beyond chance at the saved threshold (null: none, or no threshold). */
export function lotWarnings(store: Store, model: ModelRow): { shifted: string | null; flagJumps: string | null } {
  const limit = savedShiftLimit(model.validationStats);
  const threshold = store.thresholds.current(model.id)?.value;
  if (limit === null && threshold === undefined) return { shifted: null, flagJumps: null };
  const rows = store.stats.exportRows(model.id);
  const groups = store.imports.lots(model.projectId);
  const lots = groups.lots();
  const batches = batchesOf({
    scores: rows.map((r) => r.score), lotIds: lotIdsOf(rows.map((r) => r.importId), groups), trained: rows.map((r) => r.trained),
    shifted: limit === null ? null : rows.map((r) => differsAsAWhole(r.shift, limit)),
  });
  const named = batches.map((b) => ({
    name: lotName(lots[b.lot]), shifted: b.shifted, parts: b.scores.length,
    flagged: threshold === undefined ? 0 : countAtLeast(b.scores, threshold),
  }));
  const all = named.reduce((a, l) => ({ parts: a.parts + l.parts, flagged: a.flagged + l.flagged }), { parts: 0, flagged: 0 });
  return {
    shifted: shiftedLotsWarning(named),
    // The newest lots, as the Threshold screen tests them, each against all the others.
    flagJumps: threshold === undefined ? null : flagJumpWarning(flagJumps(named.slice(0, LOTS_TESTED), all)),
  };
}
