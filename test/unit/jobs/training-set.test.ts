// Training-set rules and task building over a real SQLite store (rows only: no image files needed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Label, type Split, type Store } from '../../../src-main/store';
import { colourNote, pickTrainingImages, selectTrainingSet, trainingSetOf } from '../../../src-main/jobs/training-set';
import { buildScoreTask, buildTrainTask } from '../../../src-main/jobs/tasks';

let dir: string;
let store: Store;
let projectId: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jobs-unit-'));
  store = openStore(join(dir, 'lib.sqlite'));
  projectId = store.projects.ensure('p').id;
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function add(label: Label | null, split: Split | null, channels: 1 | 3 = 1, pid = projectId): number {
  n++;
  return store.images.insert({
    projectId: pid, path: `/parts/${n}.png`, hash: `h${n}`, width: 8, height: 8, channels, hasAlpha: false, format: 'png',
    bitDepth: 8, bytes: 100, mtimeMs: null, label, split, defectType: null, folder: '/parts', importId: null, thumbnailPath: null,
  }).id;
}

describe('selectTrainingSet', () => {
  it('takes good images of the train split or no split, never test or defects', () => {
    const a = add('good', 'train');
    const b = add('good', null);
    add('good', 'test');
    add('defect', 'test');
    add(null, null);
    const set = selectTrainingSet(store, projectId);
    expect(set.images.map((i) => i.id)).toEqual([a, b]);
    expect(set.rule).toMatch(/labelled good/);
    expect(set.nc).toBe(1);
  });

  it('falls back to unlabelled images only when nothing is labelled good', () => {
    const a = add(null, null, 3);
    add(null, 'test');
    const b = add(null, 'train');
    add('defect', null);
    const set = selectTrainingSet(store, projectId);
    expect(set.images.map((i) => i.id)).toEqual([a, b]);
    expect(set.rule).toMatch(/unlabelled/);
    expect(set.nc).toBe(3);
    // The Train screen and both train commands name the colour image that makes this set RGB.
    const stray = set.images.find((i) => i.id === a)!.path.split('/').pop();
    expect(colourNote(set.images)).toBe(`${stray} has colour, the other 1 is gray`);
  });

  it('lets review decisions correct the folder labels: defect and unsure left out, reviewed good added', () => {
    const [a, b, c] = [add('good', 'train'), add('good', 'train'), add('good', null)];
    const d = add(null, null);
    const e = add('defect', null);
    const t = add(null, 'test');
    store.reviews.add({ imageId: a, decision: 'defect' }); // a mislabelled part in the good folder
    store.reviews.add({ imageId: b, decision: 'unsure' });
    store.reviews.add({ imageId: d, decision: 'good' });
    store.reviews.add({ imageId: e, decision: 'good' });
    store.reviews.add({ imageId: t, decision: 'good' }); // a test split is never trained on
    const set = trainingSetOf(store, projectId);
    expect(set.images.map((i) => i.id)).toEqual([c, d, e]);
    expect(set.rule).toBe('images labelled good (train split or no split), less 2 reviewed defect or unsure, plus 2 reviewed good');
    // A revert takes the decision back: the image is as its folder says again.
    store.reviews.revert(a, store.reviews.latest(a)!.id);
    expect(trainingSetOf(store, projectId).images.map((i) => i.id)).toEqual([a, c, d, e]);
  });

  it('judges a part taken out with its folder and imported again as it was when it went, until it is reviewed again', () => {
    const inFolder = (folder: string, hash: string, label: Label | null, pid = projectId) => store.images.insert({
      projectId: pid, path: `${folder}/${hash}.png`, hash, width: 8, height: 8, channels: 1, hasAlpha: false, format: 'png', bitDepth: 8,
      bytes: 100, mtimeMs: null, label, split: 'train', defectType: null, folder, importId: null, thumbnailPath: null,
    }).id;
    const stays = inFolder('/line/day1', 'hS', 'good');
    const [a, b, , d] = [inFolder('/line/day2', 'hA', 'good'), inFolder('/line/day2', 'hB', 'good'), inFolder('/line/day2', 'hC', 'good'),
      inFolder('/line/day2', 'hD', null)];
    store.reviews.add({ imageId: a, decision: 'good' });
    store.reviews.add({ imageId: a, decision: 'defect' }); // the last decision counts
    store.reviews.revert(b, store.reviews.add({ imageId: b, decision: 'unsure' }).id); // taken back: as its folder says
    store.reviews.add({ imageId: d, decision: 'good' });
    const other = store.projects.create('other line').id;
    store.reviews.add({ imageId: inFolder('/line/day2', 'hC', 'good', other), decision: 'defect' }); // another project's judgement
    store.images.removeFolder(projectId, '/line/day2');
    // The same folder imported again: new images of the same content, nobody has reviewed them.
    const [a2, b2, c2, d2] = [inFolder('/again', 'hA', 'good'), inFolder('/again', 'hB', 'good'), inFolder('/again', 'hC', 'good'),
      inFolder('/again', 'hD', null)];
    expect(store.reviews.latest(a2)).toBeUndefined();
    const set = trainingSetOf(store, projectId);
    expect(set.images.map((i) => i.id)).toEqual([stays, b2, c2, d2]);
    expect(set.rule).toBe('images labelled good (train split or no split), less 1 reviewed defect or unsure, plus 1 reviewed good'
      + ' (2 of them reviewed before their folder was taken out and imported again)');
    // Its own review decides once it has one, and its own undo too: then the folder says.
    const again = store.reviews.add({ imageId: a2, decision: 'good' });
    expect(trainingSetOf(store, projectId).images.map((i) => i.id)).toEqual([stays, a2, b2, c2, d2]);
    store.reviews.add({ imageId: d2, decision: 'defect' });
    store.reviews.revert(a2, again.id);
    const now = trainingSetOf(store, projectId);
    expect(now.images.map((i) => i.id)).toEqual([stays, a2, b2, c2]);
    expect(now.rule).toBe('images labelled good (train split or no split)');
    // A project deleted and made again under its name is a new project: it carries nothing.
    store.projects.remove(projectId);
    const fresh = store.projects.create('p').id;
    expect(inFolder('/again', 'hA', 'good', fresh)).toBeGreaterThan(0);
    expect(trainingSetOf(store, fresh).rule).toBe('images labelled good (train split or no split)');
  });

  it('keeps training an unlabelled library on its unlabelled parts after a few flagged ones are reviewed', () => {
    const parts = Array.from({ length: 6 }, () => add(null, null));
    store.reviews.add({ imageId: parts[0], decision: 'good' });
    store.reviews.add({ imageId: parts[1], decision: 'defect' });
    const set = trainingSetOf(store, projectId);
    expect(set.images.map((i) => i.id)).toEqual([parts[0], ...parts.slice(2)]);
    expect(set.rule).toBe('unlabelled images (the project has no image labelled good), less 1 reviewed defect or unsure');
    for (const id of parts) store.reviews.add({ imageId: id, decision: 'defect' });
    expect(trainingSetOf(store, projectId)).toMatchObject({ images: [], rule: 'unlabelled images (the project has no image labelled good), but all 6 were reviewed defect or unsure' });
  });

  it('says what to do when there is nothing to train on', () => {
    add('defect', 'test');
    expect(() => selectTrainingSet(store, projectId)).toThrow(/Project "p" has no images to train on: import good parts first/);
    expect(() => selectTrainingSet(store, 999)).toThrow(/No project with id 999/);
    // What the Train screen asks before offering the form: nothing, and why, without an error.
    expect(trainingSetOf(store, projectId)).toMatchObject({ images: [], rule: 'no good or unlabelled image outside a test split' });
  });
});

