// Imports folders (and single files) of part images into a project: inspect a few files at a time,
// write their rows in batched transactions, and record every file that could not be used.
import { existsSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { isImageError } from '../library/errors';
import { inspectAndThumbnail, type ImageFacts } from '../library/inspect';
import { isMaskPath, labelFromPath } from '../library/layout';
import { walkImageFiles, type WalkEntry } from '../library/walk';
import type { ImportCounts, Store } from '../store';

export interface ImportProgress extends ImportCounts {
  importId: number;
  elapsedMs: number;
  imagesPerSecond: number;
  done: boolean;
}

export interface ImportOptions {
  projectId: number;
  roots: string[];
  /**
   * The folder whose subfolders' names set labels and splits; default each root itself. Uploads pass
   * the project's upload folder, so the name of a dropped folder ("good", "train") counts too.
   */
  labelBase?: string;
  /** Thumbnails go here (next to the database), named by content hash. */
  thumbnailsDir: string;
  /** Folders never imported from, even inside a root: the library's own outputs (data-dir's outputDirs),
   *  so a library kept in the parts folder does not import its thumbnails and heat maps as parts. */
  skipDirs?: readonly string[];
  onProgress?: (p: ImportProgress) => void;
  /** Aborting stops taking new files, commits the ones already inspected, and ends as 'interrupted'. */
  signal?: AbortSignal;
  /** Files inspected at once; sharp decodes on libuv's pool, so a few keep both cores busy. */
  concurrency?: number;
  /** Files per transaction: a kill -9 loses at most this many. */
  batchSize?: number;
  thumbnailSize?: number;
  maxPixels?: number;
  progressIntervalMs?: number;
}

export interface ImportResult extends ImportCounts {
  importId: number;
  status: 'done' | 'interrupted';
  errorsByKind: Record<string, number>;
  seconds: number;
}

type Outcome =
  | { kind: 'image'; path: string; root: string; facts: ImageFacts; mtimeMs: number; thumbnailPath: string | null }
  | { kind: 'skipped'; reason: 'known' | 'mask' | 'not-a-file' }
  | { kind: 'error'; path: string; errorKind: string; message: string };

const zero = (): ImportCounts => ({ seen: 0, imported: 0, duplicate: 0, skipped: 0, masks: 0, notFiles: 0, moved: 0, failed: 0 });

/** Where the thumbnail of some content lives: sharded by the first hash byte so no folder gets huge. */
export function thumbnailPathFor(thumbnailsDir: string, hash: string): string {
  return join(thumbnailsDir, hash.slice(0, 2), `${hash}.webp`);
}

export async function importFolders(store: Store, opts: ImportOptions): Promise<ImportResult> {
  const { projectId, thumbnailsDir, signal } = opts;
  if (!store.projects.get(projectId)) throw new Error(`Project ${projectId} does not exist.`);
  if (!opts.roots.length) throw new Error('Choose at least one folder or image file to import.');
  const roots = opts.roots.map((r) => resolve(r));
  const labelBase = opts.labelBase === undefined ? undefined : resolve(opts.labelBase);
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const batchSize = Math.max(1, opts.batchSize ?? 64);
  const started = performance.now();
  const imp = store.imports.start(projectId, roots);
  const totals = zero();
  const pending: Outcome[] = [];
  const thumbsWritten = new Set<string>();
  let lastReport = 0;

  const report = (done: boolean) => {
    const now = performance.now();
    if (!opts.onProgress || (!done && now - lastReport < (opts.progressIntervalMs ?? 250))) return;
    lastReport = now;
    const elapsedMs = now - started;
    opts.onProgress({ ...totals, importId: imp.id, elapsedMs, imagesPerSecond: totals.seen / (elapsedMs / 1000 || 1), done });
  };

  // Synchronous: one transaction, classified against the database as it is now (no await inside).
  const flush = () => {
    if (!pending.length) return;
    const batch = pending.splice(0);
    const delta = store.transaction(() => writeBatch(store, projectId, imp.id, batch));
    for (const k of Object.keys(delta) as (keyof ImportCounts)[]) totals[k] += delta[k];
    report(false);
  };

  async function inspect(entry: Extract<WalkEntry, { kind: 'file' }>): Promise<Outcome> {
    const { path, root } = entry;
    try {
      if (isMaskPath(path, labelBase ?? root)) return { kind: 'skipped', reason: 'mask' };
      const info = await stat(path);
      // Unchanged since the last import (same path, size and mtime): skip without decoding.
      const known = store.images.byPath(projectId, path)[0];
      if (known && !known.missing && known.bytes === info.size && known.mtimeMs === Math.trunc(info.mtimeMs)) {
        return { kind: 'skipped', reason: 'known' };
      }
      // One read and one decode for the facts and the thumbnail. Content already thumbnailed (by an
      // earlier import, or by another worker now) is only checked.
      const { facts, thumbnailError } = await inspectAndThumbnail(path, {
        maxPixels: opts.maxPixels,
        thumbnailSize: opts.thumbnailSize,
        thumbnailFor: (hash) => {
          const thumb = thumbnailPathFor(thumbnailsDir, hash);
          if (thumbsWritten.has(hash) || existsSync(thumb)) return null;
          thumbsWritten.add(hash);
          return thumb;
        },
      });
      // A missing thumbnail is not a failed import: the UI falls back to the original.
      const thumbnailPath = thumbnailError ? null : thumbnailPathFor(thumbnailsDir, facts.hash);
      return { kind: 'image', path, root: labelBase ?? root, facts, mtimeMs: Math.trunc(info.mtimeMs), thumbnailPath };
    } catch (error) {
      if (isImageError(error)) return { kind: 'error', path, errorKind: error.kind, message: error.message };
      const code = (error as NodeJS.ErrnoException).code;
      const kind = code === 'ENOENT' ? 'not-found' : 'unreadable';
      return { kind: 'error', path, errorKind: kind, message: `${path}: ${(error as Error).message}` };
    }
  }

  const walker = walkImageFiles(roots, { skipDirs: opts.skipDirs });
  let failure: { error: unknown } | undefined;
  // Several workers pull from one walker; async generators queue concurrent next() calls.
  async function worker(): Promise<void> {
    try {
      while (!signal?.aborted && !failure) {
        const next = await walker.next();
        if (next.done) return;
        const entry = next.value;
        pending.push(
          entry.kind === 'error'
            ? { kind: 'error', path: entry.error.path, errorKind: entry.error.kind, message: entry.error.message }
            : entry.kind === 'not-a-file'
              ? { kind: 'skipped', reason: 'not-a-file' }
              : await inspect(entry),
        );
        if (pending.length >= batchSize) flush();
      }
    } catch (error) {
      failure ??= { error }; // e.g. the disk is full: the others stop at their next file
    }
  }

  let status: ImportResult['status'] = 'interrupted';
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
    flush();
    if (failure) throw failure.error;
    if (!signal?.aborted) {
      markVanished(store, projectId, roots);
      status = 'done';
    }
  } finally {
    await walker.return(undefined);
    store.imports.finish(imp.id, status);
    report(true);
  }
  return {
    ...totals,
    importId: imp.id,
    status,
    errorsByKind: store.imports.errorCounts(imp.id),
    seconds: (performance.now() - started) / 1000,
  };
}

