import type Database from 'better-sqlite3';
import { fromJson, toJson } from './json-columns';
import type { Job, JobKind, JobStatus, Json } from './types';

type RawJob = Omit<Job, 'params' | 'result'> & { params: string; result: string | null };

const COLUMNS = `id, project_id AS projectId, kind, status, params, progress, phase, message, created_at AS createdAt,
  started_at AS startedAt, finished_at AS finishedAt, result`;

const toRow = (r: RawJob): Job => ({ ...r, params: fromJson(r.params), result: fromJson(r.result) });

export type FinalJobStatus = Exclude<JobStatus, 'queued' | 'running'>;

export function jobQueries(db: Database.Database) {
  const insert = db.prepare<[number | null, JobKind, string, number], RawJob>(
    `INSERT INTO jobs (project_id, kind, status, params, created_at) VALUES (?, ?, 'queued', ?, ?) RETURNING ${COLUMNS}`,
  );
  const byId = db.prepare<[number], RawJob>(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`);
  const start = db.prepare<[number, number]>(
    "UPDATE jobs SET status = 'running', started_at = ? WHERE id = ? AND status = 'queued'",
  );
  const progress = db.prepare(
    `UPDATE jobs SET progress = @progress, phase = coalesce(@phase, phase), message = coalesce(@message, message)
     WHERE id = @id AND status = 'running'`,
  );
  const finish = db.prepare(
    `UPDATE jobs SET status = @status, finished_at = @at, message = coalesce(@message, message), result = @result,
       progress = CASE WHEN @status = 'done' THEN 1 ELSE progress END
     WHERE id = @id AND status IN ('queued', 'running')`,
  );
  const next = db.prepare<[], RawJob>(`SELECT ${COLUMNS} FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1`);
  const listAll = db.prepare<[number], RawJob>(`SELECT ${COLUMNS} FROM jobs ORDER BY id DESC LIMIT ?`);
  const listStatus = db.prepare<[JobStatus, number], RawJob>(
    `SELECT ${COLUMNS} FROM jobs WHERE status = ? ORDER BY id DESC LIMIT ?`,
  );
  const interrupt = db.prepare<[number]>(
    "UPDATE jobs SET status = 'interrupted', finished_at = ?, message = 'interrupted: the app stopped while it ran' WHERE status = 'running'",
  );
  const cancelInterrupted = db.prepare<{ modelId: number; message: string }>(
    `UPDATE jobs SET status = 'cancelled', message = @message
     WHERE status = 'interrupted' AND json_extract(params, '$.modelId') = @modelId`,
  );
  const remove = db.prepare<[number]>('DELETE FROM jobs WHERE id = ?');
  const counts = db.prepare<[], { status: JobStatus; count: number }>(
    'SELECT status, count(*) AS count FROM jobs GROUP BY status',
  );

  return {
    /** A finished job that changed nothing worth keeping (an import that brought nothing in). */
    remove(id: number): void {
      remove.run(id);
    },
    create(kind: JobKind, params: Json = {}, projectId: number | null = null): Job {
      return toRow(insert.get(projectId, kind, toJson(params) ?? '{}', Date.now())!);
    },
    get(id: number): Job | undefined {
      const r = byId.get(id);
      return r && toRow(r);
    },
    /** queued -> running; false if the job was not queued (already taken or cancelled). */
    start(id: number): boolean {
      return start.run(Date.now(), id).changes === 1;
    },
    progress(id: number, p: { progress: number; phase?: string; message?: string }): void {
      const clamped = Math.min(1, Math.max(0, Number.isFinite(p.progress) ? p.progress : 0));
      progress.run({ id, progress: clamped, phase: p.phase ?? null, message: p.message ?? null });
    },
    /** Ends a queued or running job; false if it had already ended. */
    finish(id: number, end: { status: FinalJobStatus; message?: string; result?: Json }): boolean {
      const r = { id, status: end.status, at: Date.now(), message: end.message ?? null, result: toJson(end.result) };
      return finish.run(r).changes === 1;
    },
    /** A deleted model's interrupted jobs: cancelled, so none resumes onto a later model given the same id. */
    cancelInterruptedOf(modelId: number, message: string): number {
      return cancelInterrupted.run({ modelId, message }).changes;
    },
    /** Running jobs, then queued ones (newest first within each): what holds a project or model busy. */
    active(): Job[] {
      return [...listStatus.all('running', 1000), ...listStatus.all('queued', 1000)].map(toRow);
    },
    nextQueued(): Job | undefined {
      const r = next.get();
      return r && toRow(r);
    },
    list(opts: { status?: JobStatus; limit?: number } = {}): Job[] {
      const limit = opts.limit ?? 100;
      return (opts.status ? listStatus.all(opts.status, limit) : listAll.all(limit)).map(toRow);
    },
    counts(): Record<JobStatus, number> {
      const out: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0, interrupted: 0 };
      for (const r of counts.all()) out[r.status] = r.count;
      return out;
    },
    /** At startup: jobs left 'running' by a crash. Queued jobs stay queued. */
    interruptRunning(): number {
      return interrupt.run(Date.now()).changes;
    },
  };
}

export type JobQueries = ReturnType<typeof jobQueries>;
