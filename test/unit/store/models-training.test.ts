import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileListHash, type Store } from '../../../src-main/store';
import { fakeImage, tempStore } from './helpers';

describe('models and training', () => {
  let t: ReturnType<typeof tempStore>;
  let store: Store;
  let projectId: number;
  let ids: number[];
  beforeEach(() => {
    t = tempStore();
    store = t.store;
    projectId = store.projects.create('p').id;
    ids = ['c', 'a', 'b'].map((h) => store.images.insert(fakeImage(projectId, { hash: h })).id);
  });
  afterEach(() => t.done());

  it('stores a model with its dataset snapshot and an order-independent file-list hash', () => {
    const m = store.models.create({
      projectId,
      name: 'first',
      options: { isize: 32, nz: 100 },
      backend: { name: 'wasm' },
      trainImageIds: [ids[2], ids[0], ids[1], ids[0]],
    });
    expect(m).toMatchObject({
      name: 'first',
      status: 'training',
      options: { isize: 32, nz: 100 },
      backend: { name: 'wasm' },
      validationStats: null,
      scoreKind: 'latent',
      trainCount: 3,
    });
    expect(m.fileListHash).toBe(fileListHash(['a', 'b', 'c']));
    expect(fileListHash(['b', 'c', 'a'])).toBe(fileListHash(['a', 'b', 'c']));
    expect(fileListHash(['a', 'b'])).not.toBe(fileListHash(['a', 'b', 'c']));
    expect(store.models.trainImageIds(m.id)).toEqual([...ids].sort((x, y) => x - y));
  });

  it('refuses empty training sets, foreign images and duplicate names without leaving rows', () => {
    const other = store.projects.create('other');
    const foreign = store.images.insert(fakeImage(other.id)).id;
    expect(() => store.models.create({ projectId, name: 'm', options: {}, trainImageIds: [] })).toThrow(/at least one/);
    expect(() => store.models.create({ projectId, name: 'm', options: {}, trainImageIds: [ids[0], foreign] })).toThrow(
      /not in project/,
    );
    expect(store.models.list(projectId)).toEqual([]);
    store.models.create({ projectId, name: 'm', options: {}, trainImageIds: ids });
    expect(() => store.models.create({ projectId, name: 'm', options: {}, trainImageIds: ids })).toThrow(/already exists/);
  });

  it('updates only the fields given', () => {
    const m = store.models.create({ projectId, name: 'm', options: { a: 1 }, backend: { name: 'cpu' }, trainImageIds: ids });
    store.models.update(m.id, { status: 'ready', validationStats: { mean: 0.2, std: 0.05 }, trainingMs: 1234 });
    store.models.update(m.id, { weightsDir: '/w/1', scoreKind: 'recon-top1' });
    expect(store.models.get(m.id)).toMatchObject({
      status: 'ready',
      backend: { name: 'cpu' },
      validationStats: { mean: 0.2, std: 0.05 },
      trainingMs: 1234,
      weightsDir: '/w/1',
      scoreKind: 'recon-top1',
    });
    store.models.update(m.id, { weightsDir: null });
    expect(store.models.get(m.id)?.weightsDir).toBeNull();
  });

  it('records runs and epochs, upserting a repeated epoch', () => {
    const m = store.models.create({ projectId, name: 'm', options: {}, trainImageIds: ids });
    const job = store.jobs.create('train', { modelId: m.id }, projectId);
    const run = store.training.startRun(m.id, job.id);
    expect(run).toMatchObject({ modelId: m.id, jobId: job.id, status: 'running', epochKept: null });
    store.training.addEpoch(run.id, { epoch: 0, errG: 3, errD: 0.7, errGAdv: 0.5, errGCon: 0.05, errGEnc: 0.01, seconds: 2 });
    store.training.addEpoch(run.id, { epoch: 1, errG: 2, validation: { meanScore: 0.1 }, seconds: 2.5 });
    store.training.addEpoch(run.id, { epoch: 1, errG: 1.5, validation: { meanScore: 0.09 }, seconds: 2.4 });
    store.training.keepEpoch(run.id, 1);
    const epochs = store.training.epochs(run.id);
    expect(epochs).toHaveLength(2);
    expect(epochs[0]).toMatchObject({ epoch: 0, errG: 3, errD: 0.7, errGAdv: 0.5, errGCon: 0.05, errGEnc: 0.01, validation: null });
    expect(epochs[1]).toMatchObject({ epoch: 1, errG: 1.5, errD: null, validation: { meanScore: 0.09 }, seconds: 2.4 });
    store.training.finishRun(run.id, { status: 'done' });
    expect(store.training.getRun(run.id)).toMatchObject({ status: 'done', epochKept: 1, error: null });
    const failed = store.training.startRun(m.id);
    store.training.finishRun(failed.id, { status: 'failed', error: 'out of memory' });
    expect(store.training.runs(m.id).map((r) => r.status)).toEqual(['done', 'failed']);
  });

  it('after a crash, marks training models and runs interrupted', () => {
    const m = store.models.create({ projectId, name: 'm', options: {}, trainImageIds: ids });
    const run = store.training.startRun(m.id);
    expect(store.recoverInterrupted()).toMatchObject({ runs: 1, models: 1 });
    expect(store.models.get(m.id)?.status).toBe('interrupted');
    expect(store.training.getRun(run.id)?.status).toBe('interrupted');
  });

  it('counts the images a model trained on that reviews have since called defect or unsure', () => {
    const m = store.models.create({ projectId, name: 'm', options: {}, trainImageIds: ids.slice(0, 3) });
    expect(store.models.trainedOnRejected(m.id)).toBe(0);
    store.reviews.add({ imageId: ids[0], decision: 'defect' });
    store.reviews.add({ imageId: ids[1], decision: 'unsure' });
    const back = store.reviews.add({ imageId: ids[2], decision: 'defect' });
    const other = store.images.insert(fakeImage(projectId, { hash: 'd' })).id;
    store.reviews.add({ imageId: other, decision: 'defect' }); // not one it trained on
    expect(store.models.trainedOnRejected(m.id)).toBe(3);
    store.reviews.revert(ids[2], back.id);
    store.reviews.add({ imageId: ids[1], decision: 'good' });
    expect(store.models.trainedOnRejected(m.id)).toBe(1);
  });

  it('removing a model removes its snapshot, runs and scores but keeps reviews', () => {
    const m = store.models.create({ projectId, name: 'm', options: {}, trainImageIds: ids });
    store.scores.write(m.id, [{ imageId: ids[0], score: 1 }]);
    const review = store.reviews.add({ imageId: ids[0], modelId: m.id, decision: 'defect' });
    store.models.remove(m.id);
    expect(store.scores.ofImage(ids[0])).toEqual([]);
    expect(store.reviews.latest(ids[0])).toMatchObject({ id: review.id, modelId: null, decision: 'defect' });
  });
});
