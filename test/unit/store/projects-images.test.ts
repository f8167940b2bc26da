import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src-main/store';
import { fakeImage, tempStore } from './helpers';

describe('projects and images', () => {
  let t: ReturnType<typeof tempStore>;
  let store: Store;
  beforeEach(() => {
    t = tempStore();
    store = t.store;
  });
  afterEach(() => t.done());

  it('creates, finds, renames and refuses duplicate or empty project names', () => {
    const a = store.projects.create('  Line 3 ');
    expect(a.name).toBe('Line 3');
    expect(store.projects.ensure('Line 3').id).toBe(a.id);
    expect(() => store.projects.create('Line 3')).toThrow(/already exists/);
    expect(() => store.projects.create('  ')).toThrow(/non-empty/);
    const b = store.projects.ensure('Line 4');
    store.projects.rename(b.id, 'Line 5');
    expect(store.projects.list().map((p) => p.name)).toEqual(['Line 3', 'Line 5']);
  });

  it('pages a project\'s images in id order off an index (migration 17), not by sorting all of them for every page', () => {
    // The shape of images.list's keyset page: what a new model trains on at 100k images took 20 such sorts.
    const db = new Database(t.file, { readonly: true });
    try {
      for (const filter of ['', " AND i.label = 'good'"]) {
        const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM images i WHERE i.project_id = 1 AND i.id > 0${filter} AND i.missing = 0
          ORDER BY i.id LIMIT 5000`).all() as { detail: string }[];
        expect(plan.map((r) => r.detail).join('; ')).toBe('SEARCH i USING INDEX images_project (project_id=? AND rowid>?)');
      }
    } finally {
      db.close();
    }
  });

  it('keeps content hashes unique per project, not across projects', () => {
    const p1 = store.projects.create('one');
    const p2 = store.projects.create('two');
    const img = store.images.insert(fakeImage(p1.id, { hash: 'h1', hasAlpha: true }));
    expect(img).toMatchObject({ hash: 'h1', hasAlpha: true, missing: false, channels: 1 });
    expect(() => store.images.insert(fakeImage(p1.id, { hash: 'h1' }))).toThrow(/UNIQUE/);
    expect(store.images.insert(fakeImage(p2.id, { hash: 'h1' })).projectId).toBe(p2.id);
    expect(store.images.byHash(p1.id, 'h1')?.id).toBe(img.id);
    expect(store.images.byHash(p2.id, 'nope')).toBeUndefined();
  });

  it('relocates a moved image, clears missing and takes the new folder label', () => {
    const p = store.projects.create('p');
    const img = store.images.insert(fakeImage(p.id, { path: '/a/train/good/x.png', folder: '/a/train/good' }));
    store.images.setMissing(img.id, true);
    expect(store.images.get(img.id)?.missing).toBe(true);
    store.images.relocate(img.id, {
      path: '/b/test/defect/x.png',
      folder: '/b/test/defect',
      mtimeMs: 5,
      label: 'defect',
      split: 'test',
      defectType: null,
    });
    expect(store.images.get(img.id)).toMatchObject({
      path: '/b/test/defect/x.png',
      missing: false,
      label: 'defect',
      split: 'test',
      mtimeMs: 5,
    });
    expect(store.images.byPath(p.id, '/b/test/defect/x.png').map((r) => r.id)).toEqual([img.id]);
    expect(store.images.byPath(p.id, '/a/train/good/x.png')).toEqual([]);
  });

  it('counts by label and split, lists folders, and pages with filters', () => {
    const p = store.projects.create('p');
    const spec = [
      ['good', 'train', '/d/train/good', 5],
      ['good', 'test', '/d/test/good', 3],
      ['defect', 'test', '/d/test/bad', 4],
      [null, null, '/d/unsorted', 2],
    ] as const;
    for (const [label, split, folder, n] of spec) {
      for (let k = 0; k < n; k++) store.images.insert(fakeImage(p.id, { label, split, folder }));
    }
    const gone = store.images.insert(fakeImage(p.id, { label: 'good', split: 'train', folder: '/d/train/good' }));
    store.images.setMissing(gone.id, true);

    expect(store.images.countsByLabelSplit(p.id)).toEqual([
      { label: null, split: null, count: 2, missing: 0 },
      { label: 'defect', split: 'test', count: 4, missing: 0 },
      { label: 'good', split: 'test', count: 3, missing: 0 },
      { label: 'good', split: 'train', count: 5, missing: 1 },
    ]);
    expect(store.images.folders(p.id)).toEqual([
      { folder: '/d/test/bad', count: 4 },
      { folder: '/d/test/good', count: 3 },
      { folder: '/d/train/good', count: 5 },
      { folder: '/d/unsorted', count: 2 },
    ]);
    expect(store.images.ids(p.id, { label: 'good', split: 'train' })).toHaveLength(5);
    expect(store.images.ids(p.id, { label: 'good', split: 'train', includeMissing: true })).toContain(gone.id);
    expect(store.images.ids(p.id, { label: 'none' })).toHaveLength(2);
    expect(store.images.ids(p.id, { folder: '/d/test/bad' })).toHaveLength(4);

    const first = store.images.list(p.id, {}, { limit: 7 });
    const second = store.images.list(p.id, {}, { limit: 7, afterId: first[6].id });
    expect(first.length + second.length).toBe(14);
    expect(store.images.list(p.id, {}, { limit: 7, afterId: second[6].id })).toEqual([]);
    expect(new Set([...first, ...second].map((r) => r.id)).size).toBe(14);
  });

  it('takes one folder out of a project: its images with their scores, reviews and snapshot places, not subfolders or other projects', () => {
    const p = store.projects.create('p');
    const other = store.projects.create('other');
    const wrong = [1, 2].map(() => store.images.insert(fakeImage(p.id, { folder: '/line/day3', label: null })).id);
    const deeper = store.images.insert(fakeImage(p.id, { folder: '/line/day3/sub' })).id;
    const good = store.images.insert(fakeImage(p.id, { folder: '/line/day1' })).id;
    const elsewhere = store.images.insert(fakeImage(other.id, { folder: '/line/day3' })).id;
    const m = store.models.create({ projectId: p.id, name: 'm', options: {}, trainImageIds: [good, wrong[0]] });
    store.scores.write(m.id, [wrong[0], wrong[1], good].map((imageId) => ({ imageId, score: 0.5 })));
    store.reviews.add({ imageId: wrong[1], decision: 'defect' });
    store.images.setMissing(wrong[1], true);
    expect(store.images.removeFolder(p.id, '/line/day3')).toBe(2); // the missing one too
    expect(wrong.map((id) => store.images.get(id))).toEqual([undefined, undefined]);
    expect([deeper, good, elsewhere].every((id) => store.images.get(id))).toBe(true);
    expect(store.scores.count(m.id)).toBe(1);
    expect(store.reviews.latest(wrong[1])).toBeUndefined();
    expect(store.models.trainImageIds(m.id)).toEqual([good]);
    expect(store.images.removeFolder(p.id, '/line/day3')).toBe(0);
  });

  it('deleting a project removes its images', () => {
    const p = store.projects.create('p');
    const img = store.images.insert(fakeImage(p.id));
    store.reviews.add({ imageId: img.id, decision: 'good' });
    store.projects.remove(p.id);
    expect(store.images.get(img.id)).toBeUndefined();
    expect(store.reviews.latest(img.id)).toBeUndefined();
  });
});
