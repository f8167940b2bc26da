import type Database from 'better-sqlite3';
import type { ImportCounts, ImportErrorRow, ImportRow, ImportStatus } from './types';
import { lotGrouper, type LotGroups } from '../shared/lots';

interface RawImport extends Omit<ImportRow, 'roots'> {
  roots: string;
}

const COLUMNS = `id, project_id AS projectId, roots, status, started_at AS startedAt, finished_at AS finishedAt,
  seen, imported, duplicate, skipped, masks, not_files AS notFiles, moved, failed`;

const toRow = (r: RawImport): ImportRow => ({ ...r, roots: JSON.parse(r.roots) as string[] });

export interface NewImportError {
  path: string;
  kind: string;
  message: string;
}

export function importQueries(db: Database.Database) {
  // A followed camera's imports nearly all name the same folders: each distinct roots text is parsed once.
  const rootsOf = new Map<string, string[]>();
  const parsedRoots = (text: string): string[] => {
    let r = rootsOf.get(text);
    if (!r) rootsOf.set(text, (r = JSON.parse(text) as string[]));
    return r;
  };
  const insert = db.prepare<[number, string, number], RawImport>(
    `INSERT INTO imports (project_id, roots, status, started_at) VALUES (?, ?, 'running', ?) RETURNING ${COLUMNS}`,
  );
  const byId = db.prepare<[number], RawImport>(`SELECT ${COLUMNS} FROM imports WHERE id = ?`);
  const ofProject = db.prepare<[number, number], RawImport>(
    `SELECT ${COLUMNS} FROM imports WHERE project_id = ? ORDER BY id DESC LIMIT ?`,
  );
  const startsAfter = db.prepare<[number, number], [number, string, number]>(
    'SELECT id, roots, started_at FROM imports WHERE project_id = ? AND id > ? ORDER BY id',
  ).raw();
  const countUpTo = db.prepare<[number, number], number>('SELECT count(*) FROM imports WHERE project_id = ? AND id <= ?').pluck();
  const startOf = db.prepare<[number], number>('SELECT started_at FROM imports WHERE id = ?').pluck();
  // Per project: the lots of its imports up to `last` (`count` of them, the last started at `lastStart`), grouped
  // once by days starting at `dayStart` and then extended.
  const grouped = new Map<number, { last: number; lastStart: number; count: number; dayStart: number; groups: ReturnType<typeof lotGrouper> }>();
  const dayStartOf = db.prepare<[number], number>('SELECT day_start FROM projects WHERE id = ?').pluck();
  const newestOfRoots = db.prepare<[number, string], number>(
    'SELECT started_at FROM imports WHERE project_id = ? AND roots = ? ORDER BY id DESC LIMIT 1',
  ).pluck();
  const startsIn = db.prepare<[number, number, number], [number, string, number]>(
    'SELECT id, roots, started_at FROM imports WHERE project_id = ? AND started_at >= ? AND started_at < ? ORDER BY id',
  ).raw();
  const addCounts = db.prepare(
    `UPDATE imports SET seen = seen + @seen, imported = imported + @imported, duplicate = duplicate + @duplicate,
       skipped = skipped + @skipped, masks = masks + @masks, not_files = not_files + @notFiles, moved = moved + @moved, failed = failed + @failed WHERE id = @id`,
  );
  const finish = db.prepare<[ImportStatus, number, number]>(
    'UPDATE imports SET status = ?, finished_at = ? WHERE id = ?',
  );
  const interruptRunning = db.prepare<[number]>(
    "UPDATE imports SET status = 'interrupted', finished_at = ? WHERE status = 'running'",
  );
  const remove = db.prepare<[number]>('DELETE FROM imports WHERE id = ?'); // its errors go by ON DELETE CASCADE
  const insertError = db.prepare<[number, string, string, string]>(
    'INSERT INTO import_errors (import_id, path, kind, message) VALUES (?, ?, ?, ?)',
  );
  const errorsOf = db.prepare<[number, number, number], ImportErrorRow>(
    `SELECT id, import_id AS importId, path, kind, message FROM import_errors
     WHERE import_id = ? ORDER BY id LIMIT ? OFFSET ?`,
  );
  const errorKinds = db.prepare<[number], { kind: string; count: number }>(
    'SELECT kind, count(*) AS count FROM import_errors WHERE import_id = ? GROUP BY kind ORDER BY kind',
  );

  return {
    start(projectId: number, roots: string[]): ImportRow {
      return toRow(insert.get(projectId, JSON.stringify(roots), Date.now())!);
    },
    get(id: number): ImportRow | undefined {
      const r = byId.get(id);
      return r && toRow(r);
    },
    /**
     * The project's lots (shared/lots), grouped once and then only its new imports: a followed line keeps an import a
     * minute when parts come, and regrouping a year of them (525 600) cost 1.1 s on each read. A deleted import
     * (a look that brought nothing, read while it ran) regroups all, and so does the last one's id taken again by
     * a newer import (SQLite gives the largest id + 1), and so does another day start (set from any process).
     */
    lots(projectId: number): LotGroups {
      const dayStart = dayStartOf.get(projectId) ?? 0;
      let g = grouped.get(projectId);
      if (g && (g.dayStart !== dayStart || countUpTo.get(projectId, g.last) !== g.count || (g.count > 0 && startOf.get(g.last) !== g.lastStart))) g = undefined;
      g ??= { last: 0, lastStart: 0, count: 0, dayStart, groups: lotGrouper(dayStart) };
      const rows = startsAfter.all(projectId, g.last);
      g.groups.add(rows.map(([id, roots, startedAt]) => ({ id, roots: parsedRoots(roots), startedAt })));
      if (rows.length) [g.last, g.lastStart, g.count] = [rows[rows.length - 1][0], rows[rows.length - 1][2], g.count + rows.length];
      grouped.set(projectId, g);
      return g.groups;
    },
    /** When the newest import of exactly these folders started (ms); null when there is none. */
    newestStart(projectId: number, roots: readonly string[]): number | null {
      return newestOfRoots.get(projectId, JSON.stringify(roots)) ?? null;
    },
    /** The imports started in [from, to) (ms), oldest first: one day's, for that day's lots alone. */
    startsBetween(projectId: number, from: number, to: number): Array<{ id: number; roots: string[]; startedAt: number }> {
      return startsIn.all(projectId, from, to).map(([id, roots, startedAt]) => ({ id, roots: parsedRoots(roots), startedAt }));
    },
    list(projectId: number, limit = 50): ImportRow[] {
      return ofProject.all(projectId, limit).map(toRow);
    },
    /** Adds to the running totals; call inside the same transaction as the batch it counts. */
    addCounts(id: number, delta: Partial<ImportCounts>): void {
      addCounts.run({ id, seen: 0, imported: 0, duplicate: 0, skipped: 0, masks: 0, notFiles: 0, moved: 0, failed: 0, ...delta });
    },
    addErrors(id: number, errors: NewImportError[]): void {
      for (const e of errors) insertError.run(id, e.path, e.kind, e.message);
    },
    finish(id: number, status: Exclude<ImportStatus, 'running'>): void {
      finish.run(status, Date.now(), id);
    },
    /** An import that changed nothing (a followed folder's look with nothing new): no row is kept for it. */
    remove(id: number): void {
      remove.run(id);
    },
    /** At startup: imports still 'running' were cut short by a crash or kill. */
    interruptRunning(): number {
      return interruptRunning.run(Date.now()).changes;
    },
    errors(id: number, limit = 1000, offset = 0): ImportErrorRow[] {
      return errorsOf.all(id, limit, offset);
    },
    errorCounts(id: number): Record<string, number> {
      return Object.fromEntries(errorKinds.all(id).map((r) => [r.kind, r.count]));
    },
  };
}

export type ImportQueries = ReturnType<typeof importQueries>;
