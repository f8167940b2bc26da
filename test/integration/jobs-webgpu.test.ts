// Training and scoring on webgpu through the job process (the pipeline the app and web mode use), on
// Dawn's software adapter here: the adapter's name reaches the store with the model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue, type JobSnapshot } from '../../src-main/jobs/queue';
import { webgpuSkipReason } from '../fixtures/webgpu';
import { makeLibrary, TINY_OPTIONS, type Library } from './jobs-fixture';

const skip = webgpuSkipReason();

describe.skipIf(skip !== null)(`jobs on webgpu${skip ? ` (${skip})` : ''}`, () => {
  let lib: Library;
  let queue: JobQueue;
  const seen: JobSnapshot[] = [];

  beforeAll(async () => {
    lib = await makeLibrary({ train: 20, test: 6 });
    queue = new JobQueue({ store: lib.store, progressWriteMs: 100 });
    queue.subscribe((s) => seen.push(s));
    queue.resumeInterrupted(); // starts the queue
  });
  afterAll(async () => {
    await queue?.close();
    lib?.cleanup();
  });

  it('trains and scores in the job process with backend webgpu, recording the adapter', async () => {
    const t = queue.enqueueTrain({ projectId: lib.projectId, options: { ...TINY_OPTIONS, epochs: 1 }, name: 'gpu', backend: 'webgpu' });
    const done = await queue.waitFor(t.jobId);
    expect(done.status, done.message ?? '').toBe('done');
    const said = seen.filter((s) => s.jobId === t.jobId).map((s) => s.message ?? '').join('\n');
    expect(said).toMatch(/backend: webgpu \(CPU\), WebGPU .* on '[^']+'/);
    const model = lib.store.models.get(t.modelId)!;
    expect(model.backend).toMatchObject({ name: 'webgpu', gpu: false });
    expect((model.backend as { adapter?: string }).adapter).toMatch(/\S/);

    const s = queue.enqueueScore({ modelId: t.modelId, backend: 'webgpu' });
    const scored = await queue.waitFor(s.jobId);
    expect(scored.status, scored.message ?? '').toBe('done');
    expect(lib.store.scores.count(t.modelId)).toBe(26);
  }, 300_000);
});
