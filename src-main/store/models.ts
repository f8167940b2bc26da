import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { fromJson, toJson } from './json-columns';
import type { Json, ModelRow, ModelStatus, ScoreKind } from './types';

type RawModel = Omit<ModelRow, 'options' | 'backend' | 'validationStats'> & {
  options: string;
  backend: string | null;
  validationStats: string | null;
};

const COLUMNS = `m.id, m.project_id AS projectId, m.name, m.options, m.backend, m.file_list_hash AS fileListHash,
  m.validation_stats AS validationStats, m.score_kind AS scoreKind, m.patch_scale AS patchScale, m.weights_dir AS weightsDir, m.status,
  m.created_at AS createdAt, m.training_ms AS trainingMs, m.imported_from AS importedFrom,
  (SELECT count(*) FROM model_images mi WHERE mi.model_id = m.id) AS trainCount`;

const toRow = (r: RawModel): ModelRow => ({
  ...r,
  options: fromJson(r.options),
  backend: fromJson(r.backend),
  validationStats: fromJson(r.validationStats),
});

export interface NewModel {
  projectId: number;
  name: string;
  options: Json;
  backend?: Json;
  scoreKind?: ScoreKind | 'auto';
  weightsDir?: string | null;
  /** The training images; stored as the model's dataset snapshot. */
  trainImageIds: number[];
}

/** A finished model trained elsewhere, as its model.json describes it. */
export interface ImportedModel {
  projectId: number;
  name: string;
  options: Json;
  backend: Json;
  scoreKind: ScoreKind;
  patchScale: number | null;
  validationStats: Json;
  trainingMs: number;
  /** model.json's fingerprint of its training set. */
  fileListHash: string;
  /** Content hashes it trained and validated on: this project's images with one of them are its own. */
  trainingHashes: readonly string[];
  importedFrom: string;
}

export interface ModelUpdate {
  status?: ModelStatus;
  backend?: Json;
  validationStats?: Json;
  scoreKind?: ScoreKind | 'auto';
  /** Patch mode's crop scale once trained; null = whole images. */
  patchScale?: number | null;
  weightsDir?: string | null;
  trainingMs?: number | null;
}

/** Order-independent fingerprint of a training set: sha256 of the sorted content hashes, one per line. */
export function fileListHash(contentHashes: string[]): string {
  return createHash('sha256').update([...contentHashes].sort().join('\n')).digest('hex');
}

