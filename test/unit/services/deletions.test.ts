// Deleting a model, a project or a folder over a real SQLite file and real files in its library folder.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { modelPaths, thumbnailsDir } from '../../../src-main/data-dir';
import { deleteModel, deleteProject, removeFolder } from '../../../src-main/services/deletions';
import { openUploadStore } from '../../../src-main/services/uploads';
import { fakeImage, tempStore } from '../store/helpers';

describe('deleteModel', () => {
  let s: ReturnType<typeof tempStore> | undefined;
  afterEach(() => s?.done());

  it('removes the model, its scores and files, cancels its interrupted jobs, and keeps reviews and other models', async () => {
    s = tempStore();
    const { store, dir } = s;
    const p = store.projects.ensure('cells');
    const img = store.images.insert(fakeImage(p.id)).id;
    const gone = store.models.create({ projectId: p.id, name: 'first', options: {}, trainImageIds: [img] });
    const kept = store.models.create({ projectId: p.id, name: 'second', options: {}, trainImageIds: [img] });
    store.scores.write(gone.id, [{ imageId: img, score: 0.5 }]);
    store.reviews.add({ imageId: img, modelId: gone.id, decision: 'defect' });
    const paths = modelPaths(dir, gone.id);
    for (const d of [paths.modelDir, paths.mapsDir]) {
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'x.bin'), 'x');
    }
    const keptDir = modelPaths(dir, kept.id).modelDir;
    mkdirSync(keptDir, { recursive: true });
    const interrupted = store.jobs.create('score', { modelId: gone.id }, p.id);
    const other = store.jobs.create('score', { modelId: kept.id }, p.id);
    for (const j of [interrupted, other]) store.jobs.start(j.id);
    store.jobs.interruptRunning();

    await deleteModel(store, dir, gone.id);

    expect(store.models.get(gone.id)).toBeUndefined();
    expect(store.scores.count(gone.id)).toBe(0);
    expect(existsSync(paths.modelDir) || existsSync(paths.mapsDir)).toBe(false);
    expect(existsSync(keptDir)).toBe(true);
    expect(store.jobs.get(interrupted.id)).toMatchObject({ status: 'cancelled', message: 'model "first" was deleted' });
    expect(store.jobs.get(other.id)!.status).toBe('interrupted');
    expect(store.reviews.latest(img)).toMatchObject({ decision: 'defect', modelId: null });
    await expect(deleteModel(store, dir, gone.id)).rejects.toThrow(`No model with id ${gone.id}.`);
  });
});

describe('deleting a project or a folder', () => {
  let s: ReturnType<typeof tempStore> | undefined;
  afterEach(() => s?.done());

  /** An image of `projectId` in `folder` with its thumbnail written where the import writes it. */
  function imageWithThumbnail(projectId: number, folder: string, hash: string) {
    const thumb = join(thumbnailsDir(s!.dir), hash.slice(0, 2), `${hash}.webp`);
    mkdirSync(join(thumb, '..'), { recursive: true });
    writeFileSync(thumb, 'webp');
    return { id: s!.store.images.insert(fakeImage(projectId, { hash, folder, path: `${folder}/${hash}.png`, thumbnailPath: thumb })).id, thumb };
  }

  it('deletes the thumbnails no image shows any more, and keeps one that an image of another project shows', async () => {
    s = tempStore();
    const { store, dir } = s;
    const uploads = openUploadStore(dir);
    const a = store.projects.ensure('line A');
    const b = store.projects.ensure('line B');
    const onlyA = imageWithThumbnail(a.id, '/cam1', 'aa11');
    const shared = imageWithThumbnail(a.id, '/cam1', 'bb22');
    const inB = imageWithThumbnail(b.id, '/cam9', 'bb22'); // the same content in the other project
    const otherFolder = imageWithThumbnail(a.id, '/cam2', 'cc33');

    expect(await removeFolder(store, dir, uploads, a.id, '/cam1')).toBe(2);
    expect([existsSync(onlyA.thumb), existsSync(shared.thumb), existsSync(otherFolder.thumb)]).toEqual([false, true, true]);
    expect(store.images.get(inB.id)).toBeDefined();
    expect(await removeFolder(store, dir, uploads, a.id, '/cam1')).toBe(0);

    await deleteProject(store, dir, uploads, a.id);
    expect(existsSync(otherFolder.thumb)).toBe(false);
    expect(existsSync(inB.thumb)).toBe(true);
    await deleteProject(store, dir, uploads, b.id);
    expect(existsSync(inB.thumb)).toBe(false);
  });
});
