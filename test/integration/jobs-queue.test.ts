// The queue with real job processes: order and one job at a time, progress, cancel, clear failures.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue, type JobSnapshot } from '../../src-main/jobs/queue';
import { makeLibrary, TINY_OPTIONS, type Library } from './jobs-fixture';

let lib: Library;
let queue: JobQueue;
const seen: JobSnapshot[] = [];

beforeAll(async () => {
  lib = await makeLibrary();
  queue = new JobQueue({ store: lib.store, progressWriteMs: 100 });
  queue.subscribe((s) => seen.push(s));
  expect(queue.resumeInterrupted()).toEqual([]);
});

afterAll(async () => {
  await queue?.close();
  lib?.cleanup();
});

describe('JobQueue', () => {
  it('runs queued jobs one at a time, in order, and reports progress', async () => {
    const a = queue.enqueueTrain({ projectId: lib.projectId, options: { ...TINY_OPTIONS, epochs: 2 }, name: 'a', workers: 1 });
    const b = queue.enqueueTrain({ projectId: lib.projectId, options: { ...TINY_OPTIONS, epochs: 1, crop: 1 }, name: 'b', workers: 2 });
    expect(lib.store.jobs.get(b.jobId)!.status).toBe('queued');
    const [ja, jb] = await Promise.all([queue.waitFor(a.jobId), queue.waitFor(b.jobId)]);
    expect([ja.status, jb.status]).toEqual(['done', 'done']);
    expect(jb.startedAt!).toBeGreaterThanOrEqual(ja.finishedAt!);
    // The requested replica count reaches the trainer (its plan message names data-parallel training).
    const plan = (jobId: number) => seen.find((s) => s.jobId === jobId && s.phase === 'planning')?.message ?? '';
    expect(plan(a.jobId)).not.toMatch(/data-parallel/);
    expect(plan(b.jobId)).toMatch(/data-parallel on 2 threads/);
    // The crop option, resolved, is on the plan and in the model row: b trained on 16 px patches of the 24 px parts.
    expect(plan(a.jobId)).toMatch(/^crop: whole image/);
    expect(plan(b.jobId)).toMatch(/^crop: patches of 16x16 at 1\/1 scale/);
    expect(lib.store.models.get(b.modelId)!.patchScale).toBe(1);
    expect(lib.store.models.get(a.modelId)!.patchScale).toBeNull();

    // Never two jobs running at once: replay the snapshots in order.
    const running = new Set<number>();
    for (const s of seen) {
      if (s.status === 'running') running.add(s.jobId); else running.delete(s.jobId);
      expect(running.size).toBeLessThanOrEqual(1);
    }
    const training = seen.filter((s) => s.jobId === a.jobId && s.phase === 'training' && s.batch);
    expect(training.length).toBeGreaterThanOrEqual(4);
    const last = training[training.length - 1];
    expect(last).toMatchObject({ epoch: 2, epochs: 2, kind: 'train', modelId: a.modelId });
    expect(last.losses).toEqual(expect.objectContaining({ errD: expect.any(Number), errG: expect.any(Number), errGCon: expect.any(Number) }));
    expect(last.imagesPerSecond).toBeGreaterThan(0);
    expect(last.etaSeconds).toBeGreaterThanOrEqual(0);
    for (let i = 1; i < training.length; i++) expect(training[i].progress).toBeGreaterThanOrEqual(training[i - 1].progress);

    const model = lib.store.models.get(a.modelId)!;
    expect(model).toMatchObject({ status: 'ready', trainCount: 40 });
    // 'auto' (the default) became the kind that did best on the synthetic-defect check, saved with its figures.
    const synthetic = (model.validationStats as { synthetic: { best: string; auroc: Record<string, number> } }).synthetic;
    expect(model.scoreKind).toBe(synthetic.best);
    expect(Object.keys(synthetic.auroc).sort()).toEqual(['baseline', 'feature', 'latent', 'recon-top1', 'recon-z', 'ssim']);
    expect(model.weightsDir).toBe(join(lib.dir, 'models', String(a.modelId)));
    // Whole images keep a capture-shift limit from the validation images; patches have none (no fixed place).
    expect((model.validationStats as { shiftLimit: number }).shiftLimit).toEqual(expect.any(Number));
    expect(lib.store.models.get(b.modelId)!.validationStats).toMatchObject({ shiftLimit: null });
    const runs = lib.store.training.runs(a.modelId);
    expect(runs.map((r) => r.status)).toEqual(['done']);
    expect(lib.store.training.epochs(runs[0].id).map((e) => e.epoch)).toEqual([1, 2]);

    const s = queue.enqueueScore({ modelId: a.modelId, imageIds: [1, 2, 3, 45] });
    const js = await queue.waitFor(s.jobId);
    expect(js.status).toBe('done');
    expect(lib.store.scores.count(a.modelId)).toBe(4);
    // Latent (E) and feature (D twice) cost passes of their own: stored only when one is the model's own kind.
    expect(lib.store.scores.get(a.modelId, 1)).toMatchObject({
      ssim: expect.any(Number), reconTop1: expect.any(Number), latent: model.scoreKind === 'latent' ? expect.any(Number) : null,
      feature: model.scoreKind === 'feature' ? expect.any(Number) : null,
      shift: expect.any(Number), // the image's capture shift, against that limit per import
    });

    // No tensor leaks in the job process: the live count is the same after every batch and epoch step.
    // (The first step creates Adam's slot variables, so counting starts after it.)
    const tensors = seen.filter((x) => x.jobId === a.jobId && x.phase === 'training' && x.batch).map((x) => x.tensors);
    expect(tensors.every((t) => typeof t === 'number' && t > 0)).toBe(true);
    expect(new Set(tensors.slice(1)).size).toBe(1);
    expect(lib.store.integrityCheck()).toEqual(['ok']);
  });

  it('cancels a running job within one batch and a queued one at once', async () => {
    const run = queue.enqueueTrain({ projectId: lib.projectId, options: { ...TINY_OPTIONS, epochs: 50 }, name: 'long' });
    const waiting = queue.enqueueTrain({ projectId: lib.projectId, options: TINY_OPTIONS, name: 'waiting' });
    const mark = seen.length;
    const batchesAfter: JobSnapshot[] = [];
    let cancelledAt = 0;
    await new Promise<void>((resolve) => {
      const off = queue.subscribe((s) => {
        if (s.jobId !== run.jobId || s.phase !== 'training' || !s.batch) return;
        if (cancelledAt) batchesAfter.push(s);
        else if (s.epoch === 1 && s.batch >= 2) {
          cancelledAt = Date.now();
          expect(queue.cancel(run.jobId)).toBe(true);
          off();
          resolve();
        }
      });
    });
    const off = queue.subscribe((s) => {
      if (s.jobId === run.jobId && s.phase === 'training' && s.batch) batchesAfter.push(s);
    });
    expect(queue.cancel(waiting.jobId)).toBe(true);
    expect(lib.store.jobs.get(waiting.jobId)).toMatchObject({ status: 'cancelled', startedAt: null });
    const job = await queue.waitFor(run.jobId);
    off();
    expect(job.status).toBe('cancelled');
    expect(Date.now() - cancelledAt).toBeLessThan(15_000);
    // At most the batch that was already running when the cancel arrived.
    expect(batchesAfter.length).toBeLessThanOrEqual(1);
    expect(lib.store.models.get(run.modelId)!.status).toBe('cancelled');
    expect(seen.slice(mark).some((s) => s.jobId === waiting.jobId && s.status === 'running')).toBe(false);
  });

  it('refuses impossible requests with clear errors, and records a failing job', async () => {
    const empty = lib.store.projects.create('empty');
    expect(() => queue.enqueueTrain({ projectId: empty.id })).toThrow(/no images to train on/);
    expect(() => queue.enqueueTrain({ projectId: lib.projectId, options: { isize: 20 } })).toThrow(/isize must be a multiple of 16/);
    const cancelled = lib.store.models.list(lib.projectId).find((m) => m.name === 'long')!;
    expect(() => queue.enqueueScore({ modelId: cancelled.id })).toThrow(/is cancelled: only a finished model can score/);
    expect(() => queue.enqueueScore({ modelId: 9999 })).toThrow(/No model with id 9999/);

    // A training image vanishes after the job was queued: the job fails and says which file.
    const other = lib.store.projects.create('vanishing');
    const img = lib.store.images.get(1)!;
    for (let i = 0; i < 4; i++) {
      lib.store.images.insert({ ...img, projectId: other.id, hash: `${img.hash}-${i}`, path: join(lib.dir, `gone-${i}.png`), importId: null, label: 'good', split: 'train' });
    }
    const t = queue.enqueueTrain({ projectId: other.id, options: TINY_OPTIONS });
    const job = await queue.waitFor(t.jobId);
    expect(job.status).toBe('failed');
    expect(job.message).toMatch(/gone-\d\.png/);
    expect(lib.store.models.get(t.modelId)!.status).toBe('failed');
    expect(lib.store.integrityCheck()).toEqual(['ok']);
  });
});
