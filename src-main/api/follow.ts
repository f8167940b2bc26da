// Following a camera folder: a line's camera keeps writing parts into the same folders, so the library looks at
// an import's folders again every minute (the Library's "Look for new images", by itself) and the chosen model
// scores what came in: flagged parts show up without anyone pressing a button. Kept in the library (store/follows):
// following goes on when the app or server starts again, until it is stopped or its project deleted.
import { stat } from 'node:fs/promises';
import type { FollowRow, ImportCounts, Store } from '../store';
import type { EventHub } from './events';
import { followedLotJump } from './follow-lot';
import type { JobService } from './job-service';
import type * as T from './types';

/** How often a followed folder is looked at: a part a minute late is still on the line's buffer. */
export const FOLLOW_EVERY_MS = 60_000;

/** What to follow; `failed`: files the followed import could not read (a first look failing on them is nothing new). */
export type FollowInput = Omit<FollowRow, 'since'>;

interface Follow extends FollowRow {
  lastLook: number | null;
  lastNew: number;
  newTotal: number;
  lastError: string | null;
  /** Files the last look could not read: a look is kept as an import only when it brings images in, finds a moved
   *  one or fails on another number of files; the rest leave no row (a minute's look would fill the history). */
  lastFailed: number;
  /** Looks ended in this process; with the model, its threshold and its score count, the key of `jump`. */
  looks: number;
  /** The followed lot's flag jump (follow-lot.ts: from indexes, 7 ms on a year's looks and 100 000 scores; a day's
   *  lot of 100 000 parts, 0.09 s) as last computed, kept while nothing it depends on moved: the banner reloads
   *  after every review. */
  jump: { key: string; value: T.FollowState['lotJump'] } | null;
  /** The look under way, if any (looks never overlap), and its import job. */
  look: Promise<void> | null;
  importJob: number | null;
  timer: NodeJS.Timeout;
}

