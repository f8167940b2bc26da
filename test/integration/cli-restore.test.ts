// `restore`: a backup put back in place of the library, over real SQLite files and a real CLI process; refused while a
// writer holds the library and for anything that is not a whole library of a schema this build knows, the replaced
// database kept beside it.
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src-main/store';
import { latestVersion } from '../../src-main/store/migrations';
import { buildDbAtVersion } from '../unit/store/helpers';
import { cli } from '../fixtures/cli';
import { writePartFolder } from '../fixtures/part-images';

describe('restore', () => {
  let dir: string;
  let db: string;
  let backup: string;

  const reviewed = (file: string) => {
    const s = openStore(file, { readonly: true });
    try {
      const c = s.reviews.counts(s.projects.list()[0].id);
      return c.good + c.defect + c.unsure;
    } finally {
      s.close();
    }
  };
  /** Reviews images `from` .. `to` - 1 of the library. */
  const review = (from: number, to: number) => {
    const s = openStore(db);
    try {
      const ids = s.images.ids(s.projects.list()[0].id);
      for (let k = from; k < to; k++) s.reviews.add({ imageId: ids[k], decision: 'defect', reviewer: 'A. Jensen' });
    } finally {
      s.close();
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gi-restore-'));
    await writePartFolder(join(dir, 'parts'), { trainGood: 4, testGood: 2, testDefect: 2, size: 16 });
    db = join(dir, 'line', 'library.sqlite');
    expect((await cli(['import', join(dir, 'parts'), '--db', db])).code).toBe(0);
    review(0, 2);
    backup = join(dir, 'library-2026-12-01.sqlite');
    expect((await cli(['backup', '--db', db, '--to', backup])).code).toBe(0);
    review(2, 5); // the day after the backup
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const files = () => readdir(join(dir, 'line'));

  it('refuses while the library is open for writing, and changes nothing', async () => {
    const app = openStore(db);
    try {
      const r = await cli(['restore', '--db', db, '--from', backup]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: library .*library\.sqlite is open for writing by pid \d+/m);
    } finally {
      app.close();
    }
    expect(reviewed(db)).toBe(5);
  });

  it('refuses what is not a whole library this build can read, leaving nothing behind', async () => {
    const before = await files();
    const truncated = join(dir, 'truncated.sqlite');
    await writeFile(truncated, (await readFile(backup)).subarray(0, 8192));
    const text = join(dir, 'notes.sqlite');
    await writeFile(text, 'not a database, only named like one\n'.repeat(200));
    const newer = join(dir, 'newer.sqlite');
    await copyFile(backup, newer);
    const n = new Database(newer);
    n.pragma('user_version = 999');
    n.close();
    const tried = async (from: string) => (await cli(['restore', '--db', db, '--from', from])).stderr;
    expect(await tried(truncated)).toMatch(/^error: truncated\.sqlite cannot be restored: /m);
    expect(await tried(text)).toMatch(/^error: notes\.sqlite cannot be restored: it is not a library database/m);
    expect(await tried(newer)).toMatch(/^error: newer\.sqlite has schema version 999, but this build supports up to version \d+: restore it with a newer version/m);
    expect(await tried(db)).toMatch(/^error: .*library\.sqlite is the library's own database: name the backup to restore$/m);
    expect(await tried(join(dir, 'nowhere.sqlite'))).toMatch(/^error: no backup at .*nowhere\.sqlite$/m);
    expect(await files()).toEqual(before);
    expect(reviewed(db)).toBe(5);
  });

  it('puts the backup in place and keeps the library it replaced beside it, whole', async () => {
    const r = await cli(['restore', '--db', db, '--from', backup]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^restored .*library\.sqlite from .*library-2026-12-01\.sqlite: 1 project\(s\), 8 images, 2 reviewed, 0 model\(s\)$/m);
    const kept = /^the database it replaced is kept as (.*)$/m.exec(r.stdout)![1];
    expect(kept).toMatch(/library\.sqlite\.before-restore-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}$/);
    // No -wal of the replaced library is left to be replayed into the restored one: it went with its database.
    expect((await files()).filter((f) => /partial|^library\.sqlite-(wal|shm)$|\.lock$/.test(f))).toEqual([]);
    expect(reviewed(db)).toBe(2);
    expect(reviewed(kept)).toBe(5); // the day after the backup is not lost
    // The restored library opens for writing and goes on.
    review(2, 3);
    expect(reviewed(db)).toBe(3);
  });

  it('brings a backup of an older build up to date as it restores it, one file with nothing beside it', async () => {
    const old = join(dir, 'library-v15.sqlite');
    buildDbAtVersion(old, 15);
    const o = new Database(old);
    o.prepare("INSERT INTO projects (name, created_at) VALUES ('line 1', 1)").run();
    o.close();
    const r = await cli(['restore', '--db', db, '--from', old]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/: 1 project\(s\), 0 images, 0 reviewed, 0 model\(s\)$/m);
    expect((await files()).filter((f) => /partial|^library\.sqlite-(wal|shm)$|\.lock$/.test(f))).toEqual([]);
    const s = openStore(db, { readonly: true });
    try {
      expect([s.version, s.projects.list().map((p) => p.name)]).toEqual([latestVersion, ['line 1']]);
    } finally {
      s.close();
    }
  });
});
