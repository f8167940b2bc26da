// The ETA before training, on a real SQLite library and real job processes: steps timed in the job
// process on random images when the library has no run to go by, then the library's own finished run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../../src-main/engine/options';
import { planLine, planRun } from '../../src-main/engine/run-plan';
import { JobQueue } from '../../src-main/jobs/queue';
import { estimateTraining, findHistoryRun } from '../../src-main/jobs/training-estimate';
import { makeLibrary, TINY_OPTIONS, type Library } from './jobs-fixture';

let lib: Library;
let queue: JobQueue;

beforeAll(async () => {
  lib = await makeLibrary();
  queue = new JobQueue({ store: lib.store, progressWriteMs: 100 });
  queue.resumeInterrupted();
});

afterAll(async () => {
  await queue?.close();
  lib?.cleanup();
});

// Epochs unset: planned from minSteps (40 images: 36 trained on = 5 batches of 8 (the last of 4), 15 epochs);
// patience 5 epochs, so early stopping may end it sooner.
const OPTIONS = { ...TINY_OPTIONS, epochs: undefined, minSteps: 20, patienceSteps: 20 };

describe('training estimate', () => {
  it('times real steps in the job process when the library has no run with these settings', async () => {
    const t0 = Date.now();
    const e = await estimateTraining(lib.store, queue, { projectId: lib.projectId, options: OPTIONS });
    const o = parseOptions({ ...OPTIONS, nc: 1 });
    expect(e.plan).toEqual(planRun(o, 40));
    expect(e.plan).toMatchObject({ trainImages: 36, validationImages: 4, batchesPerEpoch: 5, epochs: 15, steps: 75, upperBound: true });
    expect(e.source).toBe('timed');
    expect(e.basis).toMatch(/^timed 2 steps on this machine \(\d+\.\d\d s a step of 8, wasm, 2 threads\)$/);
    expect(e.seconds).toBeGreaterThan(0);
    expect(e.seconds!).toBeLessThan(600);
    expect(e.text).toBe(`${planLine(e.plan, o)}; ${e.seconds! < 60 ? 'under a minute' : `about ${Math.round(e.seconds! / 60)} min`}` +
      ` (upper bound; early stopping may end sooner) — ${e.basis}`);

    // The same cost-relevant settings are timed once per queue: a changed seed or loss weight is free.
    const t1 = Date.now();
    const again = await estimateTraining(lib.store, queue, { projectId: lib.projectId, options: { ...OPTIONS, seed: 9, wCon: 10 } });
    expect(again.seconds).toBe(e.seconds);
    expect(Date.now() - t1).toBeLessThan((t1 - t0) / 2);
  }, 120_000);

  it('refuses to time while a job runs (the machine is busy) and holds jobs back while it times', async () => {
    const job = queue.enqueueTrain({ projectId: lib.projectId, options: { ...TINY_OPTIONS, epochs: 2 }, name: 'busy' });
    const busy = await estimateTraining(lib.store, queue, { projectId: lib.projectId, options: { ...OPTIONS, ngf: 12 } });
    expect(busy).toMatchObject({ source: null, seconds: null });
    expect(busy.text).toMatch(/time not measured: a job is running/);
    await queue.waitFor(job.jobId);

    // A timing first, then a job: the job waits for the timing's end.
    const timing = queue.timeTraining({ options: parseOptions({ ...OPTIONS, ndf: 12, nc: 1 }) });
    const next = queue.enqueueTrain({ projectId: lib.projectId, options: { ...TINY_OPTIONS, epochs: 1 }, name: 'after timing' });
    expect(lib.store.jobs.get(next.jobId)!.status).toBe('queued');
    const t = await timing;
    const timedAt = Date.now();
    expect(t).toMatchObject({ kind: 'time', steps: 2, workers: 2, backend: 'wasm' });
    expect(t.stepSeconds).toBeGreaterThan(0);
    expect(t.bnSecondsPerImage).toBeGreaterThan(0);
    expect(t.validationSecondsPerImage).toBeGreaterThan(0);
    const done = await queue.waitFor(next.jobId);
    expect(done.status).toBe('done');
    expect(done.startedAt!).toBeGreaterThanOrEqual(timedAt - 50);
  }, 180_000);

  it('takes the time from the library\'s own finished run with the same settings, backend and threads', async () => {
    const options = { ...TINY_OPTIONS, ngf: 6, epochs: 3 };
    const { jobId, modelId } = queue.enqueueTrain({ projectId: lib.projectId, options, name: 'history' });
    expect((await queue.waitFor(jobId)).status).toBe('done');
    const run = lib.store.training.runs(modelId)[0];
    const seconds = lib.store.training.epochs(run.id).map((x) => x.seconds).sort((a, b) => a - b);
    const o = parseOptions({ ...options, nc: 1 });
    expect(findHistoryRun(lib.store, o, 'auto', 'auto')).toEqual({
      modelId, name: 'history', images: 40, isize: 16, epochs: 3, epochSeconds: seconds[1], wallSeconds: (run.finishedAt! - run.startedAt) / 1000,
    });
    // Another backend preference or thread count is not the same machine setting.
    expect(findHistoryRun(lib.store, o, 'cpu', 'auto')).toBeNull();
    expect(findHistoryRun(lib.store, o, 'auto', 1)).toBeNull();

    const e = await estimateTraining(lib.store, queue, { projectId: lib.projectId, options });
    expect(e.source).toBe('history');
    expect(e.basis).toBe(`from your last run at isize 16 ("history", 40 images, ${seconds[1].toFixed(1)} s an epoch)`);
    // The same plan on the same images: the estimate is that run's own wall time.
    expect(e.seconds).toBeCloseTo((run.finishedAt! - run.startedAt) / 1000, 6);
    expect(e.plan.upperBound).toBe(false); // 3 epochs end before early stopping's patience (30 epochs) could
    // Twice the epochs: the old run's start-up once more, scaled per epoch.
    const longer = await estimateTraining(lib.store, queue, { projectId: lib.projectId, options: { ...options, epochs: 6 } });
    expect(longer.seconds! - e.seconds!).toBeCloseTo(3 * seconds[1], 6);
  }, 180_000);

  it('says why a project cannot train at all', async () => {
    const empty = lib.store.projects.ensure('empty').id;
    await expect(estimateTraining(lib.store, queue, { projectId: empty })).rejects.toThrow(/has no images to train on/);
  });
});