export function modelQueries(db: Database.Database) {
  const insert = db.prepare(
    `INSERT INTO models (project_id, name, options, backend, file_list_hash, score_kind, weights_dir, status, created_at)
     VALUES (@projectId, @name, @options, @backend, @fileListHash, @scoreKind, @weightsDir, 'training', @createdAt)`,
  );
  const addImage = db.prepare<[number, number]>('INSERT INTO model_images (model_id, image_id) VALUES (?, ?)');
  const hashOf = db.prepare<[number, number], { hash: string }>(
    'SELECT hash FROM images WHERE id = ? AND project_id = ?',
  );
  const byId = db.prepare<[number], RawModel>(`SELECT ${COLUMNS} FROM models m WHERE m.id = ?`);
  const ofProject = db.prepare<[number], RawModel>(
    `SELECT ${COLUMNS} FROM models m WHERE m.project_id = ? ORDER BY m.id DESC`,
  );
  const byName = db.prepare<[number, string], { id: number }>(
    'SELECT id FROM models WHERE project_id = ? AND name = ?',
  );
  const trainIds = db.prepare<[number], number>(
    'SELECT image_id FROM model_images WHERE model_id = ? ORDER BY image_id',
  ).pluck();
  const trainedOnRejected = db.prepare<[number], number>(
    `SELECT count(*) FROM model_images mi JOIN latest_reviews l ON l.image_id = mi.image_id
     WHERE mi.model_id = ? AND l.decision IN ('defect', 'unsure')`,
  ).pluck();
  const update = db.prepare(
    `UPDATE models SET status = coalesce(@status, status),
       backend = CASE WHEN @setBackend THEN @backend ELSE backend END,
       validation_stats = CASE WHEN @setStats THEN @validationStats ELSE validation_stats END,
       score_kind = coalesce(@scoreKind, score_kind),
       patch_scale = CASE WHEN @setScale THEN @patchScale ELSE patch_scale END,
       weights_dir = CASE WHEN @setWeights THEN @weightsDir ELSE weights_dir END,
       training_ms = CASE WHEN @setMs THEN @trainingMs ELSE training_ms END
     WHERE id = @id`,
  );
  const insertImported = db.prepare(
    `INSERT INTO models (project_id, name, options, backend, file_list_hash, validation_stats, score_kind, patch_scale, status, created_at, training_ms, imported_from)
     VALUES (@projectId, @name, @options, @backend, @fileListHash, @validationStats, @scoreKind, @patchScale, 'ready', @createdAt, @trainingMs, @importedFrom)`,
  );
  const imagesWithHash = db.prepare<[number, string], number>('SELECT id FROM images WHERE project_id = ? AND hash = ?').pluck();
  const interrupt = db.prepare("UPDATE models SET status = 'interrupted' WHERE status = 'training'");
  const remove = db.prepare<[number]>('DELETE FROM models WHERE id = ?');
  const rename = db.prepare<[string, number]>('UPDATE models SET name = ? WHERE id = ?');

  const create = db.transaction((m: NewModel): number => {
    if (!m.trainImageIds.length) throw new Error(`Model "${m.name}" needs at least one training image.`);
    if (byName.get(m.projectId, m.name)) throw new Error(`A model named "${m.name}" already exists in this project.`);
    const imageIds = [...new Set(m.trainImageIds)];
    const hashes = imageIds.map((id) => {
      const row = hashOf.get(id, m.projectId);
      if (!row) throw new Error(`Training image ${id} is not in project ${m.projectId}.`);
      return row.hash;
    });
    const id = Number(
      insert.run({
        projectId: m.projectId,
        name: m.name,
        options: toJson(m.options) ?? '{}',
        backend: toJson(m.backend),
        fileListHash: fileListHash(hashes),
        scoreKind: m.scoreKind ?? 'latent',
        weightsDir: m.weightsDir ?? null,
        createdAt: Date.now(),
      }).lastInsertRowid,
    );
    for (const imageId of imageIds) addImage.run(id, imageId);
    return id;
  });

  const adopt = db.transaction((m: ImportedModel): number => {
    if (byName.get(m.projectId, m.name)) throw new Error(`A model named "${m.name}" already exists in this project.`);
    const id = Number(insertImported.run({
      projectId: m.projectId, name: m.name, options: toJson(m.options) ?? '{}', backend: toJson(m.backend), fileListHash: m.fileListHash,
      validationStats: toJson(m.validationStats), scoreKind: m.scoreKind, patchScale: m.patchScale, createdAt: Date.now(),
      trainingMs: m.trainingMs, importedFrom: m.importedFrom,
    }).lastInsertRowid);
    for (const hash of new Set(m.trainingHashes)) for (const imageId of imagesWithHash.all(m.projectId, hash)) addImage.run(id, imageId);
    return id;
  });

  return {
    /** Adds a model trained elsewhere, ready to score; its own images are the project's with content it lists. */
    adopt(m: ImportedModel): ModelRow {
      return toRow(byId.get(adopt(m))!);
    },
    /** Creates the model in status 'training' together with its dataset snapshot. */
    create(m: NewModel): ModelRow {
      return toRow(byId.get(create(m))!);
    },
    get(id: number): ModelRow | undefined {
      const r = byId.get(id);
      return r && toRow(r);
    },
    list(projectId: number): ModelRow[] {
      return ofProject.all(projectId).map(toRow);
    },
    trainImageIds(id: number): number[] {
      return trainIds.all(id);
    },
    /** How many of the images it trained or validated on are now reviewed defect or unsure. */
    trainedOnRejected(id: number): number {
      return trainedOnRejected.get(id)!;
    },
    update(id: number, u: ModelUpdate): void {
      update.run({
        id,
        status: u.status ?? null,
        setBackend: u.backend !== undefined ? 1 : 0,
        backend: toJson(u.backend),
        setStats: u.validationStats !== undefined ? 1 : 0,
        validationStats: toJson(u.validationStats),
        scoreKind: u.scoreKind ?? null,
        setScale: u.patchScale !== undefined ? 1 : 0,
        patchScale: u.patchScale ?? null,
        setWeights: u.weightsDir !== undefined ? 1 : 0,
        weightsDir: u.weightsDir ?? null,
        setMs: u.trainingMs !== undefined ? 1 : 0,
        trainingMs: u.trainingMs ?? null,
      });
    },
    /** A new name, unique in its project. */
    rename(id: number, name: string): void {
      const model = byId.get(id);
      if (!model) throw new Error(`No model with id ${id}.`);
      const trimmed = name.trim();
      if (!trimmed) throw new Error('A model needs a non-empty name.');
      const taken = byName.get(model.projectId, trimmed);
      if (taken && taken.id !== id) throw new Error(`A model named "${trimmed}" already exists in this project.`);
      rename.run(trimmed, id);
    },
    /** At startup: models left 'training' by a crash. */
    interruptTraining(): number {
      return interrupt.run().changes;
    },
    /** Deletes the model with its snapshot, runs, scores and thresholds (reviews stay, unlinked). */
    remove(id: number): void {
      remove.run(id);
    },
  };
}

export type ModelQueries = ReturnType<typeof modelQueries>;
