// What a line keeps for an audit, taken while the app holds the library for writing: `backup` (its copy holds the
// reviews SQLite still keeps in library.sqlite-wal, which a plain copy of the file does not), the desktop's backup
// through a save dialog, and `export --reviews` (who decided what, and when).
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiHost, type ApiHost } from '../../src-main/api/host';
import { openStore, type Store } from '../../src-main/store';
import { cli } from '../fixtures/cli';
import { writePartFolder } from '../fixtures/part-images';

describe('backup', () => {
  let dir: string;
  let db: string;
  let host: ApiHost;
  let app: Store;
  /** What the desktop's save dialog answers next. */
  const dialog: Array<string | null> = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gi-backup-'));
    await writePartFolder(join(dir, 'parts'), { trainGood: 4, testGood: 2, testDefect: 2, size: 16 });
    db = join(dir, 'line', 'library.sqlite');
    expect((await cli(['import', join(dir, 'parts'), '--db', db])).code).toBe(0);
    // The desktop app holds the library for writing and reviews three parts.
    host = openApiHost({ dbPath: db, mode: 'electron', version: 'test', mediaUrl: () => '', queue: null, savePath: async () => dialog.shift() ?? null });
    app = host.store;
    const project = app.projects.list()[0];
    const ids = app.images.ids(project.id);
    app.reviews.add({ imageId: ids[0], decision: 'defect', note: 'crack', reviewer: 'A. Jensen' });
    app.reviews.add({ imageId: ids[1], decision: 'good', reviewer: 'A. Jensen' });
    app.reviews.add({ imageId: ids[2], decision: 'unsure' });
  }, 60_000);
  afterAll(async () => {
    await host.close();
    await rm(dir, { recursive: true, force: true });
  });

  const reviewsIn = (file: string) => {
    const s = openStore(file, { readonly: true });
    try {
      return s.reviews.counts(s.projects.list()[0].id);
    } finally {
      s.close();
    }
  };

  it('copies what the open library holds, checked, and never over an earlier copy', async () => {
    // The trap it avoids: the database file alone, copied now, lacks the reviews still in its -wal file.
    await copyFile(db, join(dir, 'plain-copy.sqlite'));
    expect(reviewsIn(join(dir, 'plain-copy.sqlite'))).toEqual({ good: 0, defect: 0, unsure: 0 });

    const to = join(dir, 'backups', 'library-2026-12-02.sqlite');
    expect((await cli(['backup', '--db', db, '--to', to])).stderr).toMatch(/^error: no folder .*backups to write the backup into$/m);
    await cli(['status', '--db', db]); // a reader meanwhile changes nothing
    await mkdir(join(dir, 'backups'));
    const r = await cli(['backup', '--db', db, '--to', to]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^backed up .*library\.sqlite to .*library-2026-12-02\.sqlite: 1 project\(s\), 8 images, 3 reviewed, 0 model\(s\)$/m);
    expect(r.stdout).toMatch(/^the models' weights are files in .*models: copy that folder as it is$/m);
    expect(reviewsIn(to)).toEqual({ good: 1, defect: 1, unsure: 1 });
    const copy = openStore(to, { readonly: true });
    try {
      expect(copy.integrityCheck()).toEqual(['ok']);
      const ids = copy.images.ids(copy.projects.list()[0].id);
      expect(copy.reviews.latest(ids[0])).toMatchObject({ decision: 'defect', note: 'crack', reviewer: 'A. Jensen' });
    } finally {
      copy.close();
    }
    // The app went on writing all along; a second backup under the same name is refused, the first one kept.
    app.reviews.add({ imageId: app.images.ids(app.projects.list()[0].id)[3], decision: 'good' });
    const again = await cli(['backup', '--db', db, '--to', to]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: .*library-2026-12-02\.sqlite exists already: give the backup a new name/m);
    expect(reviewsIn(to)).toEqual({ good: 1, defect: 1, unsure: 1 });
    // One self-contained file, nothing half-written beside it.
    expect(await readdir(join(dir, 'backups'))).toEqual(['library-2026-12-02.sqlite']);
    expect((await cli(['backup', '--db', join(dir, 'nowhere.sqlite'), '--to', join(dir, 'backups', 'x.sqlite')])).stderr).toMatch(/^error: no library database at /m);
  });

  it("saves a backup from the desktop app where its save dialog says, replacing a file the user chose to replace", async () => {
    const backup = () => host.dispatcher.handle('library.backup', {});
    dialog.push(null);
    expect(await backup()).toEqual({ ok: true, data: { available: true, path: null, held: null, modelsDir: join(dir, 'line', 'models') } });
    const to = join(dir, 'backups', 'library-2026-12-02.sqlite');
    dialog.push(to); // an earlier backup, which the dialog asked to replace
    const r = await backup();
    expect(r).toEqual({ ok: true, data: { available: true, path: to, held: '1 project(s), 8 images, 4 reviewed, 0 model(s)', modelsDir: join(dir, 'line', 'models') } });
    expect(reviewsIn(to)).toEqual({ good: 2, defect: 1, unsure: 1 });
    // The library's own file, chosen by mistake: refused, and the library goes on as it was.
    dialog.push(db);
    expect(await backup()).toEqual({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/library\.sqlite is the library's own database: choose another file for its backup$/) } });
    expect(app.integrityCheck()).toEqual(['ok']);
    expect(reviewsIn(db)).toEqual({ good: 2, defect: 1, unsure: 1 });
    dialog.push(join(dir, 'gone', 'x.sqlite'));
    expect(await backup()).toEqual({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/^Could not back up the library to .*x\.sqlite: no folder .*gone to write the backup into$/) } });
  });

  it('exports the review trail, who decided what and when, while the app holds the library', async () => {
    const out = join(dir, 'audit', 'reviews.csv');
    const r = await cli(['export', '--db', db, '--reviews', '--csv', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^exported 4 reviews of project "default" to .*reviews\.csv$/m);
    const lines = (await readFile(out, 'utf8')).trim().split('\r\n').map((l) => l.split(','));
    expect(lines[0]).toEqual(['review_id', 'at', 'image_id', 'path', 'decision', 'note', 'reviewed_by', 'model_id', 'undoes', 'project', 'removed_at', 'removed_with']);
    expect(lines.slice(1).map((c) => [c[4], c[5], c[6]])).toEqual([['defect', 'crack', 'A. Jensen'], ['good', '', 'A. Jensen'], ['unsure', '', ''], ['good', '', '']]);
    expect((await cli(['export', '--db', db, '--reviews', '--model', '1', '--csv', out])).stderr).toMatch(/^error: --reviews exports the project's whole review trail: --model, /m);
  });

  it('keeps the reviews of a folder taken out of the project, and of a deleted project, in the trail', async () => {
    const project = app.projects.list()[0];
    const reviewed = app.images.get(app.images.ids(project.id)[0])!;
    const r = await host.dispatcher.handle('library.removeFolder', { projectId: project.id, folder: reviewed.folder });
    expect(r).toMatchObject({ ok: true });
    const out = join(dir, 'audit', 'after-removal.csv');
    expect((await cli(['export', '--db', db, '--reviews', '--csv', out])).stdout).toMatch(/^exported 4 reviews of project "default"/m);
    const rows = (await readFile(out, 'utf8')).trim().split('\r\n').slice(1).map((l) => l.split(','));
    const gone = rows.filter((c) => c[3] === reviewed.path);
    expect(gone.map((c) => [c[4], c[5], c[6], c[9], c[11]])).toEqual([['defect', 'crack', 'A. Jensen', 'default', 'folder']]);
    expect(Date.parse(gone[0][10])).toBeGreaterThan(Date.parse(gone[0][1]));

    expect(await host.dispatcher.handle('projects.delete', { projectId: project.id })).toMatchObject({ ok: true });
    const all = join(dir, 'audit', 'library.json');
    const e = await cli(['export', '--db', db, '--reviews', '--all-projects', '--json', all]);
    expect(e.stdout).toMatch(/^exported 4 reviews of every project \(deleted ones included\) to /m);
    const json = JSON.parse(await readFile(all, 'utf8')) as { project: null; reviews: Array<{ path: string; decision: string; reviewer: string | null; removedWith: string }> };
    expect(json.project).toBeNull();
    expect(json.reviews.map((x) => [x.decision, x.reviewer])).toEqual([['defect', 'A. Jensen'], ['good', 'A. Jensen'], ['unsure', null], ['good', null]]);
    // Those of the folder taken out first say so; the rest went with the project.
    expect(json.reviews.map((x) => x.removedWith)).toEqual(json.reviews.map((x) => (dirname(x.path) === reviewed.folder ? 'folder' : 'project')));
    expect(json.reviews.filter((x) => x.removedWith === 'project').length).toBeGreaterThan(0);
    expect((await cli(['export', '--db', db, '--reviews', '--all-projects', '--project', 'default', '--csv', out])).stderr)
      .toMatch(/^error: --all-projects exports every project's trail: leave out --project$/m);
  });
});
