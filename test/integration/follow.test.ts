// Following a camera folder over HTTP: a real library, a tiny real model, new PNGs written into the followed
// folder while the server runs (looking every 300 ms instead of every minute).
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestInput, RequestName, RequestOutput } from '../../src-main/api/contract';
import { startWebMode, type WebMode } from '../../src-main/server/web-mode';
import { png, writeLayout } from './api-fixture';

let dir: string;
let web: WebMode;
/** The first test's project, whose model the second offers to another project. */
let line1 = 0;

async function raw(name: string, input: unknown) {
  const res = await fetch(`http://127.0.0.1:${web.server.port}/api/${name}`, {
    method: 'POST', body: JSON.stringify(input ?? {}), headers: { 'content-type': 'application/json', authorization: `Bearer ${web.server.token}` },
  });
  return (await res.json()) as { ok: boolean; data?: unknown; error?: { code: string; message: string } };
}
async function call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
  const body = await raw(name, input);
  if (!body.ok) throw new Error(`${name}: ${body.error!.message}`);
  return body.data as RequestOutput<N>;
}
/** Polls `read` until `done` holds (60 s at most), returning the last value read. */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (const end = Date.now() + 60_000; ;) {
    const v = await read();
    if (done(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}
/** A camera's file: written beside, then moved in whole (as cameras and their FTP drops do). */
async function arrive(path: string, seed: number, bright: number): Promise<void> {
  const part = join(dir, `incoming-${seed}.png`);
  await png(part, seed, bright);
  await rename(part, path);
}
const finished = (jobId: number) => until(() => call('jobs.get', { jobId }), (j) => !['queued', 'running'].includes(j.status));

const openWeb = () => startWebMode({ dbPath: join(dir, 'data', 'library.sqlite'), port: 0, staticDir: null, followEveryMs: 300 });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'follow-'));
  await writeLayout(join(dir, 'cam'));
  web = await openWeb();
});
afterAll(async () => {
  await web?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('following a camera folder', () => {
  it('imports what the camera writes into the folder and scores it with the chosen model, says when the folder is gone, and stops when told', async () => {
    const cam = join(dir, 'cam');
    const projectId = (line1 = (await call('projects.create', { name: 'Line 1' })).id);
    expect((await finished((await call('import.start', { projectId, paths: [cam] })).jobId)).status).toBe('done');
    const { jobId, modelId } = await call('training.start', { projectId, name: 'tiny', options: { isize: 16, epochs: 1, batchSize: 2, nz: 8, ngf: 8, ndf: 8 } });
    expect((await finished(jobId)).status).toBe('done');
    expect((await finished((await call('scoring.start', { modelId: modelId!, scope: 'missing' })).jobId)).status).toBe('done');
    expect((await call('models.get', { modelId: modelId! })).scoredCount).toBe(12);
    const [first] = await call('import.list', { projectId });

    const started = await call('follow.start', { projectId, importId: first.id, modelId: modelId! });
    expect(started).toMatchObject({ projectId, importId: first.id, roots: [cam], modelId, everySeconds: 0.3, lastError: null });
    expect(await call('follow.get', { projectId })).toMatchObject({ roots: [cam] });
    // Looks that bring nothing leave no import behind (not-an-image.png fails in each, as in the import followed),
    // and say no change of images (which would clear the server's memo and reload the screens every minute).
    await until(() => call('follow.get', { projectId }), (f) => f!.lastLook !== null);
    const changes: string[] = [];
    const off = web.host.events.subscribe((m) => m.name === 'library.changed' && changes.push(m.payload.what));
    await new Promise((r) => setTimeout(r, 700));
    off();
    expect(changes.filter((w) => w === 'follow').length).toBeGreaterThan(1);
    expect(changes.filter((w) => w === 'images')).toEqual([]); // (the scoring's own end may still be announced)
    const kept = (await call('import.list', { projectId })).filter((i) => i.status !== 'running'); // a look may be under way
    expect(kept.map((i) => [i.imported, i.failed])).toEqual([[12, 1]]);
    // The camera writes two parts: the library takes them in and the model scores them, nobody pressing a button.
    await arrive(join(cam, 'test/good', 'new 1.png'), 901, 60);
    await arrive(join(cam, 'test/crack', 'new 2.png'), 902, 180);
    const scored = await until(() => call('models.get', { modelId: modelId! }), (m) => m.scoredCount === 14);
    expect(scored.scoredCount).toBe(14);
    const ranked = (await call('results.ranking', { modelId: modelId!, limit: 20 })).items;
    expect(ranked.map((r) => r.name)).toEqual(expect.arrayContaining(['new 1.png', 'new 2.png']));

    // The looks and the import followed are one lot (the same folders on one day), not a lot a minute.
    // (A run across midnight would see two: the rule is by day.)
    const { lots, lotIds } = await call('results.scores', { modelId: modelId! });
    expect(lots).toEqual([expect.objectContaining({ roots: [cam] })]);
    expect(lots[0].imports).toBeGreaterThanOrEqual(2);
    expect(lots[0].id).toBe(first.id);
    expect(new Set(lotIds)).toEqual(new Set([0]));
    // The lot's parts as Results lists them (the Threshold screen's Show): the twelve and the camera's two.
    expect((await call('results.ranking', { modelId: modelId!, limit: 20, filter: { lot: lots[0].id } })).total).toBe(14);
    // Named by any of its imports, a look's included; an import of no lot of this project lists nothing.
    const look = (await call('import.list', { projectId })).find((i) => i.id !== first.id)!;
    expect((await call('results.ranking', { modelId: modelId!, limit: 20, filter: { lot: look.id } })).total).toBe(14);
    expect((await call('results.ranking', { modelId: modelId!, limit: 20, filter: { lot: 99_999 } })).total).toBe(0);

    // The andon: with no threshold nothing is flagged; with one, the new parts at or above it that nobody has
    // reviewed are counted (the twelve imported before following began are not), and a review takes one off.
    expect((await call('follow.get', { projectId }))!.flaggedUnreviewed).toBeNull();
    const newOnes = ranked.filter((r) => r.name.startsWith('new '));
    await call('thresholds.set', { modelId: modelId!, value: Math.min(...ranked.map((r) => r.score)) });
    const andon = (await call('follow.get', { projectId }))!.flaggedUnreviewed!;
    expect(andon.count).toBe(2);
    // One lot, the followed one: no other lot to set its flag rate against.
    expect((await call('follow.get', { projectId }))!.lotJump).toBeNull();
    // Show them: the same parts in Results (flagged, unreviewed, come in since following began).
    const shown = await call('results.ranking', { modelId: modelId!, sort: 'newest', filter: { flagged: true, unreviewed: true, notTrained: true, since: started.since } });
    expect(shown.items.map((r) => r.name).sort()).toEqual(['new 1.png', 'new 2.png']);
    expect(shown.total).toBe(2);
    expect(Date.parse(andon.newest!)).toBeGreaterThanOrEqual(Date.parse(started.since));
    await call('reviews.add', { imageId: newOnes[0].id, modelId: modelId!, decision: 'good' });
    expect((await call('follow.get', { projectId }))!.flaggedUnreviewed!.count).toBe(1);
    await call('thresholds.set', { modelId: modelId!, value: Math.max(...newOnes.map((r) => r.score)) + 1 });
    expect((await call('follow.get', { projectId }))!.flaggedUnreviewed!.count).toBe(0);
    expect(await until(() => call('follow.get', { projectId }), (f) => f!.newTotal === 2)).toMatchObject({ newTotal: 2, lastError: null });
    expect((await call('library.counts', { projectId })).total).toBe(14);

    // A camera that writes in place can be caught mid-file: that look fails on it, and a later one takes it whole.
    await png(join(dir, 'whole.png'), 904, 60);
    const whole = await readFile(join(dir, 'whole.png'));
    await writeFile(join(cam, 'test/good', 'slow.png'), whole.subarray(0, 60));
    const caught = await until(() => call('import.list', { projectId }), (l) => l[0].status === 'done' && l[0].failed === 2);
    expect(caught[0]).toMatchObject({ imported: 0, failed: 2 });
    await writeFile(join(cam, 'test/good', 'slow.png'), whole);
    expect((await until(() => call('models.get', { modelId: modelId! }), (m) => m.scoredCount === 15)).scoredCount).toBe(15);

    // An unplugged camera folder is said, and following goes on until it is back.
    await rename(cam, `${cam}-off`);
    const gone = await until(() => call('follow.get', { projectId }), (f) => f!.lastError !== null);
    expect(gone!.lastError).toMatch(/cam/);
    await rename(`${cam}-off`, cam);
    expect((await until(() => call('follow.get', { projectId }), (f) => f!.lastError === null))!.lastError).toBeNull();

    // The library keeps what it follows: after a restart (a line PC overnight) it goes on following.
    await web.close();
    web = await openWeb();
    expect(await call('follow.get', { projectId })).toMatchObject({ roots: [cam], modelId, since: started.since });
    await arrive(join(cam, 'test/good', 'new 3.png'), 903, 60);
    expect((await until(() => call('models.get', { modelId: modelId! }), (m) => m.scoredCount === 16)).scoredCount).toBe(16);

    expect(await call('follow.stop', { projectId })).toEqual({ stopped: true });
    expect(await call('follow.get', { projectId })).toBeNull();
    const looks = (await call('import.list', { projectId })).filter((i) => i.id !== first.id);
    expect(looks.filter((i) => i.imported === 0).map((i) => i.failed)).toEqual([2]);
    expect(looks.reduce((n, i) => n + i.imported, 0)).toBe(4);
    await arrive(join(cam, 'test/good', 'new 4.png'), 905, 60);
    await new Promise((r) => setTimeout(r, 1200)); // four intervals
    expect((await call('library.counts', { projectId })).total).toBe(16);
    // Stopped is stopped after a restart too.
    await web.close();
    web = await openWeb();
    expect(await call('follow.get', { projectId })).toBeNull();
    expect(await call('follow.stop', { projectId })).toEqual({ stopped: false });
  });

  it('refuses an upload, an import or a model of another project, and what does not exist', async () => {
    const projectId = (await call('projects.create', { name: 'Line 2' })).id;
    const other = (await call('projects.create', { name: 'Line 3' })).id;
    const bytes = await readFile(join(dir, 'cam', 'train/good', 'part 0.png'));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await fetch(`http://127.0.0.1:${web.server.port}/upload/${sha256}`, { method: 'PUT', body: bytes, headers: { authorization: `Bearer ${web.server.token}` } });
    await call('upload.place', { projectId, files: [{ path: 'drop/good/a.png', sha256 }] });
    expect((await finished((await call('upload.import', { projectId, roots: ['drop'] })).jobId)).status).toBe('done');
    const [upload] = await call('import.list', { projectId });
    const refused = async (input: RequestInput<'follow.start'>, code: string, text: RegExp) => {
      const r = await raw('follow.start', input);
      expect(r).toMatchObject({ ok: false, error: { code } });
      expect(r.error!.message).toMatch(text);
    };
    await refused({ projectId, importId: upload.id, modelId: null }, 'conflict', /upload cannot be followed/);
    await refused({ projectId: other, importId: upload.id, modelId: null }, 'bad-request', /is not of project/);
    await refused({ projectId, importId: 4242, modelId: null }, 'not-found', /import/);
    await refused({ projectId, importId: upload.id, modelId: 4242 }, 'conflict', /upload/);
    const [line1Model] = await call('models.list', { projectId: line1 });
    const folder = (await finished((await call('import.start', { projectId, paths: [join(dir, 'cam', 'train')] })).jobId));
    expect(folder.status).toBe('done');
    const [byPath] = await call('import.list', { projectId });
    await refused({ projectId, importId: byPath.id, modelId: line1Model.id }, 'bad-request', /is not of project/);
    await refused({ projectId, importId: byPath.id, modelId: 4242 }, 'not-found', /model/);
    expect(await call('follow.get', { projectId })).toBeNull();
  });
});