export interface Follower {
  /** Follows the import's folders (replacing what the project followed), looking at once and then every interval. */
  start(input: FollowInput): T.FollowState;
  /** Stops following the project's folders, once a look under way has ended; false when none was followed. */
  stop(projectId: number): Promise<boolean>;
  state(projectId: number): T.FollowState | null;
  /** Ends the looks of this process; what is followed stays saved for the next start. */
  close(): Promise<void>;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function createFollower(deps: { store: Store; events: EventHub; jobs: JobService; everyMs?: number }): Follower {
  const { store, events, jobs } = deps;
  const everyMs = deps.everyMs ?? FOLLOW_EVERY_MS;
  const follows = new Map<number, Follow>();
  let closed = false;
  const changed = (projectId: number) => events.emit('library.changed', { projectId, what: 'follow' });

  /** One import of the folders, to its end: how many images came in, or why it failed. */
  async function importOnce(f: Follow, roots: string[]): Promise<{ imported: number; error: string | null }> {
    const ended = new Map<number, { imported: number; failed: number }>();
    let wake = () => {};
    // Listening before the import starts, so an import that ends at once is not missed.
    const off = events.subscribe((m) => {
      if (m.name === 'import.progress' && m.payload.done) {
        ended.set(m.payload.jobId, m.payload);
        wake();
      }
    });
    try {
      const keep = (c: ImportCounts) => c.imported > 0 || c.moved > 0 || c.failed !== f.lastFailed;
      const { jobId } = await jobs.startImport(f.projectId, roots, { followed: { keep } });
      f.importJob = jobId;
      while (!ended.has(jobId)) await new Promise<void>((r) => (wake = r));
      const { imported, failed } = ended.get(jobId)!;
      f.lastFailed = failed;
      const row = store.jobs.get(jobId); // gone when the look was not kept
      return { imported, error: row?.status === 'failed' ? row.message ?? 'the import failed' : null };
    } finally {
      f.importJob = null;
      off();
    }
  }

  /** The model scores what it has not scored yet, unless a scoring of it is running or waiting (it takes them then). */
  async function scoreNew(f: Follow): Promise<void> {
    const m = f.modelId === null ? undefined : store.models.get(f.modelId);
    if (!m || m.status !== 'ready' || store.scores.toScoreCount(m.id) === 0) return;
    if (store.jobs.active().some((j) => j.kind === 'score' && (j.params as { modelId?: unknown } | null)?.modelId === m.id)) return;
    await jobs.startScoring(m.id, 'missing');
  }

  async function look(f: Follow): Promise<void> {
    if (!store.projects.get(f.projectId)) {
      halt(f); // its saved row went with the project
      return;
    }
    if (f.modelId !== null && !store.models.get(f.modelId)) f.modelId = null; // deleted: the folder is still imported
    // An import of the project already running (the user's own): this look leaves it to them.
    if (store.jobs.active().some((j) => j.projectId === f.projectId && j.kind === 'import')) return;
    changed(f.projectId); // looking now
    try {
      // A folder that cannot be read now (a camera or share unplugged, a folder renamed) is said, and looked for again.
      const present = (await Promise.all(f.roots.map((r) => stat(r).then(() => r, () => null)))).filter((r) => r !== null);
      const gone = f.roots.filter((r) => !present.includes(r));
      const r = present.length ? await importOnce(f, present) : { imported: 0, error: null };
      f.lastLook = Date.now();
      f.looks++;
      f.lastNew = r.imported;
      f.newTotal += r.imported;
      f.lastError = r.error ?? (gone.length ? `${gone.join(', ')} cannot be read now (unplugged or renamed?); following goes on` : null);
      if (!r.error && !closed) await scoreNew(f);
    } catch (err) {
      f.lastError = messageOf(err);
    }
    changed(f.projectId);
  }

  const tick = (f: Follow) => {
    f.look ??= look(f).finally(() => (f.look = null));
  };

  const isoOf = (ms: number) => new Date(ms).toISOString();
  const flaggedOf = (f: Follow): T.FollowState['flaggedUnreviewed'] => {
    const w = f.modelId === null ? null : store.follows.flaggedUnreviewed(f.modelId, f.since);
    return w && { count: w.count, newest: w.newest === null ? null : isoOf(w.newest) };
  };
  const jumpOf = (f: Follow): T.FollowState['lotJump'] => {
    if (f.modelId === null) return null;
    // A look may have moved parts in or out, a scoring added scores, a threshold been set; a review changes nothing.
    const key = `${f.modelId}:${store.thresholds.current(f.modelId)?.value}:${store.scores.count(f.modelId)}:${f.looks}`;
    if (f.jump?.key !== key) f.jump = { key, value: followedLotJump(store, f) };
    return f.jump.value;
  };
  const stateOf = (f: Follow): T.FollowState => ({
    projectId: f.projectId, importId: f.importId, roots: f.roots, modelId: f.modelId, everySeconds: everyMs / 1000,
    since: isoOf(f.since), lastLook: f.lastLook === null ? null : isoOf(f.lastLook),
    lastNew: f.lastNew, newTotal: f.newTotal, lastError: f.lastError, looking: f.look !== null,
    flaggedUnreviewed: flaggedOf(f), lotJump: jumpOf(f),
  });

  /** This process stops looking (the saved row is the caller's to keep or remove). */
  function halt(f: Follow): void {
    clearInterval(f.timer);
    if (follows.get(f.projectId) === f) follows.delete(f.projectId);
  }

  async function stop(projectId: number): Promise<boolean> {
    const f = follows.get(projectId);
    if (!f) return false;
    halt(f);
    store.follows.remove(projectId);
    await f.look;
    changed(projectId);
    return true;
  }

  function begin(row: FollowRow): Follow {
    const old = follows.get(row.projectId);
    if (old) halt(old);
    const f: Follow = {
      ...row, lastLook: null, lastNew: 0, newTotal: 0, lastError: null, lastFailed: row.failed, looks: 0, jump: null, look: null, importJob: null,
      timer: setInterval(() => tick(f), everyMs),
    };
    f.timer.unref?.();
    follows.set(row.projectId, f);
    tick(f);
    return f;
  }

  // What the library followed when it was last open.
  for (const row of store.follows.all()) begin(row);

  return {
    start(input) {
      const row = { ...input, since: Date.now() };
      store.follows.save(row);
      const f = begin(row);
      changed(input.projectId);
      return stateOf(f);
    },
    stop,
    state: (projectId) => {
      const f = follows.get(projectId);
      return f ? stateOf(f) : null;
    },
    async close() {
      closed = true;
      const open = [...follows.values()];
      for (const f of open) {
        halt(f);
        if (f.importJob !== null) jobs.cancel(f.importJob);
      }
      await Promise.all(open.map((f) => f.look));
    },
  };
}