/** Classifies each outcome against the database and writes it; returns what it counted. */
function writeBatch(store: Store, projectId: number, importId: number, batch: Outcome[]): ImportCounts {
  const d = zero();
  const errors: { path: string; kind: string; message: string }[] = [];
  for (const o of batch) {
    d.seen += 1;
    if (o.kind === 'skipped') {
      if (o.reason === 'mask') d.masks += 1;
      else if (o.reason === 'not-a-file') d.notFiles += 1;
      else d.skipped += 1;
    }
    else if (o.kind === 'error') {
      d.failed += 1;
      errors.push({ path: o.path, kind: o.errorKind, message: o.message });
    } else {
      const { facts, path } = o;
      const place = { path, folder: dirname(path), mtimeMs: o.mtimeMs, ...labelFromPath(path, o.root) };
      const existing = store.images.byHash(projectId, facts.hash);
      if (!existing) {
        // The file at this path was replaced by new content: its old row no longer has a file.
        for (const old of store.images.byPath(projectId, path)) store.images.setMissing(old.id, true);
        store.images.insert({
          projectId,
          ...place,
          hash: facts.hash,
          width: facts.width,
          height: facts.height,
          channels: facts.channels,
          hasAlpha: facts.hasAlpha,
          format: facts.format,
          bitDepth: facts.bitDepth,
          bytes: facts.bytes,
          importId,
          thumbnailPath: o.thumbnailPath,
        });
        d.imported += 1;
      } else if (existing.path === path) {
        // Same content where we left it (touched, or an interrupted import's last batch): refresh.
        store.images.setMtime(existing.id, o.mtimeMs);
        if (existing.missing) store.images.setMissing(existing.id, false);
        if (!existing.thumbnailPath && o.thumbnailPath) store.images.setThumbnail(existing.id, o.thumbnailPath);
        d.skipped += 1;
      } else if (existing.missing || !existsSync(existing.path)) {
        store.images.relocate(existing.id, place);
        d.moved += 1;
      } else {
        d.duplicate += 1;
      }
    }
  }
  store.imports.addErrors(importId, errors);
  store.imports.addCounts(importId, d);
  return d;
}

/** After a complete walk: images recorded under a walked folder whose file is gone become missing. */
function markVanished(store: Store, projectId: number, roots: string[]): void {
  const folders = roots.filter((r) => {
    try {
      return statSync(r).isDirectory();
    } catch {
      return false;
    }
  });
  store.transaction(() => {
    for (const folder of folders) {
      for (const row of store.images.under(projectId, folder)) {
        if (!row.missing && !existsSync(row.path)) store.images.setMissing(row.id, true);
      }
    }
  });
}
