import type Database from 'better-sqlite3';
import { fromJson, toJson } from './json-columns';
import type { EpochLosses, Json, RunStatus, TrainingEpoch, TrainingRun } from './types';

const RUN_COLUMNS = `id, model_id AS modelId, job_id AS jobId, status, started_at AS startedAt,
  finished_at AS finishedAt, epoch_kept AS epochKept, error`;
const EPOCH_COLUMNS = `run_id AS runId, epoch, err_g AS errG, err_d AS errD, err_adv AS errGAdv, err_con AS errGCon,
  err_enc AS errGEnc, validation, seconds`;

type RawEpoch = Omit<TrainingEpoch, 'validation'> & { validation: string | null };

export interface NewEpoch extends Partial<EpochLosses> {
  epoch: number;
  validation?: Json;
  seconds: number;
}

export function trainingQueries(db: Database.Database) {
  const insertRun = db.prepare<[number, number | null, number], TrainingRun>(
    `INSERT INTO training_runs (model_id, job_id, status, started_at) VALUES (?, ?, 'running', ?)
     RETURNING ${RUN_COLUMNS}`,
  );
  const finishRun = db.prepare(
    `UPDATE training_runs SET status = @status, finished_at = @finishedAt,
       epoch_kept = coalesce(@epochKept, epoch_kept), error = @error WHERE id = @id`,
  );
  const runById = db.prepare<[number], TrainingRun>(`SELECT ${RUN_COLUMNS} FROM training_runs WHERE id = ?`);
  const runsOf = db.prepare<[number], TrainingRun>(
    `SELECT ${RUN_COLUMNS} FROM training_runs WHERE model_id = ? ORDER BY id`,
  );
  // Upsert: a resumed run may repeat the epoch it was cut off in.
  const insertEpoch = db.prepare(
    `INSERT INTO training_epochs (run_id, epoch, err_g, err_d, err_adv, err_con, err_enc, validation, seconds)
     VALUES (@runId, @epoch, @errG, @errD, @errGAdv, @errGCon, @errGEnc, @validation, @seconds)
     ON CONFLICT (run_id, epoch) DO UPDATE SET err_g = excluded.err_g, err_d = excluded.err_d,
       err_adv = excluded.err_adv, err_con = excluded.err_con, err_enc = excluded.err_enc,
       validation = excluded.validation, seconds = excluded.seconds`,
  );
  const epochsOf = db.prepare<[number], RawEpoch>(
    `SELECT ${EPOCH_COLUMNS} FROM training_epochs WHERE run_id = ? ORDER BY epoch`,
  );
  const keepEpoch = db.prepare<[number, number]>('UPDATE training_runs SET epoch_kept = ? WHERE id = ?');
  const interrupt = db.prepare<[number]>(
    "UPDATE training_runs SET status = 'interrupted', finished_at = ? WHERE status = 'running'",
  );

  return {
    startRun(modelId: number, jobId: number | null = null): TrainingRun {
      return insertRun.get(modelId, jobId, Date.now())!;
    },
    finishRun(
      id: number,
      end: { status: Exclude<RunStatus, 'running'>; epochKept?: number | null; error?: string | null },
    ): void {
      finishRun.run({
        id,
        status: end.status,
        finishedAt: Date.now(),
        epochKept: end.epochKept ?? null,
        error: end.error ?? null,
      });
    },
    /** Marks the epoch whose weights were kept (best validation) while the run goes on. */
    keepEpoch(id: number, epoch: number): void {
      keepEpoch.run(epoch, id);
    },
    getRun(id: number): TrainingRun | undefined {
      return runById.get(id);
    },
    runs(modelId: number): TrainingRun[] {
      return runsOf.all(modelId);
    },
    addEpoch(runId: number, e: NewEpoch): void {
      insertEpoch.run({
        runId,
        epoch: e.epoch,
        errG: e.errG ?? null,
        errD: e.errD ?? null,
        errGAdv: e.errGAdv ?? null,
        errGCon: e.errGCon ?? null,
        errGEnc: e.errGEnc ?? null,
        validation: toJson(e.validation),
        seconds: e.seconds,
      });
    },
    epochs(runId: number): TrainingEpoch[] {
      return epochsOf.all(runId).map((r) => ({ ...r, validation: fromJson(r.validation) }));
    },
    /** At startup: runs left 'running' by a crash. */
    interruptRunning(): number {
      return interrupt.run(Date.now()).changes;
    },
  };
}

export type TrainingQueries = ReturnType<typeof trainingQueries>;
