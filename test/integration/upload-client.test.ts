// The renderer's uploader (src-renderer/upload) over its real HTTP transport against a real web
// mode: what it sends and leaves out, its progress, a cancel part-way and a second run that sends
// only the rest, and its plain-JavaScript SHA-256 against Node's.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, httpTransport } from '../../src-renderer/api/client';
import type { ApiClient } from '../../src-renderer/api/client';
import { sha256Js } from '../../src-renderer/components/sha256';
import { uploadAndImport } from '../../src-renderer/library/upload/uploader';
import type { UploadFile, UploadProgress } from '../../src-renderer/library/upload/uploader';
import { startWebMode } from '../../src-main/server/web-mode';
import type { WebMode } from '../../src-main/server/web-mode';
import { ELPV_DIR } from '../fixtures/elpv';

describe('sha256Js (pages without Web Crypto)', () => {
  it('agrees with Node on lengths around the block and padding edges', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 70_001]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 31 + n) & 255);
      expect(sha256Js(bytes), `length ${n}`).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });
});

function elpv(dir: string, n: number, prefix = 'cells'): UploadFile[] {
  return readdirSync(join(ELPV_DIR, dir))
    .sort()
    .slice(0, n)
    .map((name) => ({ path: `${prefix}/${dir}/${name}`, file: new File([readFileSync(join(ELPV_DIR, dir, name))], name) }));
}

async function waitForJob(client: ApiClient, jobId: number) {
  for (let i = 0; i < 600; i++) {
    const job = await client.call('jobs.get', { jobId });
    if (job.status !== 'running' && job.status !== 'queued') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('import did not finish');
}

describe.skipIf(!existsSync(ELPV_DIR))('the renderer uploader against the web mode', () => {
  let dir: string;
  let web: WebMode;
  let client: ApiClient;
  let projectId: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'upload-client-'));
    web = await startWebMode({ dbPath: join(dir, 'library.sqlite'), port: 0, staticDir: null, queue: null, maxUploadBytes: 100 * 1024 });
    client = createClient(httpTransport(`http://127.0.0.1:${web.server.port}`, web.server.token ?? undefined));
    projectId = (await client.call('projects.create', { name: 'Client' })).id;
  });
  afterAll(async () => {
    await web?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends images, leaves out hidden and non-image files, refuses oversized ones, reports progress, imports', async () => {
    const files = [
      ...elpv('train/good', 6),
      ...elpv('test/defective', 4),
      { path: 'cells/notes.txt', file: new File(['text'], 'notes.txt') },
      // A model's folder dropped here by mistake: not images, and named so the user is sent to Train's import.
      { path: 'cells/crack-model/model.json', file: new File(['{}'], 'model.json') },
      { path: 'cells/.hidden/x.png', file: new File(['x'], 'x.png') },
      { path: 'cells/train/good/huge.png', file: new File([new Uint8Array(200 * 1024)], 'huge.png') },
    ];
    const seen: UploadProgress[] = [];
    const r = await uploadAndImport(client, projectId, files, { onProgress: (p) => seen.push(p), batchSize: 4 });
    expect(r).toMatchObject({ filesTotal: 11, filesDone: 11, ignored: 3, modelFolders: ['cells/crack-model'] });
    expect(r.refused).toEqual([{ path: 'cells/train/good/huge.png', reason: '0.2 MB is over the 0.1 MB an upload may be' }]);
    const imageBytes = files.slice(0, 10).reduce((n, f) => n + f.file.size, 0);
    expect(r.bytesTotal).toBe(imageBytes);
    expect(r.bytesSent).toBe(imageBytes);
    const done = seen.map((p) => p.filesDone);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(seen.some((p) => p.etaSeconds !== null && p.filesDone < p.filesTotal)).toBe(true);
    expect(r.jobId).not.toBeNull();
    expect((await waitForJob(client, r.jobId!)).status).toBe('done');
    expect((await client.call('library.counts', { projectId })).cells).toEqual([
      { label: 'defect', split: 'test', count: 4 },
      { label: 'good', split: 'train', count: 6 },
    ]);

    // The same files again: nothing goes over the wire.
    const again = await uploadAndImport(client, projectId, files);
    expect(again.bytesSent).toBe(0);
    await waitForJob(client, again.jobId!);
    expect((await client.call('library.counts', { projectId })).total).toBe(10);
  });

  it('stops on cancel keeping what was sent, and the next run sends only the rest', async () => {
    const files = elpv('test/good', 12, 'more');
    const abort = new AbortController();
    let sentAtCancel = 0;
    await expect(
      uploadAndImport(client, projectId, files, {
        signal: abort.signal,
        batchSize: 3,
        concurrency: 1,
        onProgress: (p) => {
          if (p.bytesSent > 0 && !abort.signal.aborted) {
            sentAtCancel = p.bytesSent;
            abort.abort();
          }
        },
      }),
    ).rejects.toThrow();
    expect(sentAtCancel).toBeGreaterThan(0);
    const total = files.reduce((n, f) => n + f.file.size, 0);
    const rest = await uploadAndImport(client, projectId, files);
    expect(rest.bytesSent).toBeGreaterThan(0);
    expect(rest.bytesSent).toBeLessThanOrEqual(total - sentAtCancel);
    await waitForJob(client, rest.jobId!);
    expect((await client.call('library.counts', { projectId })).byLabel.good).toBe(6 + 12);
  });
});
