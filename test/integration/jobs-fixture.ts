// Shared set-up of the jobs integration tests: a temp folder with tiny synthetic part PNGs in the MVTec
// layout, imported into a real SQLite store, and the smallest model options that still train.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeImagePng } from '../../src-main/library/write';
import { importFolders } from '../../src-main/services/import-folders';
import { openStore, type Store } from '../../src-main/store';
import { makeParts } from '../fixtures/synthetic-parts';

export const TINY_OPTIONS = { isize: 16, ngf: 8, ndf: 8, nz: 16, batchSize: 8, epochs: 2, seed: 1 };

export interface Library {
  dir: string;
  dbFile: string;
  store: Store;
  projectId: number;
  cleanup(): void;
}

/** Writes `good` training parts, and test parts (half defective), as 24x24 gray PNGs. */
export async function writeParts(root: string, counts: { train: number; test: number }, seed = 7): Promise<void> {
  const size = 24;
  const train = makeParts({ count: counts.train, isize: size, seed });
  const test = makeParts({ count: counts.test, isize: size, seed: seed + 1, defectFraction: 0.5 });
  const per = size * size;
  const writes: Promise<void>[] = [];
  for (let i = 0; i < train.count; i++) {
    writes.push(writeImagePng(join(root, 'train', 'good', `part-${i}.png`), train.images.subarray(i * per, (i + 1) * per), size, size, 1));
  }
  for (let i = 0; i < test.count; i++) {
    const folder = test.kinds[i] === 'good' ? 'good' : test.kinds[i];
    writes.push(writeImagePng(join(root, 'test', folder, `part-${i}.png`), test.images.subarray(i * per, (i + 1) * per), size, size, 1));
  }
  await Promise.all(writes);
}

export async function makeLibrary(counts = { train: 40, test: 12 }): Promise<Library> {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-test-'));
  const images = join(dir, 'parts');
  await writeParts(images, counts);
  const dbFile = join(dir, 'library.sqlite');
  const store = openStore(dbFile);
  const projectId = store.projects.ensure('default').id;
  await importFolders(store, { projectId, roots: [images], thumbnailsDir: join(dir, 'thumbnails') });
  return { dir, dbFile, store, projectId, cleanup: () => { try { store.close(); } catch { /* closed */ } rmSync(dir, { recursive: true, force: true }); } };
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitUntil<T>(what: string, check: () => T | undefined | false, timeoutMs = 60_000, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Whether a process with this pid is still alive (signal 0 probes without killing). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
