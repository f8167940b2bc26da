// Real SQLite files in a fresh temp folder per test, and databases built at any schema version.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '../../../src-main/store/migrate';
import { openStore, type Store } from '../../../src-main/store';
import type { NewImage } from '../../../src-main/store';

export function tempDir(prefix = 'store-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A database file at schema version `n` (0 = empty), built by the released steps 1..n. */
export function buildDbAtVersion(file: string, n: number): void {
  const db = new Database(file);
  try {
    migrate(db, { target: n });
  } finally {
    db.close();
  }
}

/** A store in a temp folder; `done()` closes it and deletes the folder. */
export function tempStore(): { store: Store; dir: string; file: string; done: () => void } {
  const { dir, cleanup } = tempDir();
  const file = join(dir, 'inspector.db');
  const store = openStore(file);
  return {
    store,
    dir,
    file,
    done: () => {
      store.close();
      cleanup();
    },
  };
}

let counter = 0;
/** An image row as the importer would write it; `hash` and `path` are unique unless given. */
export function fakeImage(projectId: number, over: Partial<NewImage> = {}): NewImage {
  counter += 1;
  return {
    projectId,
    path: `/data/set/img-${counter}.png`,
    hash: `hash-${counter}-${Math.random().toString(16).slice(2)}`,
    width: 32,
    height: 32,
    channels: 1,
    hasAlpha: false,
    format: 'png',
    bitDepth: 8,
    bytes: 1000,
    mtimeMs: 1,
    label: 'good',
    split: 'train',
    defectType: null,
    folder: '/data/set',
    importId: null,
    thumbnailPath: null,
    ...over,
  };
}
