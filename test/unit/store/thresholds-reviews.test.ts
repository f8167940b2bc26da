import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src-main/store';
import { fakeImage, tempStore } from './helpers';

describe('thresholds and reviews', () => {
  let t: ReturnType<typeof tempStore>;
  let store: Store;
  let projectId: number;
  let modelId: number;
  let imageId: number;
  beforeEach(() => {
    t = tempStore();
    store = t.store;
    projectId = store.projects.create('p').id;
    imageId = store.images.insert(fakeImage(projectId)).id;
    modelId = store.models.create({ projectId, name: 'm', options: {}, trainImageIds: [imageId] }).id;
  });
  afterEach(() => t.done());

  it('keeps every threshold; the latest is current', () => {
    expect(store.thresholds.current(modelId)).toBeUndefined();
    store.thresholds.set(modelId, { value: 0.5, source: 'best-f1' });
    store.thresholds.set(modelId, { value: 0.7, lower: 0.6, source: 'manual' });
    expect(store.thresholds.current(modelId)).toMatchObject({ value: 0.7, lower: 0.6, source: 'manual' });
    expect(store.thresholds.history(modelId).map((h) => [h.value, h.source])).toEqual([
      [0.7, 'manual'],
      [0.5, 'best-f1'],
    ]);
  });

  it('refuses a non-finite threshold or a band above it', () => {
    expect(() => store.thresholds.set(modelId, { value: NaN, source: 'manual' })).toThrow(/finite/);
    expect(() => store.thresholds.set(modelId, { value: 0.5, lower: 0.8, source: 'manual' })).toThrow(/lower edge/);
    expect(store.thresholds.history(modelId)).toEqual([]);
  });

  it('appends reviews, derives the latest, and refuses edits to the trail', () => {
    const other = store.images.insert(fakeImage(projectId)).id;
    store.reviews.add({ imageId, decision: 'unsure', note: 'scratch?' });
    store.reviews.add({ imageId, modelId, decision: 'defect', note: 'scratch, confirmed', reviewer: 'A. Jensen' });
    store.reviews.addMany([
      { imageId: other, decision: 'good' },
      { imageId: other, decision: 'good', note: 'second look' },
    ]);
    expect(store.reviews.latest(imageId)).toMatchObject({ decision: 'defect', modelId, note: 'scratch, confirmed', reviewer: 'A. Jensen' });
    expect(store.reviews.history(imageId)[1].reviewer).toBeNull();
    expect(store.reviews.history(imageId).map((r) => r.decision)).toEqual(['defect', 'unsure']);
    expect(store.reviews.counts(projectId)).toEqual({ good: 1, defect: 1, unsure: 0 });
    expect(() => store.reviews.add({ imageId, decision: 'maybe' as 'good' })).toThrow(/Unknown review decision/);

    const raw = new Database(t.file);
    try {
      expect(() => raw.prepare("UPDATE reviews SET decision = 'good'").run()).toThrow(/append-only/);
      // Who decided is part of the record: no one signs for someone else afterwards.
      expect(() => raw.prepare("UPDATE reviews SET reviewer = 'someone else'").run()).toThrow(/append-only/);
      expect(() => raw.prepare('UPDATE reviews SET undoes = id').run()).toThrow(/append-only/);
      expect(() => raw.prepare("INSERT INTO reviews (image_id, decision, created_at, reviewer) VALUES (?, 'good', 1, '')").run(imageId)).toThrow(/CHECK/);
    } finally {
      raw.close();
    }
    expect(store.reviews.history(imageId)).toHaveLength(2);
  });

  it('reverts a first review back to unreviewed by appending, and counts it as unreviewed', () => {
    const first = store.reviews.add({ imageId, modelId, decision: 'defect' });
    const revert = store.reviews.revert(imageId, first.id, modelId);
    expect(revert).toMatchObject({ decision: null, reverts: first.id, imageId });
    expect(store.reviews.latest(imageId)).toBeUndefined();
    expect(store.reviews.counts(projectId)).toEqual({ good: 0, defect: 0, unsure: 0 });
    expect(store.reviews.history(imageId).map((r) => r.decision)).toEqual([null, 'defect']);
    store.reviews.add({ imageId, decision: 'good' });
    expect(store.reviews.latest(imageId)).toMatchObject({ decision: 'good', reverts: null });
    const raw = new Database(t.file);
    try {
      // A revert must name the review it takes back, and a decision row must not.
      expect(() => raw.prepare('INSERT INTO reviews (image_id, decision, created_at) VALUES (?, NULL, 1)').run(imageId)).toThrow(/CHECK/);
      expect(() => raw.prepare("INSERT INTO reviews (image_id, decision, created_at, reverts) VALUES (?, 'good', 1, ?)").run(imageId, first.id))
        .toThrow(/CHECK/);
    } finally {
      raw.close();
    }
  });

  it('keeps the reviews of a folder taken out and of a deleted project, and never hands out their ids again', () => {
    const kept = store.images.insert(fakeImage(projectId, { path: '/line/day1/a.png', folder: '/line/day1' })).id;
    const gone = store.images.insert(fakeImage(projectId, { path: '/line/day2/b.png', folder: '/line/day2' })).id;
    store.reviews.add({ imageId: kept, decision: 'good', reviewer: 'A. Jensen' });
    const defect = store.reviews.add({ imageId: gone, modelId, decision: 'defect', note: 'crack', reviewer: 'A. Jensen' });
    const undo = store.reviews.revert(gone, defect.id, modelId, 'B. Okafor');
    expect(store.images.removeFolder(projectId, '/line/day2')).toBe(1);

    // The removed folder's reviews stay in the project's trail, in the order written, saying when they went.
    const trail = store.reviews.trail(projectId);
    expect(trail.map((r) => [r.path, r.decision, r.reviewer, r.removedWith])).toEqual([
      ['/line/day1/a.png', 'good', 'A. Jensen', null],
      ['/line/day2/b.png', 'defect', 'A. Jensen', 'folder'],
      ['/line/day2/b.png', null, 'B. Okafor', 'folder'],
    ]);
    expect(trail[1]).toMatchObject({ id: defect.id, note: 'crack', modelId, project: 'p' });
    expect(trail[2]).toMatchObject({ id: undo.id, reverts: defect.id });
    expect(trail[2].removedAt).toBeGreaterThanOrEqual(undo.createdAt);
    // SQLite would hand out max(id) + 1, the removed undo's id, again.
    expect(store.reviews.add({ imageId: kept, decision: 'unsure' }).id).toBeGreaterThan(undo.id);

    // A later project that gets the deleted one's id and name starts with a trail of its own.
    store.projects.remove(projectId);
    const again = store.projects.create('p');
    expect(store.reviews.trail(again.id)).toEqual([]);
    const library = store.reviews.libraryTrail();
    expect(library.map((r) => [r.path, r.decision, r.project, r.removedWith])).toEqual([
      ['/line/day1/a.png', 'good', 'p', 'project'],
      ['/line/day2/b.png', 'defect', 'p', 'folder'],
      ['/line/day2/b.png', null, 'p', 'folder'],
      ['/line/day1/a.png', 'unsure', 'p', 'project'],
    ]);
    const raw = new Database(t.file);
    try {
      expect(() => raw.prepare("UPDATE removed_reviews SET reviewer = 'someone else'").run()).toThrow(/kept as they were/);
      expect(() => raw.prepare('DELETE FROM removed_reviews').run()).toThrow(/kept as they were/);
    } finally {
      raw.close();
    }
  });
});
