import { rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { latestVersion, openStore, StoreVersionError } from '../../../src-main/store';
import { migrate } from '../../../src-main/store/migrate';
import { migrations } from '../../../src-main/store/migrations';
import { buildDbAtVersion, tempDir } from './helpers';

const tableNames = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'index', 'view', 'trigger') ORDER BY name")
      .pluck()
      .all() as string[];
  } finally {
    db.close();
  }
};

describe('openStore', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('creates the schema from empty with WAL and foreign keys on', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const store = openStore(join(t.dir, 'a.db'));
    expect(store.version).toBe(latestVersion);
    expect(store.integrityCheck()).toEqual(['ok']);
    store.close();
    const db = new Database(join(t.dir, 'a.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion);
    db.close();
    const names = tableNames(join(t.dir, 'a.db'));
    for (const table of ['projects', 'imports', 'import_errors', 'images', 'models', 'model_images', 'training_runs',
      'training_epochs', 'scores', 'thresholds', 'reviews', 'jobs']) {
      expect(names).toContain(table);
    }
  });

  it('enforces foreign keys', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const store = openStore(join(t.dir, 'a.db'));
    expect(() => store.reviews.add({ imageId: 12345, decision: 'good' })).toThrow(/FOREIGN KEY/);
    store.close();
  });

  it.each(migrations.map((m) => m.version - 1))('migrates a database at version %i to the latest', (n) => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, `v${n}.db`);
    buildDbAtVersion(file, n);
    if (n >= 1) {
      // Every released version has a projects table: a row written there must survive the upgrade.
      const db = new Database(file);
      db.prepare("INSERT INTO projects (name, created_at) VALUES ('kept', 1)").run();
      if (n >= 1) {
        // Reviews are the audit trail: they must survive table rebuilds (migration 003) as written.
        db.prepare(`INSERT INTO images (project_id, path, hash, width, height, channels, format, bit_depth, bytes, folder, added_at)
          VALUES (1, '/x.png', 'h', 1, 1, 1, 'png', 8, 1, '/', 1)`).run();
        db.prepare("INSERT INTO reviews (image_id, decision, note, created_at) VALUES (1, 'defect', 'kept review', 7)").run();
        // A model with its dataset and a score must survive the rebuild of models (migration 005): with
        // foreign keys on, dropping the old table would cascade into both.
        db.prepare(`INSERT INTO models (project_id, name, file_list_hash, score_kind, status, created_at)
          VALUES (1, 'm', 'f', 'recon-top1', 'ready', 1)`).run();
        db.prepare('INSERT INTO model_images (model_id, image_id) VALUES (1, 1)').run();
        db.prepare('INSERT INTO scores (model_id, image_id, recon_top1, score, scored_at) VALUES (1, 1, 0.5, 0.5, 1)').run();
        // Thresholds are a history too: rebuilt by migration 008, kept as written.
        db.prepare("INSERT INTO thresholds (model_id, value, lower, source, created_at) VALUES (1, 0.4, 0.3, 'best-f1', 9)").run();
      }
      db.close();
    }
    const fresh = join(t.dir, 'fresh.db');
    openStore(fresh).close();
    const store = openStore(file);
    expect(store.version).toBe(latestVersion);
    if (n >= 1) {
      expect(store.projects.byName('kept')).toBeDefined();
      expect(store.reviews.history(1)).toMatchObject([{ decision: 'defect', note: 'kept review', createdAt: 7, reviewer: null }]);
      expect(store.models.get(1)).toMatchObject({ name: 'm', scoreKind: 'recon-top1', trainCount: 1 });
      expect(store.scores.get(1, 1)).toMatchObject({ reconTop1: 0.5, score: 0.5 });
      expect(() => store.models.update(1, { scoreKind: 'ssim' })).not.toThrow();
      expect(store.thresholds.history(1)).toMatchObject([{ value: 0.4, lower: 0.3, source: 'best-f1', createdAt: 9 }]);
      expect(() => store.thresholds.set(1, { value: 0.5, lower: null, source: 'recall' })).not.toThrow();
    }
    store.close();
    // Upgraded and fresh databases end with the same schema objects.
    expect(tableNames(file)).toEqual(tableNames(fresh));
  });

  it('brings a library written by an older build up to date before reading it (status, export), unless a writer holds it', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'old.db');
    buildDbAtVersion(file, latestVersion - 1);
    // Held by a writer of that older build (a live process on this host): refused, saying what to do, untouched.
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.ppid, command: 'an older app', host: hostname(), since: '2026-11-30T08:00:00Z' }));
    expect(() => openStore(file, { readonly: true })).toThrow(new RegExp(`schema version ${latestVersion - 1} and this build reads version ${latestVersion}.*close the older app`));
    const before = new Database(file);
    expect(before.pragma('user_version', { simple: true })).toBe(latestVersion - 1);
    before.close();
    rmSync(`${file}.lock`);
    // Free: upgraded, then read (every query of this build is prepared against the new schema).
    const store = openStore(file, { readonly: true });
    expect(store.version).toBe(latestVersion);
    expect(store.follows.all()).toEqual([]);
    store.close();
  });

  it('refuses a database from a newer version with its own error and leaves it untouched', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'future.db');
    buildDbAtVersion(file, latestVersion);
    const db = new Database(file);
    db.pragma(`user_version = ${latestVersion + 1}`);
    db.close();
    let err: unknown;
    try {
      openStore(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreVersionError);
    expect((err as Error).message).toMatch(new RegExp(`schema version ${latestVersion + 1}.*up to version ${latestVersion}`));
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(latestVersion + 1);
    check.close();
  });

  it('rolls back every pending step when one fails', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const db = new Database(join(t.dir, 'x.db'));
    const broken = [...migrations, { version: latestVersion + 1, name: 'broken', sql: 'CREATE TABLE oops (; ' }];
    expect(() => migrate(db, { migrations: broken })).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'projects'").pluck().get()).toBe(0);
    db.close();
  });

  it('gives a clear error for a file that is not a database', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'junk.db');
    writeFileSync(file, 'this is not sqlite'.repeat(100));
    expect(() => openStore(file)).toThrow(/not a database/);
  });
});
