// kill -9 of the job process in the middle of training and of scoring: nothing finished is lost, the
// resumed attempt does only the rest, and the database stays whole.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProcess } from '../../src-main/jobs/job-process';
import { startNodeJobProcess } from '../../src-main/jobs/node-process';
import { JobQueue, type JobSnapshot } from '../../src-main/jobs/queue';
import { recordedCheckpointEpoch } from '../../src-main/jobs/tasks';
import { alive, makeLibrary, TINY_OPTIONS, waitUntil, type Library } from './jobs-fixture';

let lib: Library;
let queue: JobQueue;
const procs: JobProcess[] = [];
const seen: JobSnapshot[] = [];

beforeAll(async () => {
  lib = await makeLibrary();
  queue = new JobQueue({
    store: lib.store,
    scoreBatchSize: 4,
    processFactory: (info) => {
      const p = startNodeJobProcess(info);
      procs.push(p);
      return p;
    },
  });
  queue.subscribe((s) => seen.push(s));
  queue.resumeInterrupted();
});

afterAll(async () => {
  await queue?.close();
  lib?.cleanup();
});

const killLatest = (): number => {
  const pid = procs[procs.length - 1].pid!;
  process.kill(pid, 'SIGKILL');
  return pid;
};

describe('crash safety of job processes', () => {
  it('resumes training from the last recorded checkpoint after kill -9, keeping the epochs done', async () => {
    const epochs = 4;
    const { jobId, modelId } = queue.enqueueTrain({ projectId: lib.projectId, options: { ...TINY_OPTIONS, epochs } });
    // Kill once epoch 2 is under way, i.e. after at least one checkpoint was recorded.
    await waitUntil('epoch 2 to start', () => seen.some((s) => s.jobId === jobId && s.phase === 'training' && s.epoch === 2));
    const recorded = recordedCheckpointEpoch(lib.store, modelId);
    expect(recorded).toBeGreaterThanOrEqual(1);
    const pid = killLatest();
    const first = await queue.waitFor(jobId);
    expect(first.status).toBe('interrupted');
    expect(first.message).toMatch(/killed \(signal SIGKILL\)/);
    expect(alive(pid)).toBe(false);
    expect(lib.store.models.get(modelId)!.status).toBe('interrupted');
    const [run1] = lib.store.training.runs(modelId);
    expect(run1.status).toBe('interrupted');
    const before = lib.store.training.epochs(run1.id);
    const done = before.map((e) => e.epoch);
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(lib.store.integrityCheck()).toEqual(['ok']);

    const again = queue.resume(jobId);
    const second = await queue.waitFor(again.jobId);
    expect(second.status).toBe('done');
    const runs = lib.store.training.runs(modelId);
    expect(runs.map((r) => r.status)).toEqual(['interrupted', 'done']);
    const after = lib.store.training.epochs(runs[1].id);
    expect(after.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    // The epochs finished before the kill are kept as they were, not trained again.
    for (const e of before) expect(after[e.epoch - 1]).toMatchObject({ errG: e.errG, errD: e.errD, errGCon: e.errGCon });
    const retrained = seen.filter((s) => s.jobId === again.jobId && s.phase === 'training' && s.batch && s.epoch! <= Math.max(...done));
    expect(retrained).toEqual([]);
    expect(lib.store.models.get(modelId)!.status).toBe('ready');
    expect(lib.store.integrityCheck()).toEqual(['ok']);
  });

  it('resumes scoring after kill -9 with only the unscored images, each scored exactly once', async () => {
    // The model the first test finished, or a quick one if that test did not get so far.
    let model = lib.store.models.list(lib.projectId).find((m) => m.status === 'ready');
    if (!model) {
      const t = queue.enqueueTrain({ projectId: lib.projectId, options: { ...TINY_OPTIONS, epochs: 1 } });
      await queue.waitFor(t.jobId);
      model = lib.store.models.get(t.modelId)!;
    }
    const total = lib.store.images.ids(lib.projectId).length;
    const { jobId } = queue.enqueueScore({ modelId: model.id });
    let pid = 0;
    await new Promise<void>((resolve) => {
      const off = queue.subscribe((s) => {
        // Kill right after a batch landed in the store, with work left.
        if (s.jobId === jobId && s.phase === 'scoring' && s.progress > 0 && s.progress < 0.6) {
          pid = killLatest();
          off();
          resolve();
        }
      });
    });
    const first = await queue.waitFor(jobId);
    expect(first.status).toBe('interrupted');
    expect(alive(pid)).toBe(false);
    const scoredBefore = lib.store.scores.count(model.id);
    expect(scoredBefore).toBeGreaterThan(0);
    expect(scoredBefore).toBeLessThan(total);
    const stamps = new Map(lib.store.images.ids(lib.projectId).map((id) => [id, lib.store.scores.get(model.id, id)?.scoredAt]));
    expect(lib.store.integrityCheck()).toEqual(['ok']);

    const again = queue.resume(jobId);
    const second = await queue.waitFor(again.jobId);
    expect(second.status).toBe('done');
    expect(second.message).toBe(`scored ${total - scoredBefore} images`);
    expect(lib.store.scores.count(model.id)).toBe(total);
    // No tensor leaks across scoring batches in the job process.
    const tensors = seen.filter((s) => s.jobId === again.jobId && s.phase === 'scoring' && s.batch).map((s) => s.tensors);
    expect(tensors.length).toBeGreaterThan(3);
    expect(new Set(tensors).size).toBe(1);
    for (const [id, stamp] of stamps) {
      const row = lib.store.scores.get(model.id, id)!;
      if (stamp !== undefined) expect(row.scoredAt).toBe(stamp); // not scored a second time
      expect(existsSync(row.diffMapPath!)).toBe(true);
      expect(existsSync(row.reconMapPath!)).toBe(true);
    }
    expect(lib.store.integrityCheck()).toEqual(['ok']);
  });
});
