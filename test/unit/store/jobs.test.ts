import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src-main/store';
import { fakeImage, tempStore } from './helpers';

describe('jobs and the status summary', () => {
  let t: ReturnType<typeof tempStore>;
  let store: Store;
  beforeEach(() => {
    t = tempStore();
    store = t.store;
  });
  afterEach(() => t.done());

  it('runs a job through its lifecycle', () => {
    const job = store.jobs.create('train', { epochs: 5 });
    expect(job).toMatchObject({ kind: 'train', status: 'queued', params: { epochs: 5 }, progress: 0, result: null });
    expect(store.jobs.nextQueued()?.id).toBe(job.id);
    expect(store.jobs.start(job.id)).toBe(true);
    expect(store.jobs.start(job.id)).toBe(false);
    store.jobs.progress(job.id, { progress: 0.4, phase: 'epoch 2/5', message: 'errG 1.2' });
    store.jobs.progress(job.id, { progress: 7 });
    expect(store.jobs.get(job.id)).toMatchObject({ progress: 1, phase: 'epoch 2/5', message: 'errG 1.2' });
    expect(store.jobs.finish(job.id, { status: 'done', result: { modelId: 3 } })).toBe(true);
    expect(store.jobs.finish(job.id, { status: 'failed' })).toBe(false);
    const done = store.jobs.get(job.id)!;
    expect(done).toMatchObject({ status: 'done', progress: 1, result: { modelId: 3 } });
    expect(done.finishedAt).toBeGreaterThanOrEqual(done.startedAt!);
  });

  it('can cancel a queued job, and interrupts running ones after a crash', () => {
    const a = store.jobs.create('score');
    const b = store.jobs.create('import');
    const c = store.jobs.create('train');
    store.jobs.start(b.id);
    expect(store.jobs.finish(a.id, { status: 'cancelled', message: 'cancelled by user' })).toBe(true);
    expect(store.recoverInterrupted().jobs).toBe(1);
    expect(store.jobs.get(b.id)).toMatchObject({ status: 'interrupted' });
    expect(store.jobs.get(c.id)?.status).toBe('queued');
    expect(store.jobs.counts()).toEqual({ queued: 1, running: 0, done: 0, failed: 0, cancelled: 1, interrupted: 1 });
    expect(store.jobs.list({ status: 'cancelled' }).map((j) => j.id)).toEqual([a.id]);
    expect(store.jobs.list().map((j) => j.id)).toEqual([c.id, b.id, a.id]);
  });

  it('summarises images, reviews, models and jobs of a project', () => {
    const p = store.projects.create('p');
    const ids = [0, 1, 2, 3].map((k) =>
      store.images.insert(fakeImage(p.id, { label: k < 2 ? 'good' : 'defect', split: k < 2 ? 'train' : 'test' })).id,
    );
    const m = store.models.create({ projectId: p.id, name: 'm', options: {}, trainImageIds: ids.slice(0, 2) });
    store.scores.write(m.id, ids.map((imageId, k) => ({ imageId, score: k })));
    store.images.insert(fakeImage(p.id, { label: null, split: null })); // the next batch, not scored yet
    store.thresholds.set(m.id, { value: 2, source: 'manual' });
    store.reviews.add({ imageId: ids[3], decision: 'defect' });
    const job = store.jobs.create('score', { modelId: m.id }, p.id);
    store.jobs.start(job.id);
    store.imports.start(p.id, ['/x']);
    const s = store.status.summary(p.id);
    expect(s.images).toMatchObject({ total: 5, missing: 0 });
    expect(s.reviews).toEqual({ good: 0, defect: 1, unsure: 0 });
    expect(s.models).toEqual([
      expect.objectContaining({ id: m.id, name: 'm', scored: 4, unscored: 1, threshold: 2, flagged: 2, status: 'training' }),
    ]);
    expect(s.jobs.active.map((j) => j.id)).toEqual([job.id]);
    expect(s.lastImport).toMatchObject({ status: 'running' });
  });
});