describe('tasks from job rows', () => {
  it('scores only what is missing, or what was scored before a re-score began', () => {
    const ids = [add('good', 'train'), add('good', 'train'), add('defect', 'test')];
    const model = store.models.create({ projectId, name: 'm', options: { isize: 16 }, trainImageIds: ids.slice(0, 2) });
    const job = (params: object) => store.jobs.create('score', { modelId: model.id, ...params }, projectId);
    expect(() => buildScoreTask(store, dir, job({}))).toThrow(/is training, not ready/);
    store.models.update(model.id, { status: 'ready', weightsDir: join(dir, 'models', String(model.id)) });
    store.scores.write(model.id, [{ imageId: ids[0], score: 0.5 }]);

    const missing = buildScoreTask(store, dir, job({}));
    expect(missing.images.map((i) => i.id)).toEqual([ids[1], ids[2]]);
    expect(missing.mapsDir).toBe(join(dir, 'maps', String(model.id)));
    expect(buildScoreTask(store, dir, job({ imageIds: [ids[0], ids[2]] })).images.map((i) => i.id)).toEqual([ids[2]]);
    const all = buildScoreTask(store, dir, job({ rescoreBefore: Date.now() + 1000 }));
    expect(all.images.map((i) => i.id)).toEqual(ids);
  });

  it('resumes training from the last epoch the store recorded', () => {
    const ids = [add('good', 'train'), add('good', 'train'), add('good', 'train')];
    const model = store.models.create({ projectId, name: 'm', options: { isize: 16, nc: 1 }, trainImageIds: ids });
    const job = store.jobs.create('train', { modelId: model.id }, projectId);
    const fresh = buildTrainTask(store, dir, job);
    expect(fresh).toMatchObject({ resumeFrom: null, backend: 'auto', checkpointsDir: join(dir, 'models', String(model.id), 'checkpoint') });
    expect(fresh.images.map((i) => i.id)).toEqual(ids);
    const run = store.training.startRun(model.id, job.id);
    store.training.addEpoch(run.id, { epoch: 1, seconds: 1 });
    store.training.addEpoch(run.id, { epoch: 2, seconds: 1 });
    expect(buildTrainTask(store, dir, job).resumeFrom).toEqual({ epoch: 2, dir: fresh.checkpointsDir });
    const bad = store.jobs.create('train', { nope: 1 }, projectId);
    expect(() => buildTrainTask(store, dir, bad)).toThrow(/unreadable params/);
  });
});

describe('the training-set rule over a folder', () => {
  it('takes the same tiers as the library: good outside a test split, else unlabelled outside it', () => {
    const img = (label: 'good' | 'defect' | null, split: 'train' | 'test' | null) => ({ label, split });
    const folder = [img('good', 'train'), img('good', 'test'), img('good', null), img('defect', 'test'), img(null, null)];
    expect(pickTrainingImages(folder).images).toEqual([img('good', 'train'), img('good', null)]);
    expect(pickTrainingImages([img(null, 'train'), img(null, 'test'), img('defect', null)]).images).toEqual([img(null, 'train')]);
    expect(pickTrainingImages([img('good', 'test')]).images).toEqual([]);
  });
});
