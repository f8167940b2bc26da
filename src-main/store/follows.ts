import type Database from 'better-sqlite3';

/** A project's followed folders (api/follow.ts), kept so following resumes when the app starts again. */
export interface FollowRow {
  projectId: number;
  importId: number;
  roots: string[];
  modelId: number | null;
  /** Files the followed import could not read. */
  failed: number;
  since: number;
}

interface RawFollow extends Omit<FollowRow, 'roots'> { roots: string }

const COLUMNS = 'project_id AS projectId, import_id AS importId, roots, model_id AS modelId, failed, since';

export function followQueries(db: Database.Database) {
  const save = db.prepare<RawFollow>(
    `INSERT INTO follows (project_id, import_id, roots, model_id, failed, since)
     VALUES (@projectId, @importId, @roots, @modelId, @failed, @since)
     ON CONFLICT (project_id) DO UPDATE SET import_id = @importId, roots = @roots, model_id = @modelId, failed = @failed, since = @since`,
  );
  const remove = db.prepare<[number]>('DELETE FROM follows WHERE project_id = ?');
  const all = db.prepare<[], RawFollow>(`SELECT ${COLUMNS} FROM follows ORDER BY project_id`);
  const ofProject = db.prepare<[number], RawFollow>(`SELECT ${COLUMNS} FROM follows WHERE project_id = ?`);
  const toRow = (r: RawFollow): FollowRow => ({ ...r, roots: JSON.parse(r.roots) as string[] });
  return {
    /** What the project follows now (replacing what it followed). */
    save(f: FollowRow): void {
      save.run({ ...f, roots: JSON.stringify(f.roots) });
    },
    remove(projectId: number): void {
      remove.run(projectId);
    },
    all(): FollowRow[] {
      return all.all().map(toRow);
    },
    get(projectId: number): FollowRow | null {
      const r = ofProject.get(projectId);
      return r ? toRow(r) : null;
    },
  };
}
