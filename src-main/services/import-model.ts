// Brings a model trained elsewhere into a project: its folder (model.json and the weight files it names, as
// `train --out` writes it or a library keeps it under models/<id>) is checked, copied into this library and
// recorded ready to score, with its training history. An engineering PC trains; the line's PC scores.
import { randomUUID } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { modelPaths } from '../data-dir';
import { carriedFiles, readModelMeta, type SavedThreshold } from '../engine/model-dir';
import { parseOptions } from '../engine/options';
import { epochMessage, modelValidation, storedEpoch, trainingSeconds } from '../jobs/model-record';
import { unpackModel } from './model-archive';
import type { ModelRow, Store } from '../store';

export interface ImportModelInput {
  projectId: number;
  /** The model's folder (the one that holds model.json), its model.json, or its .zip. */
  folder: string;
  /** The name in this project; the folder's name (numbered when taken) if absent. */
  name?: string;
  /** A browser's upload (`folder` is its staged copy): the folder's or .zip's name there, which the model is named and recorded by. */
  uploadedAs?: string;
}

/**
 * A name for a model from its folder's: a library keeps models under their number (models/3: "model 3 (imported)"),
 * `train --out` under the name the user gave; with " (2)", " (3)" … when the project has a model of that name.
 */
function freeName(store: Store, projectId: number, folder: string): string {
  const base = basename(folder);
  const wanted = /^\d+$/.test(base) ? `model ${base} (imported)` : base;
  const taken = new Set(store.models.list(projectId).map((m) => m.name));
  let name = wanted;
  for (let n = 2; taken.has(name); n++) name = `${wanted} (${n})`;
  return name;
}

const INCOMING = '.incoming-';
/** An import's copy older than this was left by a killed process (a model folder copies in seconds). */
const STALE_INCOMING_MS = 60 * 60 * 1000;

/** Removes copies that killed imports left behind; never one an import of this process may still be writing. */
async function removeStaleIncoming(modelsDir: string): Promise<void> {
  const names = await readdir(modelsDir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(INCOMING))) {
    const path = join(modelsDir, name);
    const old = await stat(path).then((s) => Date.now() - s.mtimeMs > STALE_INCOMING_MS, () => false);
    if (old) await rm(path, { recursive: true, force: true });
  }
}

export interface ModelImport {
  model: ModelRow;
  /** Images it trained and validated on where it was trained (model.json's counts). */
  trainedOn: number;
  /** The threshold saved last where it was trained (its folder's threshold.json), now the model's here; null if none. */
  threshold: SavedThreshold | null;
}

/** Where the model's files are: the folder named, the folder of a model.json named, or a .zip unpacked into `unpackTo`. */
async function modelSource(named: string, unpackTo: string): Promise<{ dir: string; zip: boolean }> {
  const path = resolve(named);
  const isDir = await stat(path).then((s) => s.isDirectory(), () => null);
  if (isDir === null) throw new Error(`no such ${/\.zip$/i.test(path) ? 'file' : 'folder'}: ${path}`);
  if (isDir) return { dir: path, zip: false };
  if (basename(path) === 'model.json') return { dir: dirname(path), zip: false };
  if (!/\.zip$/i.test(path)) throw new Error(`${path} is a file: choose the model's folder (the one that holds model.json) or its .zip`);
  try {
    await unpackModel(path, unpackTo);
  } catch (err) {
    await rm(unpackTo, { recursive: true, force: true });
    throw err;
  }
  return { dir: unpackTo, zip: true };
}

export async function importModel(store: Store, dataDir: string, input: ImportModelInput): Promise<ModelImport> {
  const modelsDir = join(dataDir, 'models');
  await removeStaleIncoming(modelsDir);
  const source = await modelSource(input.folder, join(modelsDir, `${INCOMING}${randomUUID()}`)).catch((err: Error) => {
    // An upload's staged copy is no place the user knows.
    throw input.uploadedAs ? new Error(err.message.replaceAll(resolve(input.folder), `the uploaded file "${input.uploadedAs}"`)) : err;
  });
  try {
    return await importFrom(store, dataDir, source, input);
  } finally {
    if (source.zip) await rm(source.dir, { recursive: true, force: true });
  }
}

async function importFrom(store: Store, dataDir: string, source: { dir: string; zip: boolean }, input: ImportModelInput): Promise<ModelImport> {
  const from = source.dir;
  const kind = source.zip ? 'file' : 'folder';
  const origin = input.uploadedAs ? `the uploaded ${kind} "${input.uploadedAs}"` : source.zip ? resolve(input.folder) : from;
  // An unpacked archive or an upload's staged copy is no place the user knows: its messages name the files alone.
  const said = (message: string) => (from === origin ? message : message.replaceAll(from + sep, '').replaceAll(from, origin));
  const meta = await readModelMeta(from).catch((err: Error) => {
    throw new Error(`${origin} is not a model ${kind}: ${said(err.message)}`);
  });
  try {
    parseOptions(meta.options);
  } catch (err) {
    throw new Error(`${origin}: its options are not ones this version can score with (${err instanceof Error ? err.message : String(err)})`);
  }
  const { files, threshold } = await carriedFiles(from, meta).catch((err: Error) => {
    throw new Error(said(err.message));
  });
  const named = (input.uploadedAs ?? (source.zip ? input.folder : from)).replace(/\.zip$/i, '');
  const name = input.name?.trim() ? input.name.trim() : freeName(store, input.projectId, named);
  // Copied whole before the model is recorded, and moved into place in the same transaction: a kill leaves
  // either no model or a complete one (at worst an .incoming folder, never read).
  const incoming = join(dataDir, 'models', `${INCOMING}${randomUUID()}`);
  await mkdir(incoming, { recursive: true });
  try {
    for (const f of files) await copyFile(join(from, f), join(incoming, f));
    return store.transaction(() => {
      const row = store.models.adopt({
        projectId: input.projectId, name, options: meta.options, backend: meta.backend ? { ...meta.backend } : null, scoreKind: meta.scoreKind,
        patchScale: meta.patchScale, validationStats: JSON.parse(JSON.stringify(modelValidation(meta))),
        trainingMs: Math.round(trainingSeconds(meta) * 1000), fileListHash: meta.trainingSetHash,
        trainingHashes: meta.trainingHashes ?? [], importedFrom: origin,
      });
      const run = store.training.startRun(row.id, null);
      for (const e of meta.history) store.training.addEpoch(run.id, storedEpoch(epochMessage(e, meta.epochKept)));
      store.training.finishRun(run.id, { status: 'done', epochKept: meta.epochKept });
      if (threshold) store.thresholds.set(row.id, { value: threshold.value, lower: threshold.lower, source: threshold.source });
      const dir = modelPaths(dataDir, row.id).modelDir;
      store.models.update(row.id, { weightsDir: dir });
      rmSync(dir, { recursive: true, force: true }); // no model row names it: left by a model deleted mid-way
      renameSync(incoming, dir);
      return { model: store.models.get(row.id)!, trainedOn: meta.trainCount + meta.validationCount, threshold };
    });
  } finally {
    await rm(incoming, { recursive: true, force: true });
  }
}
