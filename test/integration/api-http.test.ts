// The contract over HTTP against a real store in a temp folder: every request, and the refusals.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestNames } from '../../src-main/api/contract';
import type { EventMessage, RequestInput, RequestName, RequestOutput } from '../../src-main/api/contract';
import { startWebMode } from '../../src-main/server/web-mode';
import type { WebMode } from '../../src-main/server/web-mode';
import { insertPart, seedModel, writeLayout } from './api-fixture';
import { lotWarnings } from '../../src-main/cli/library-db';
import { modelPaths } from '../../src-main/data-dir';
import { openStore } from '../../src-main/store';

let dir: string;
let web: WebMode;
let base: string;
/** The loopback server wants its token too (bearer header here; a browser uses ?token= and a cookie). */
const authHeader = (): Record<string, string> => (web?.server.token ? { authorization: `Bearer ${web.server.token}` } : {});
const covered = new Set<string>();

async function raw(name: string, input: unknown, init: RequestInit = {}) {
  covered.add(name);
  const res = await fetch(`${base}/api/${name}`, {
    method: 'POST',
    body: JSON.stringify(input ?? {}),
    ...init,
    headers: { 'content-type': 'application/json', ...authHeader(), ...(init.headers as Record<string, string> | undefined) },
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; data?: unknown; error?: { code: string; message: string; issues?: unknown[] } } };
}

async function call<N extends RequestName>(name: N, input?: RequestInput<N>): Promise<RequestOutput<N>> {
  const { status, body } = await raw(name, input);
  if (!body.ok) throw new Error(`${name} -> ${status} ${JSON.stringify(body.error)}`);
  expect(status).toBe(200);
  return body.data as RequestOutput<N>;
}

async function refused(name: string, input: unknown, code: string, status: number) {
  const r = await raw(name, input);
  expect(r.body.ok, JSON.stringify(r.body)).toBe(false);
  expect(r.body.error?.code).toBe(code);
  expect(r.status).toBe(status);
  expect(r.body.error?.message.length).toBeGreaterThan(5);
  return r.body.error!;
}

/** GET with an exact raw path (fetch would normalise `..`) and optional headers. */
function get(path: string, headers: Record<string, string> = {}, port = web.server.port) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((ok, fail) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { ...authHeader(), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

/** Collects SSE messages until `until` is satisfied. */
async function collectEvents(until: (all: EventMessage[]) => boolean, start: () => Promise<unknown>): Promise<EventMessage[]> {
  const ctrl = new AbortController();
  const res = await fetch(`${base}/api/events`, { signal: ctrl.signal, headers: authHeader() });
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = res.body!.getReader();
  const seen: EventMessage[] = [];
  let buffer = '';
  await start();
  const deadline = Date.now() + 60_000;
  while (!until(seen) && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += Buffer.from(value).toString('utf8');
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      if (data) seen.push(JSON.parse(data.slice(6)) as EventMessage);
    }
  }
  ctrl.abort();
  return seen;
}

let projectId: number;
let modelId: number;
/** The model trained through the job queue (its folder is brought in again by models.import). */
let tinyModelId: number;
let importJob: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'api-http-'));
  await writeLayout(join(dir, 'images'));
  const app = join(dir, 'renderer');
  await mkdir(app);
  await writeFile(join(app, 'index.html'), '<!doctype html><title>GANomaly Inspector</title>');
  web = await startWebMode({ dbPath: join(dir, 'data', 'library.sqlite'), port: 0, staticDir: app });
  base = `http://127.0.0.1:${web.server.port}`;
});

afterAll(async () => {
  await web?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the contract over HTTP', () => {
  it('answers app.info and creates and lists projects', async () => {
    const info = await call('app.info');
    expect(info).toMatchObject({ mode: 'web', name: 'GANomaly Inspector' });
    expect(info.dbPath).toBe(join(dir, 'data', 'library.sqlite'));
    const p = await call('projects.create', { name: 'Solar cells' });
    projectId = p.id;
    expect(p).toMatchObject({ name: 'Solar cells', imageCount: 0 });
    expect((await call('projects.list')).map((x) => x.name)).toEqual(['Solar cells']);
    await refused('projects.create', { name: 'Solar cells' }, 'conflict', 409);
    const bad = await refused('projects.create', { name: '' }, 'bad-request', 400);
    expect(bad.issues?.length).toBeGreaterThan(0);
  });

  it('tells the browser to use the path field instead of a native dialog', async () => {
    const r = await call('dialog.pickPaths', { kind: 'folders' });
    expect(r.available).toBe(false);
    expect(r.message).toMatch(/path field/);
  });

  it('imports folders with progress events and a summary naming the failed file', async () => {
    const events = await collectEvents(
      (all) => all.some((m) => m.name === 'import.progress' && m.payload.done),
      async () => {
        importJob = (await call('import.start', { projectId, paths: [join(dir, 'images')] })).jobId;
      },
    );
    const last = events.filter((m) => m.name === 'import.progress').pop()!;
    expect(last.payload).toMatchObject({ done: true, imported: 12, failed: 1, jobId: importJob });
    expect(events.some((m) => m.name === 'job.progress' && m.payload.status === 'done')).toBe(true);
    const job = await call('jobs.get', { jobId: importJob });
    expect(job).toMatchObject({ kind: 'import', status: 'done', projectId });
    const imports = await call('import.list', { projectId });
    expect(imports).toHaveLength(1);
    const summary = await call('import.summary', { importId: imports[0].id });
    expect(summary).toMatchObject({ imported: 12, failed: 1, failuresTotal: 1, status: 'done', uploaded: false });
    expect(summary.failures[0]).toMatchObject({ kind: 'not-an-image' });
    expect(summary.failures[0].path).toMatch(/not-an-image\.png$/);
    await refused('import.start', { projectId, paths: [] }, 'bad-request', 400);
    const relative = await refused('import.start', { projectId, paths: ['parts/good'] }, 'bad-request', 400);
    expect(relative.message).toMatch(/full path/);
    await refused('import.start', { projectId: 999, paths: ['/tmp'] }, 'not-found', 404);
  });

  it('counts and pages the library, and serves thumbnails of known images only', async () => {
    const counts = await call('library.counts', { projectId });
    expect(counts).toMatchObject({ total: 12, byLabel: { good: 9, defect: 3, unlabeled: 0 }, bySplit: { train: 6, test: 6, none: 0 } });
    // The Train screen's count: the main side's training rule, not the renderer's reading of the counts.
    const set = await call('training.set', { projectId });
    expect(set).toEqual({ count: 6, rule: 'images labelled good (train split or no split)', channels: 1, colourNote: '', sampleUrl: expect.stringMatching(/\/original/) });
    expect((await get(set.sampleUrl!)).status).toBe(200); // the Train form draws the inspection region on it
    const folders = await call('library.folders', { projectId });
    expect(folders.map((f) => f.count).sort()).toEqual([3, 3, 6]);
    const page = await call('library.images', { projectId, offset: 5, limit: 5 });
    expect(page).toMatchObject({ total: 12, offset: 5 });
    expect(page.items).toHaveLength(5);
    const defects = await call('library.images', { projectId, label: 'defect' });
    expect(defects.items.map((i) => i.label)).toEqual(['defect', 'defect', 'defect']);
    expect(defects.items.map((i) => i.folderName)).toEqual(defects.items.map((i) => basename(i.folder)));
    const thumb = await get(defects.items[0].thumbUrl);
    expect(thumb.status).toBe(200);
    expect(String(thumb.headers['content-type'])).toMatch(/^image\//);
    const original = await get(defects.items[0].originalUrl);
    expect(original.status).toBe(200);
    expect(original.body.subarray(1, 4).toString()).toBe('PNG');
  });

  it('lists models with their figures and training history', async () => {
    modelId = await seedModel(web.host.store, projectId, join(dir, 'data', 'maps'));
    const list = await call('models.list', { projectId });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: modelId, status: 'ready', datasetSize: 6, trainingSeconds: 4.2, epochKept: 2, scoredCount: 12, unscoredCount: 0, trainedOnRejected: 0 });
    expect(list[0].backend).toMatchObject({ name: 'wasm', gpu: false });
    // Summary statistics only: the validation score samples stay on the main side.
    expect(list[0].validation).toEqual({
      calibration: { 'recon-top1': { count: 101, mean: 0.2, std: 0.058, median: 0.2, mad: 0.05 } },
      epochKept: 2, trainCount: 6, validationCount: 101, kept: { errGCon: 0.5 }, synthetic: null,
    });
    const detail = await call('models.get', { modelId });
    expect(detail.history.map((e) => e.epoch)).toEqual([1, 2]);
    expect(detail.history[1].losses.errD).toBeCloseTo(0.6);
    expect(detail.runs[0]).toMatchObject({ status: 'done', epochKept: 2 });
    await refused('models.get', { modelId: 9999 }, 'not-found', 404);
  });

  it('gives training defaults and refuses bad options', async () => {
    const d = await call('training.defaults');
    expect(d.options).toMatchObject({ isize: 32, nz: 100, wCon: 50 });
    expect(Object.keys(d.help)).toContain('scoreKind');
    await refused('training.start', { projectId, options: { isize: 33 } }, 'bad-request', 400);
    await refused('training.start', { projectId, options: { bogus: 1 } }, 'bad-request', 400);
    await refused('training.start', { projectId: 4242, options: {} }, 'not-found', 404);
    await refused('scoring.start', { modelId: 4242 }, 'not-found', 404);
  });

  it('trains and scores a tiny model through the job queue, with progress events', async () => {
    const ended = (id: number) => (all: EventMessage[]) =>
      all.some((m) => m.name === 'job.progress' && m.payload.jobId === id && !['queued', 'running'].includes(m.payload.status));
    const tiny = { isize: 16, epochs: 1, batchSize: 2, nz: 8, ngf: 8, ndf: 8 };
    // Before training: the plan (6 good images: 1 held out, 5 = 2 batches of 2 and 3) and steps timed in a job process.
    const before = await call('training.estimate', { projectId, options: tiny });
    expect(before).toMatchObject({ source: 'timed', plan: { images: 6, validationImages: 1, batchesPerEpoch: 2, epochs: 1, steps: 2, upperBound: false } });
    expect(before.seconds).toBeGreaterThan(0);
    expect(before.text).toMatch(/^1 epoch, 2 steps of 2 images; (under a minute|about \d+ min) — timed 2 steps on this machine/);
    await refused('training.estimate', { projectId: 4242 }, 'not-found', 404);
    await refused('training.estimate', { projectId, options: { isize: 33 } }, 'bad-request', 400);
    let started = { jobId: 0, modelId: 0 };
    const trainEvents = await collectEvents(
      (all) => started.jobId > 0 && ended(started.jobId)(all),
      async () => {
        // An inspection region (the left half) with its top-left corner left out: the model sees only the rest, and
        // Compare shows the original so.
        const r = await call('training.start', {
          projectId,
          name: 'tiny',
          options: { ...tiny, region: '0,0,50,100', leaveOut: '0,0,25,25' },
        });
        started = { jobId: r.jobId, modelId: r.modelId! };
        tinyModelId = r.modelId!;
      },
    );
    const mine = trainEvents.filter((m) => m.name === 'job.progress' && m.payload.jobId === started.jobId);
    expect(mine.at(-1)!.payload).toMatchObject({ kind: 'train', status: 'done', modelId: started.modelId });
    expect(mine.some((m) => m.name === 'job.progress' && m.payload.status === 'running')).toBe(true);
    const trained = await call('models.get', { modelId: started.modelId });
    expect(trained).toMatchObject({ name: 'tiny', status: 'ready', datasetSize: 6 });
    expect(trained.history).toHaveLength(1);
    expect(trained.backend?.name).toBeTruthy();
    // After it: one epoch cannot tell an epoch from the warm-up, so the same timing answers (kept, not re-run).
    // (A run of 2 or more epochs answers instead: test/integration/training-estimate.test.ts.)
    expect(await call('training.estimate', { projectId, options: tiny })).toEqual(before);
    await refused('training.resume', { modelId: started.modelId }, 'conflict', 409);
    expect(await call('training.cancel', { modelId: started.modelId })).toEqual({ cancelled: false });

    let scoreJob = 0;
    await collectEvents(
      (all) => scoreJob > 0 && ended(scoreJob)(all),
      async () => {
        scoreJob = (await call('scoring.start', { modelId: started.modelId })).jobId;
      },
    );
    expect(await call('jobs.get', { jobId: scoreJob })).toMatchObject({ kind: 'score', status: 'done' });
    const ranked = await call('results.ranking', { modelId: started.modelId, limit: 3 });
    expect(ranked.total).toBe(12);
    const one = await call('results.image', { modelId: started.modelId, imageId: ranked.items[0].id });
    expect(one.trained).toBe(ranked.items[0].trained);
    // The six good images of the train split are the model's own (trained or validated on), marked as such.
    const all = (await call('results.ranking', { modelId: started.modelId, limit: 20 })).items;
    expect(all.filter((r) => r.trained).map((r) => `${r.label}/${r.split}`)).toEqual(Array(6).fill('good/train'));
    expect((await get(one.urls.diff!)).status).toBe(200);
    expect((await get(one.urls.recon!)).status).toBe(200);
    expect(one.region).toBe('0,0,50,100');
    const [whole, cut] = await Promise.all([one.urls.original!, one.urls.region!].map(async (u) => sharp((await get(u)).body).metadata()));
    expect([cut.width, cut.height]).toEqual([Math.round(whole.width! / 2), whole.height]);
    expect(await sharp((await get(one.urls.diff!)).body).metadata()).toMatchObject({ width: cut.width, height: cut.height });
    // The left-out corner (the cut's left half, top quarter) is one flat colour, as the model saw it; the file's is not.
    expect(one.leaveOut).toBe('0,0,25,25');
    const corner = async (u: string, width: number) => {
      const { data, info } = await sharp((await get(u)).body).extract({ left: 0, top: 0, width, height: Math.floor(whole.height! / 4) }).raw().toBuffer({ resolveWithObject: true });
      return new Set(Array.from({ length: info.width * info.height }, (_, p) => data.subarray(p * info.channels, (p + 1) * info.channels).join())).size;
    };
    expect(await corner(one.urls.region!, Math.floor(cut.width! / 2))).toBe(1);
    expect(await corner(one.urls.original!, Math.floor(cut.width! / 2))).toBeGreaterThan(1);
  });

  it('brings a model trained elsewhere in by its folder, and it scores as it did there', async () => {
    const trained = await call('models.get', { modelId: tinyModelId });
    expect(trained.folder).toBe(modelPaths(join(dir, 'data'), tinyModelId).modelDir);
    expect(trained.imported).toBeNull();
    // The threshold set last goes with the folder (threshold.json), and comes in with the model.
    await call('thresholds.set', { modelId: tinyModelId, value: 0.37, lower: 0.05, source: 'manual' });
    expect(JSON.parse(await readFile(join(trained.folder!, 'threshold.json'), 'utf8'))).toMatchObject({ value: 0.37, lower: 0.05, source: 'manual' });
    const brought = await call('models.import', { projectId, folder: trained.folder! });
    expect(brought).toMatchObject({
      name: `model ${tinyModelId} (imported)`, status: 'ready', imported: { from: trained.folder, inProject: 6 }, scoreKind: trained.scoreKind,
      options: trained.options, scoredCount: 0, datasetSize: 6, epochKept: trained.epochKept,
    });
    expect(brought.folder).toBe(modelPaths(join(dir, 'data'), brought.id).modelDir);
    expect((await call('models.get', { modelId: brought.id })).history).toEqual(trained.history);
    expect((await call('thresholds.get', { modelId: brought.id })).current).toMatchObject({ value: 0.37, lower: 0.05, source: 'manual' });
    let job = 0;
    await collectEvents(
      (all) => job > 0 && all.some((m) => m.name === 'job.progress' && m.payload.jobId === job && m.payload.status === 'done'),
      async () => { job = (await call('scoring.start', { modelId: brought.id })).jobId; },
    );
    const scores = async (id: number) => (await call('results.ranking', { modelId: id, limit: 20 })).items.map((r) => [r.id, r.score, r.trained]);
    expect(await scores(brought.id)).toEqual(await scores(tinyModelId));
    // Its validation calibration came with it: the label-free threshold is the one the original suggests.
    const suggest = (id: number) => call('thresholds.suggest', { modelId: id, method: 'percentile', percentile: 99 });
    expect(await suggest(brought.id)).toEqual(await suggest(tinyModelId));
    // A folder that holds no model, or a path that depends on where the server runs, is refused; nothing is added.
    const before = (await call('models.list', { projectId })).length;
    expect((await refused('models.import', { projectId, folder: join(dir, 'images') }, 'conflict', 409)).message).toMatch(/is not a model folder: .*model\.json not found/);
    await refused('models.import', { projectId, folder: 'models/1' }, 'bad-request', 400);
    expect((await call('models.list', { projectId })).length).toBe(before);
    // Renamed for the line (its part, its station), never to a name the project already has.
    expect((await refused('models.rename', { modelId: brought.id, name: ' tiny ' }, 'conflict', 409)).message).toBe('A model named "tiny" already exists in this project');
    await refused('models.rename', { modelId: brought.id, name: '  ' }, 'bad-request', 400);
    expect(await call('models.rename', { modelId: brought.id, name: ' commutator, station 2 ' })).toMatchObject({ id: brought.id, name: 'commutator, station 2' });
    expect((await call('models.list', { projectId })).map((m) => m.name)).toContain('commutator, station 2');
    await call('models.delete', { modelId: brought.id });
  });

  it('brings a model in from a browser: its folder\'s files uploaded by content, then imported by name', async () => {
    const trained = await call('models.get', { modelId: tinyModelId });
    const sent: Array<{ name: string; sha256: string; bytes: number }> = [];
    // As a browser's folder chooser gives them: the folder's own files (a model folder's subfolders are caches).
    for (const name of (await readdir(trained.folder!, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name)) {
      const bytes = await readFile(join(trained.folder!, name));
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      expect((await fetch(`${base}/upload/${sha256}`, { method: 'PUT', body: bytes, headers: authHeader() })).status).toBe(200);
      sent.push({ name, sha256, bytes: bytes.length });
    }
    const before = (await call('models.list', { projectId })).length;
    // A file named but never sent, or a name with a folder in it, is refused before anything is read.
    const missing = { name: 'extra.bin', sha256: 'ab'.repeat(32), bytes: 3 };
    expect((await refused('models.importUpload', { projectId, folder: 'tiny', files: [...sent, missing] }, 'bad-request', 400)).message)
      .toBe('"extra.bin" has not been uploaded (send its content first)');
    await refused('models.importUpload', { projectId, folder: 'tiny', files: [{ ...sent[0], name: '../model.json' }] }, 'bad-request', 400);
    // A weight file cut short on the way is named, and nothing is added.
    const netG = sent.find((f) => f.name === 'netG.weights.bin')!;
    const short = (await readFile(join(trained.folder!, netG.name))).subarray(0, 100);
    const shortSha = createHash('sha256').update(short).digest('hex');
    await fetch(`${base}/upload/${shortSha}`, { method: 'PUT', body: short, headers: authHeader() });
    const cut = sent.map((f) => (f === netG ? { name: f.name, sha256: shortSha, bytes: 100 } : f));
    expect((await refused('models.importUpload', { projectId, folder: 'tiny', files: cut }, 'conflict', 409)).message)
      .toMatch(/^netG\.weights\.bin: 100 bytes, the manifest describes \d+ \(truncated or corrupt\)$/);
    expect((await call('models.list', { projectId })).length).toBe(before);
    // Each import releases what it staged: the upload store keeps no model files.
    for (const f of sent) {
      if (existsSync(join(dir, 'data', 'uploads', 'blobs', f.sha256.slice(0, 2), f.sha256))) continue;
      expect((await fetch(`${base}/upload/${f.sha256}`, { method: 'PUT', body: await readFile(join(trained.folder!, f.name)), headers: authHeader() })).status).toBe(200);
    }
    const brought = await call('models.importUpload', { projectId, folder: 'tiny', files: sent });
    expect(brought).toMatchObject({ name: 'tiny (2)', status: 'ready', imported: { from: 'the uploaded folder "tiny"', inProject: 6 }, scoreKind: trained.scoreKind, datasetSize: 6 });
    expect((await call('models.get', { modelId: brought.id })).history).toEqual(trained.history);
    expect(await readdir(join(dir, 'data', 'uploads', 'incoming'))).toEqual([]);
    for (const f of [...sent, { sha256: shortSha }]) expect(existsSync(join(dir, 'data', 'uploads', 'blobs', f.sha256.slice(0, 2), f.sha256))).toBe(false);
    await call('models.delete', { modelId: brought.id });
    // The other way round: the model as one .zip from the server, named after it, and that .zip uploaded is the model.
    const got = await fetch(`${base}/download/model/${tinyModelId}.zip`, { headers: authHeader() });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/zip');
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="tiny.zip"; filename*=UTF-8''tiny.zip`);
    const zip = new Uint8Array(await got.arrayBuffer());
    expect(Object.keys(unzipSync(zip)).sort()).toEqual(sent.map((f) => f.name).filter((n) => n !== 'checkpoint.json').sort());
    const zipSha = createHash('sha256').update(zip).digest('hex');
    await fetch(`${base}/upload/${zipSha}`, { method: 'PUT', body: zip, headers: authHeader() });
    const unzipped = await call('models.importUpload', { projectId, folder: 'tiny.zip', files: [{ name: 'tiny.zip', sha256: zipSha, bytes: zip.length }] });
    expect(unzipped).toMatchObject({ name: 'tiny (2)', imported: { from: 'the uploaded file "tiny.zip"', inProject: 6 } });
    expect((await call('models.get', { modelId: unzipped.id })).history).toEqual(trained.history);
    expect((await fetch(`${base}/download/model/4242.zip`, { headers: authHeader() })).status).toBe(404);
    // A save dialog is the desktop's; a browser is pointed at the download.
    expect(await call('models.saveArchive', { modelId: tinyModelId })).toEqual({
      available: false, path: null, message: 'Save dialogs are not available in the browser: download the model as one .zip from its panel.',
    });
    const junk = Buffer.from('PK, but no archive');
    const junkSha = createHash('sha256').update(junk).digest('hex');
    await fetch(`${base}/upload/${junkSha}`, { method: 'PUT', body: junk, headers: authHeader() });
    expect((await refused('models.importUpload', { projectId, folder: 'b.zip', files: [{ name: 'b.zip', sha256: junkSha, bytes: junk.length }] }, 'conflict', 409)).message)
      .toMatch(/^the uploaded file "b\.zip" is not a readable \.zip file \(/);
    await call('models.delete', { modelId: unzipped.id });
  });

  it('lists and cancels jobs', async () => {
    expect((await call('jobs.list', { projectId })).map((j) => j.id)).toContain(importJob);
    expect(await call('jobs.list', { active: true })).toEqual([]);
    expect(await call('jobs.cancel', { jobId: importJob })).toEqual({ cancelled: false });
    await refused('jobs.get', { jobId: 424242 }, 'not-found', 404);
  });

  it('suggests, sets and keeps the history of thresholds', async () => {
    expect(await call('thresholds.get', { modelId })).toEqual({ current: null, history: [] });
    await refused('results.counts', { modelId }, 'conflict', 409);
    await refused('reviews.queue', { modelId }, 'conflict', 409);
    const pct = await call('thresholds.suggest', { modelId, method: 'percentile', percentile: 75 });
    expect(pct.value).toBeCloseTo(0.25);
    const f1 = await call('thresholds.suggest', { modelId, method: 'best-f1' });
    expect(f1.f1).toBe(1);
    // Beside it, the F1 on parts it was not chosen on (folds, each judged by a threshold chosen on the others).
    expect(f1.heldOutF1).toMatchObject({ folds: expect.any(Number) });
    expect(f1.basis).toMatch(/^best F1 over \d+ labelled images \(1\.000\); on parts it was not chosen on \(\d folds, each judged by a threshold chosen on the others\) F1 \d\.\d{3}, catching \d+ of \d+ defects \(\d+ %\) with \d+ false alarms: what to expect of new parts$/);
    expect(f1.value).toBeGreaterThan(0.2);
    await call('thresholds.set', { modelId, value: 0.3, source: 'percentile' });
    const set = await call('thresholds.set', { modelId, value: f1.value, lower: 0.1, source: 'best-f1' });
    const state = await call('thresholds.get', { modelId });
    expect(state.current).toEqual(set);
    expect(state.history.map((t) => t.value)).toEqual([f1.value, 0.3]);
    await refused('thresholds.set', { modelId, value: 0.2, lower: 0.5 }, 'bad-request', 400);
  });

  it('ranks, filters, counts and describes results', async () => {
    // A part asked for by its serial number: the text its file name holds, in any case (the layout names them "part N").
    const named = await call('results.ranking', { modelId, filter: { name: 'PART 1' }, limit: 50 });
    expect(named.total).toBe(3);
    expect(named.items.map((r) => r.path.split('/').pop())).toEqual(['part 1.png', 'part 1.png', 'part 1.png']);
    expect((await call('results.ranking', { modelId, filter: { name: 'crack' }, limit: 50 })).total).toBe(0);
    const ranking = await call('results.ranking', { modelId, limit: 20 });
    expect(ranking.total).toBe(12);
    const scores = ranking.items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(ranking.items.slice(0, 3).every((i) => i.label === 'defect' && i.flagged)).toBe(true);
    const asc = await call('results.ranking', { modelId, sort: 'score-asc', limit: 1 });
    expect(asc.items[0].score).toBe(Math.min(...scores));
    const byPath = await call('results.ranking', { modelId, sort: 'path', limit: 20 });
    expect(byPath.items.map((i) => i.path)).toEqual(ranking.items.map((i) => i.path).sort());
    // Newest imports first: one import here, so in the order it added them, the last first.
    const newest = await call('results.ranking', { modelId, sort: 'newest', limit: 20 });
    expect(newest.items.map((i) => i.id)).toEqual(ranking.items.map((i) => i.id).sort((a, b) => b - a));
    const flagged = await call('results.ranking', { modelId, filter: { flagged: true } });
    const counts = await call('results.counts', { modelId });
    expect(flagged.total).toBe(counts.flagged);
    // One truth rule for every figure: the 6 trained good images are no evidence here either.
    expect(counts.confusion).toEqual({ tp: 3, fn: 0, fp: 0, tn: 3 });
    expect(counts.uncertain).toBe(9); // every good part scores in [0.1, threshold)
    const preview = await call('results.counts', { modelId, threshold: 0, lower: null });
    expect(preview).toMatchObject({ flagged: 12, uncertain: 0 });
    const goodOnly = await call('results.ranking', { modelId, filter: { label: 'good', split: 'train' } });
    expect(goodOnly.total).toBe(6);
    const all = await call('results.scores', { modelId });
    expect(all.scores).toHaveLength(12);
    expect(all.labels.filter((l) => l === 'defect')).toHaveLength(3);
    const h = await call('results.histogram', { modelId, bins: 10 });
    expect(h.bins).toHaveLength(10);
    expect(h.bins.reduce((n, b) => n + b.good + b.defect + b.unlabeled, 0)).toBe(12);
    expect(h.labelSource).toBe('label');
    const top = ranking.items[0];
    const one = await call('results.image', { modelId, imageId: top.id });
    expect(one).toMatchObject({ rank: 1, total: 12, flagged: true, scoreKind: 'recon-top1', shift: null }); // no capture-shift limit saved
    expect(one.raw['recon-top1']).toBeCloseTo(top.score);
    const diff = await get(one.urls.diff!);
    expect(diff.status).toBe(200);
    expect(diff.headers['content-type']).toBe('image/png');
    const m = await call('metrics.get', { modelId });
    // The 6 good images the model trained on are no evidence: only the 3 held-out good ones count.
    expect(m).toMatchObject({ available: true, positives: 3, negatives: 3, auroc: 1 });
    // The model-free baseline on the same 6 images (the fixture stores a third of the score: the same order).
    // Both rank the 6 perfectly, so the lead is 0 with no spread: nothing to tell them apart.
    expect(m.baseline).toEqual({ auroc: 1, averagePrecision: 1, lead: { low: 0, high: 0 } });
    const arrays = await call('results.scores', { modelId });
    expect(arrays.trained.filter(Boolean)).toHaveLength(6);
    expect(arrays.shifted).toBeNull(); // the seeded model saved no capture-shift limit
    expect(m.roc.length).toBeGreaterThan(2);
    await refused('results.image', { modelId, imageId: 999999 }, 'not-found', 404);
  });

  it('takes a folder imported by mistake out of a project, and renames the project', async () => {
    const store = web.host.store;
    const p = await call('projects.create', { name: 'mistakes' });
    const ids = [1, 2, 3].map((k) => insertPart(store, p.id, `/camera-b/p${k}.png`));
    expect(await call('library.folders', { projectId: p.id })).toEqual([{ folder: '/camera-b', count: 3, uploadedAs: null }]);
    const urlsBefore = (await call('library.images', { projectId: p.id, offset: 0, limit: 10 })).items.map((i) => [i.id, i.thumbUrl, i.originalUrl]);
    const review = await call('reviews.add', { imageId: ids[0], decision: 'defect', note: 'burr', reviewer: 'A. Jensen' });
    expect(await call('library.removeFolder', { projectId: p.id, folder: '/camera-b' })).toEqual({ removed: 3 });
    expect(ids.map((id) => store.images.get(id))).toEqual([undefined, undefined, undefined]);
    expect(await call('library.folders', { projectId: p.id })).toEqual([]);
    await refused('library.removeFolder', { projectId: p.id, folder: '/camera-b' }, 'not-found', 404);
    await refused('library.removeFolder', { projectId: p.id, folder: '' }, 'bad-request', 400);
    // And renamed, as the project picker does; a name in use is refused.
    expect(await call('projects.rename', { projectId: p.id, name: ' camera B rejects ' })).toMatchObject({ id: p.id, name: 'camera B rejects' });
    const taken = (await call('projects.list', {})).find((x) => x.id !== p.id)!.name;
    await refused('projects.rename', { projectId: p.id, name: taken }, 'conflict', 409);
    await refused('projects.rename', { projectId: 9999, name: 'x' }, 'not-found', 404);
    // Its day set to start at a night line's first shift; a time that is none is refused.
    expect((await call('projects.list', {})).find((x) => x.id === p.id)!.dayStart).toBe('00:00');
    expect(await call('projects.setDayStart', { projectId: p.id, dayStart: '6:00' })).toMatchObject({ id: p.id, dayStart: '06:00' });
    expect(store.projects.get(p.id)!.dayStart).toBe(360);
    await refused('projects.setDayStart', { projectId: p.id, dayStart: '24:00' }, 'bad-request', 400);
    await refused('projects.setDayStart', { projectId: 9999, dayStart: '06:00' }, 'not-found', 404);
    // And deleted, with its models' files in the library's folder; another project's stay.
    const img = insertPart(store, p.id, '/camera-b/q.png', { label: 'good' });
    // SQLite gives it a removed image's id: its addresses must differ, or a browser shows the removed part from its cache.
    const [reused] = urlsBefore.filter(([id]) => id === img);
    expect(reused).toBeDefined();
    const after = (await call('library.images', { projectId: p.id, offset: 0, limit: 10 })).items[0];
    expect([after.thumbUrl, after.originalUrl]).not.toContain(reused[1]);
    expect([after.thumbUrl, after.originalUrl]).not.toContain(reused[2]);
    const m = store.models.create({ projectId: p.id, name: 'b', options: {}, trainImageIds: [img] });
    // The reviewed part imported again, the same content at another path: nobody has reviewed the new image, its
    // earlier reviews are shown with it, and the training set still leaves it out.
    const again = insertPart(store, p.id, '/camera-b-again/p1.png', { hash: '/camera-b/p1.png', label: 'good' });
    store.scores.write(m.id, [{ imageId: again, score: 0.5 }]);
    const detail = await call('results.image', { modelId: m.id, imageId: again });
    expect(detail.reviews).toEqual([]);
    expect(detail.reviewsBefore).toEqual([{ ...review, removedAt: expect.any(String) }]);
    expect(detail.countedAs).toBe('defect');
    expect(Date.parse(detail.reviewsBefore[0].removedAt)).toBeGreaterThanOrEqual(Date.parse(review.createdAt));
    expect((await call('training.set', { projectId: p.id })).rule)
      .toBe('images labelled good (train split or no split), less 1 reviewed defect or unsure (1 of them reviewed before their folder was taken out and imported again)');
    // Reviewed again, its own decision counts: the earlier ones are history.
    await call('reviews.add', { imageId: again, decision: 'good' });
    expect((await call('results.image', { modelId: m.id, imageId: again })).countedAs).toBeNull();
    const files = modelPaths(join(dir, 'data'), m.id).modelDir;
    await mkdir(files, { recursive: true });
    expect(await call('projects.delete', { projectId: p.id })).toEqual({ deleted: true });
    expect((await call('projects.list', {})).map((x) => x.id)).not.toContain(p.id);
    expect(existsSync(files)).toBe(false);
    expect((await readdir(join(dir, 'data', 'maps'))).length).toBeGreaterThan(0); // the seeded model's maps
    await refused('projects.delete', { projectId: p.id }, 'not-found', 404);
  });

  it('says why metrics are missing when the model trained on every good part', async () => {
    const store = web.host.store;
    const good = store.images.ids(projectId, { label: 'good' });
    const all = store.images.ids(projectId);
    const m = store.models.create({ projectId, name: 'on every good part', options: { isize: 32 }, scoreKind: 'recon-top1', trainImageIds: good });
    store.models.update(m.id, { status: 'ready' });
    store.scores.write(m.id, all.map((imageId, i) => ({ imageId, score: i / all.length })));
    expect(await call('metrics.get', { modelId: m.id })).toMatchObject({
      available: false, positives: 3, negatives: 0,
      reason: 'Metrics need both classes: 3 defective and 0 good parts with a known answer (the 9 the model trained or validated on are no evidence)',
    });
    // Deleted through the API, as the Train screen does (the later tests expect the models before it).
    const before = (await call('models.list', { projectId })).map((x) => x.id);
    expect(await call('models.delete', { modelId: m.id })).toEqual({ deleted: true });
    expect((await call('models.list', { projectId })).map((x) => x.id)).toEqual(before.filter((id) => id !== m.id));
    await refused('models.delete', { modelId: m.id }, 'not-found', 404);
  });

  it('gives figures per kind of defect, each against every good part, beside the baseline and at the threshold', async () => {
    const store = web.host.store;
    const p = await call('projects.create', { name: 'kinds of defect' });
    // name, label, defect kind, score, baseline
    const parts: Array<[string, 'good' | 'defect', string | null, number, number]> = [
      ['train', 'good', null, 0.01, 0.01],
      ['g1', 'good', null, 0.1, 0.1], ['g2', 'good', null, 0.2, 0.2], ['g3', 'good', null, 0.3, 0.3], ['g4', 'good', null, 0.4, 0.4],
      ['g5', 'good', null, 0.45, 0.45], // reviewed defect below: a defect of no kind
      ['cut1', 'defect', 'cut', 0.9, 0.05], ['cut2', 'defect', 'cut', 0.8, 0.06], // the model finds cuts, the rule does not
      ['hole1', 'defect', 'hole', 0.35, 0.95], ['hole2', 'defect', 'hole', 0.05, 0.96], // and the other way round
    ];
    const ids = parts.map(([name, label, kind]) => insertPart(store, p.id, `/line/${name}.png`, { label, split: name === 'train' ? 'train' : 'test', defectType: kind }));
    const m = store.models.create({ projectId: p.id, name: 'kinds', options: { isize: 32 }, scoreKind: 'recon-top1', trainImageIds: [ids[0]] });
    store.models.update(m.id, { status: 'ready' });
    store.scores.write(m.id, parts.map(([, , , score, baseline], i) => ({ imageId: ids[i], score, reconTop1: score, baseline })));
    await call('reviews.add', { imageId: ids[5], modelId: m.id, decision: 'defect' });
    const before = await call('metrics.get', { modelId: m.id });
    expect(before).toMatchObject({ positives: 5, negatives: 4 });
    // Best F1 judged fold by fold as well: four folds, as there are four good parts; each part judged once.
    expect(before.heldOutF1).toMatchObject({ folds: 4 });
    expect(before.heldOutF1!.tp + before.heldOutF1!.fn).toBe(5);
    // hole1 outranks 3 of the 4 good parts, hole2 none: 3 of 8 pairs; g5 (0.45) outranks all 4.
    expect(before.byDefectKind).toEqual([
      { kind: 'cut', parts: 2, auroc: 1, baselineAuroc: 0, caught: null, shifted: null },
      { kind: 'hole', parts: 2, auroc: 0.375, baselineAuroc: 1, caught: null, shifted: null },
      { kind: null, parts: 1, auroc: 1, baselineAuroc: 1, caught: null, shifted: null },
    ]);
    expect(before.shifted).toBeNull(); // a model that saved no capture-shift limit cannot tell
    // The threshold that catches a share of the known defects (0.9, 0.8, 0.45, 0.35, 0.05), and its false alarms.
    const catching = async (recall: number) => call('thresholds.suggest', { modelId: m.id, method: 'recall', recall });
    expect(await catching(60)).toMatchObject({ value: 0.45, recall: 0.6, precision: 1, falseAlarms: { flagged: 0, of: 4 },
      basis: 'flags 3 of 5 known defects (60 %, at least 60 % asked) and 0 of 4 good parts (0 %). Chosen on these very defects: ' +
        'with each left out of the choice in turn, 3 of 5 are caught (60 %), what to expect of new ones', heldOutRecall: { caught: 3, of: 5 } });
    expect(await catching(61)).toMatchObject({ value: 0.35, recall: 0.8, falseAlarms: { flagged: 1, of: 4 } });
    // Catching all five sets the threshold at the lowest of them, which left out of the choice escapes.
    expect(await catching(100)).toMatchObject({ value: 0.05, recall: 1, falseAlarms: { flagged: 4, of: 4 }, heldOutRecall: { caught: 4, of: 5 } });
    await refused('thresholds.suggest', { modelId: m.id, method: 'recall', recall: 40 }, 'bad-request', 400);
    await call('thresholds.set', { modelId: m.id, value: 0.4, source: 'recall' });
    expect((await call('metrics.get', { modelId: m.id })).byDefectKind.map((r) => [r.kind, r.caught])).toEqual([['cut', 2], ['hole', 0], [null, 1]]);
    // A single kind says nothing the headline figures do not: no rows.
    await call('reviews.add', { imageId: ids[5], modelId: m.id, decision: 'good' });
    for (const i of [8, 9]) await call('reviews.add', { imageId: ids[i], modelId: m.id, decision: 'good' });
    expect((await call('metrics.get', { modelId: m.id })).byDefectKind).toEqual([]);
    for (const i of [6, 7]) await call('reviews.add', { imageId: ids[i], modelId: m.id, decision: 'good' });
    expect((await refused('thresholds.suggest', { modelId: m.id, method: 'recall' }, 'conflict', 409)).message).toMatch(/needs scored images labelled or reviewed defect/);
    const csv = (await call('export.results', { modelId: m.id, format: 'csv' })).text.split('\r\n');
    expect(csv[0].split(',')[11]).toBe('defect_type');
    expect(csv.filter((l) => l.includes('/line/cut1.png'))[0].split(',')[11]).toBe('cut');
    expect(await call('projects.delete', { projectId: p.id })).toEqual({ deleted: true });
  });

  it('compares two models of a project on the parts both scored and neither trained on', async () => {
    const store = web.host.store;
    const p = await call('projects.create', { name: 'two models' });
    const names = ['t', 'g1', 'g2', 'g3', 'g4', 'd1', 'd2', 'd3'];
    const ids = names.map((name) => insertPart(store, p.id, `/cmp/${name}.png`, { label: name.startsWith('d') ? 'defect' : 'good', split: name === 't' ? 'train' : 'test' }));
    const model = (name: string, trained: number[], scores: number[]) => {
      const m = store.models.create({ projectId: p.id, name, options: { isize: 32 }, scoreKind: 'recon-top1', trainImageIds: trained });
      store.models.update(m.id, { status: 'ready' });
      store.scores.write(m.id, scores.map((score, i) => ({ imageId: ids[i], score, reconTop1: score })));
      return m.id;
    };
    const older = model('older', [ids[0]], [0.01, 0.1, 0.2, 0.3, 0.4, 0.35, 0.8, 0.05]);
    // The newer one also trained on g1: g1 is no evidence for either.
    const newer = model('newer', [ids[0], ids[1]], [0.01, 0.02, 0.1, 0.2, 0.3, 0.9, 0.8, 0.7]);
    const c = await call('metrics.compare', { modelId: newer, otherId: older });
    // On g2-g4 and d1-d3: the newer ranks all 9 pairs right, the older 5 (0.35 over two, 0.8 over three).
    expect(c).toMatchObject({ defective: 3, good: 3, auroc: 1, otherAuroc: 5 / 9 });
    expect(c.lead!.value).toBeCloseTo(4 / 9, 12);
    expect(c.lead!.low).toBeLessThan(c.lead!.value);
    expect(c.settled).toBe(c.lead!.low! > 0 || c.lead!.high! < 0);
    expect(c.text).toMatch(/^On the 3 defective and 3 good parts both models scored and neither trained on: AUROC 1\.000 against 0\.556 for "older" \(\+0\.444\)\. The difference's 95 % interval runs from [+−]\d\.\d{3} to [+−]\d\.\d{3}: /);
    // The other way round: the same parts, the lead turned over.
    const back = await call('metrics.compare', { modelId: older, otherId: newer });
    expect([back.auroc, back.otherAuroc, back.lead!.value]).toEqual([c.otherAuroc, c.auroc, -c.lead!.value]);
    // A model that scored only the defects leaves no good part to compare on.
    const partial = store.models.create({ projectId: p.id, name: 'defects only', options: {}, scoreKind: 'recon-top1', trainImageIds: [ids[0]] });
    store.scores.write(partial.id, [5, 6, 7].map((i) => ({ imageId: ids[i], score: 0.5, reconTop1: 0.5 })));
    expect(await call('metrics.compare', { modelId: newer, otherId: partial.id })).toMatchObject({
      defective: 3, good: 0, auroc: null, lead: null, settled: null, text: 'Comparing needs both classes: 3 defective and 0 good parts both models scored and neither trained on.',
    });
    await refused('metrics.compare', { modelId: newer, otherId: newer }, 'bad-request', 400);
    await refused('metrics.compare', { modelId: newer, otherId: modelId }, 'bad-request', 400); // another project's
    await refused('metrics.compare', { modelId: newer, otherId: 99999 }, 'not-found', 404);
    expect(await call('projects.delete', { projectId: p.id })).toEqual({ deleted: true });
  });

  it('says which parts differ from the held-out good parts as a whole, by the capture-shift limit the model saved', async () => {
    const store = web.host.store;
    const p = await call('projects.create', { name: 'capture shift' });
    const names = ['t', 'a', 'b', 'c', 'old', 'cut', 'hole'];
    // Two lots: c and cut came in together.
    const [lotA, lotB] = ['/shift/lot-a', '/shift/lot-b'].map((root) => store.imports.start(p.id, [root]).id);
    const ids = names.map((name) => insertPart(store, p.id, `/shift/${name}.png`, {
      ...(name === 'cut' || name === 'hole' ? { label: 'defect', defectType: name } : { label: 'good' }), importId: name === 'c' || name === 'cut' ? lotB : lotA,
    }));
    const m = store.models.create({ projectId: p.id, name: 'whole', options: { isize: 32 }, scoreKind: 'recon-top1', trainImageIds: [ids[0]] });
    // The held-out images' shifts put the limit at 0.8: beyond it an image differs from them as a whole.
    store.models.update(m.id, { status: 'ready', validationStats: { calibration: {}, epochKept: 1, trainCount: 1, validationCount: 1, kept: null, shiftLimit: 0.8 } });
    // 'old' was scored before shifts were stored (NULL): it counts as not shifted.
    const shifts = [0.1, 0.5, 0.8, 1.7, null, 1.2, 0.3];
    store.scores.write(m.id, ids.map((imageId, i) => ({ imageId, score: i / 10, reconTop1: i / 10, baseline: i / 10, shift: shifts[i] })));
    const arrays = await call('results.scores', { modelId: m.id });
    expect(arrays.imageIds.map((id, i) => [names[ids.indexOf(id)], arrays.shifted![i]]))
      .toEqual([['hole', false], ['cut', true], ['old', false], ['c', true], ['b', false], ['a', false], ['t', false]]);
    // Metrics count them among the parts they judge (the trained one left out), per class and per kind.
    const metrics = await call('metrics.get', { modelId: m.id });
    expect(metrics).toMatchObject({ positives: 2, negatives: 4, shifted: { good: 1, defective: 1 } });
    expect(metrics.byDefectKind.map((k) => [k.kind, k.shifted])).toEqual([['cut', 1], ['hole', 0]]);
    // One part as Compare and Review show it: its shift beside the limit; a part scored before shifts were kept has none.
    expect((await call('results.image', { modelId: m.id, imageId: ids[names.indexOf('cut')] })).shift).toEqual({ value: 1.2, limit: 0.8, differs: true });
    expect((await call('results.image', { modelId: m.id, imageId: ids[names.indexOf('b')] })).shift).toEqual({ value: 0.8, limit: 0.8, differs: false }); // at the limit is within
    expect((await call('results.image', { modelId: m.id, imageId: ids[names.indexOf('old')] })).shift).toBeNull();
    // `score --db` names the lot most of whose parts differ (both of lot b's; none of lot a's four, t trained on).
    expect(lotWarnings(store, store.models.get(m.id)!).shifted).toBe(`import #${lotB} from /shift/lot-b (2 of 2): most parts differ from the good parts ` +
      'as a whole, not only at one spot. Another camera, lighting or part type? Check the capture before reading its flags as defects.');
    // A model that saved no limit (patch mode, or saved before it) cannot tell, whatever its rows hold.
    const patches = store.models.create({ projectId: p.id, name: 'patches', options: { isize: 32 }, scoreKind: 'recon-top1', trainImageIds: [ids[0]] });
    store.models.update(patches.id, { status: 'ready', validationStats: { calibration: {}, epochKept: 1, trainCount: 1, validationCount: 1, kept: null, shiftLimit: null } });
    store.scores.write(patches.id, ids.map((imageId, i) => ({ imageId, score: i / 10, reconTop1: i / 10, baseline: i / 10, shift: shifts[i] })));
    expect((await call('results.scores', { modelId: patches.id })).shifted).toBeNull();
    const cannotTell = await call('metrics.get', { modelId: patches.id });
    expect(cannotTell.shifted).toBeNull();
    expect(cannotTell.byDefectKind.map((k) => k.shifted)).toEqual([null, null]);
    expect((await call('results.image', { modelId: patches.id, imageId: ids[names.indexOf('cut')] })).shift).toBeNull();
    expect(lotWarnings(store, store.models.get(patches.id)!).shifted).toBeNull();
    expect(await call('projects.delete', { projectId: p.id })).toEqual({ deleted: true });
  });

  it('records reviews append-only, undoes by appending, and queues flagged + uncertain', async () => {
    const queue = await call('reviews.queue', { modelId, limit: 50 });
    expect(queue.total).toBe(12); // 3 flagged + 9 in the uncertain band
    expect(queue.items[0].flagged).toBe(true);
    expect(queue.items.at(-1)!.uncertain).toBe(true);
    // Only a list's parts (Results' "Review these"): here the queue's parts of one folder.
    const folder = queue.items[0].folder;
    const scoped = await call('reviews.queue', { modelId, limit: 50, scope: { folder } });
    expect(scoped.items.map((r) => r.id)).toEqual(queue.items.filter((r) => r.folder === folder).map((r) => r.id));
    expect(scoped.total).toBe(scoped.items.length);
    expect(scoped.total).toBeLessThan(queue.total);
    await refused('reviews.queue', { modelId, scope: { flagged: false } }, 'bad-request', 400); // the queue's own
    const id = queue.items[0].id;
    const before = await call('results.scores', { modelId });
    expect(before.decisions[before.imageIds.indexOf(id)]).toBeNull();
    await call('reviews.add', { imageId: id, modelId, decision: 'defect', note: 'crack at edge' });
    // Whole-library reads are kept between calls; a review must show at once all the same.
    const after1 = await call('results.scores', { modelId });
    expect(after1.decisions[after1.imageIds.indexOf(id)]).toBe('defect');
    // Undoing the only review returns the image to unreviewed with a revert row; the trail keeps both.
    const reverted = await call('reviews.undo', { imageId: id });
    expect(reverted).toMatchObject({ decision: null });
    const afterRevert = await call('results.scores', { modelId });
    expect(afterRevert.decisions[afterRevert.imageIds.indexOf(id)]).toBeNull();
    expect(await call('reviews.undo', { imageId: id })).toBeNull();
    await call('reviews.add', { imageId: id, modelId, decision: 'defect', note: 'crack at edge', reviewer: ' A. Jensen ' });
    await call('reviews.add', { imageId: id, modelId, decision: 'good', reviewer: 'B. Okafor' });
    const undone = await call('reviews.undo', { imageId: id, reviewer: 'B. Okafor' });
    expect(undone).toMatchObject({ decision: 'defect', note: 'crack at edge', reviewer: 'B. Okafor' });
    expect(undone!.reverts).toBeGreaterThan(0);
    const history = await call('reviews.history', { imageId: id });
    expect(history.map((r) => r.decision)).toEqual(['defect', 'good', 'defect', null, 'defect']);
    // Who made each decision, as they gave their name (trimmed); none given is none kept.
    expect(history.map((r) => r.reviewer)).toEqual(['B. Okafor', 'B. Okafor', 'A. Jensen', null, null]);
    // Both undos name the review they took back: the one back to unreviewed, and the one that restored "defect".
    expect(history.map((r) => r.reverts)).toEqual([history[1].id, null, null, history[4].id, null]);
    // Compare's image detail lists them in the same order: its badge shows the first, the current decision.
    expect((await call('results.image', { modelId, imageId: id })).reviews).toEqual(history);
    // The project's trail as written, oldest first, for an audit: the same rows, an undo naming what it took back.
    const trail = await call('export.reviews', { projectId, format: 'csv' });
    const trailLines = trail.text.trim().split('\r\n');
    expect(trailLines[0]).toBe('review_id,at,image_id,path,decision,note,reviewed_by,model_id,undoes,project,removed_at,removed_with');
    const ofImage = trailLines.slice(1).map((l) => l.split(',')).filter((c) => c[2] === String(id));
    expect(ofImage.map((c) => [c[0], c[4], c[5], c[6], c[8]])).toEqual([...history].reverse().map((r) => [String(r.id), r.decision ?? '', r.note, r.reviewer ?? '', r.reverts ? String(r.reverts) : '']));
    expect(ofImage.every((c) => Date.parse(c[1]) > 0 && c[3].endsWith('.png'))).toBe(true);
    expect(trail.filename).toMatch(/-reviews\.csv$/);
    const trailJson = JSON.parse((await call('export.reviews', { projectId, format: 'json' })).text) as { reviews: Array<{ id: number; reviewer: string | null }> };
    expect(trailJson.reviews.length).toBe(trail.rows);
    // Without a project: the whole library's, each row naming its project (deleted projects' too: store test).
    const library = await call('export.reviews', { format: 'csv' });
    expect(library.filename).toBe('library-reviews.csv');
    expect(library.text.split('\r\n')[0]).toBe(trailLines[0]);
    expect(library.rows).toBeGreaterThanOrEqual(trail.rows);
    await refused('export.reviews', { projectId: 4242, format: 'csv' }, 'not-found', 404);
    await refused('reviews.add', { imageId: id, decision: 'good', reviewer: 'A.\u0007Jensen' }, 'bad-request', 400);
    await refused('reviews.add', { imageId: id, decision: 'good', reviewer: 'x'.repeat(101) }, 'bad-request', 400);
    expect(await call('reviews.undo', { imageId: queue.items[1].id })).toBeNull();
    const after = await call('reviews.queue', { modelId, limit: 50 });
    expect(after.remaining).toBe(11);
    await refused('reviews.add', { imageId: id, decision: 'maybe' }, 'bad-request', 400);
  });

  it('hands a browser a backup of the whole library as one file, taken while the server holds it', async () => {
    expect(await call('library.backup')).toMatchObject({ available: false, path: null, message: 'Save dialogs are not available in the browser: download the backup instead.' });
    const got = await get('/download/library.sqlite');
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/vnd.sqlite3');
    expect(got.headers['content-disposition']).toMatch(/^attachment; filename="library-\d{4}-\d{2}-\d{2}\.sqlite"$/);
    const file = join(dir, 'downloaded-backup.sqlite');
    await writeFile(file, got.body);
    const copy = openStore(file, { readonly: true });
    try {
      expect(copy.integrityCheck()).toEqual(['ok']);
      const held = web.host.store.reviews.counts(projectId);
      expect(held.defect + held.good + held.unsure).toBeGreaterThan(0);
      expect(copy.reviews.counts(projectId)).toEqual(held);
      expect(copy.images.ids(projectId)).toEqual(web.host.store.images.ids(projectId));
    } finally {
      copy.close();
    }
    // Nothing of it stays on the server once sent.
    await expect.poll(async () => (await readdir(tmpdir())).filter((n) => n.startsWith('ganomaly-backup-'))).toEqual([]);
  });

  it('exports CSV and JSON', async () => {
    const csv = await call('export.results', { modelId, format: 'csv' });
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('image_id,path,label,split,score,calibrated,percentile,flagged,decision,note,trained_on,defect_type,added_at,lot,reviewed_at,reviewed_by');
    expect(lines).toHaveLength(13);
    // The 6 good/train images are the model's own: marked, so their low scores are not read as evidence.
    const cells = lines.slice(1).map((l) => l.split(','));
    expect(cells.filter((c) => c[10] === 'true')).toHaveLength(6);
    // When each part came in, and its lot: the one import of the images folder, named by its folder and day.
    for (const c of cells) {
      expect(Date.parse(c[12])).toBeGreaterThan(0);
      expect(c[13]).toMatch(new RegExp(`^${join(dir, 'images').replace(/[/\\]/g, '.')} \\d{4}-\\d{2}-\\d{2}$`));
    }
    expect(csv.rows).toBe(12);
    expect(csv.text).toContain('crack at edge');
    // When and by whom each part's current decision was made; blank where it is unreviewed.
    const decided = cells.filter((c) => c[8] !== '');
    expect(decided.length).toBeGreaterThan(0);
    for (const c of decided) expect(Date.parse(c[14])).toBeGreaterThan(0);
    expect(cells.filter((c) => c[8] === '').every((c) => c[14] === '' && c[15] === '')).toBe(true);
    // That one's decision stands as B. Okafor's undo restored it: the row records who acted.
    expect(lines.find((l) => l.includes('crack at edge'))!.split(',').slice(14)).toEqual([expect.stringMatching(/^\d{4}-/), 'B. Okafor']);
    const json = JSON.parse((await call('export.results', { modelId, format: 'json' })).text) as { rows: Array<{ addedAt: string; lot: string }> };
    expect(json.rows).toHaveLength(12);
    expect(json.rows[0]).toMatchObject({ addedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), lot: cells[0][13] });
    // The list Results shows (Export these): its filters, flagged at the threshold it previews.
    const list = await call('export.results', { modelId, format: 'csv', filter: { name: 'PART 1' } });
    expect(list).toMatchObject({ filename: 'seeded_model-list.csv', rows: 3 });
    expect(list.text.trim().split('\r\n').slice(1).map((l) => l.split(',')[1].split('/').pop())).toEqual(['part 1.png', 'part 1.png', 'part 1.png']);
    const shown = await call('results.ranking', { modelId, filter: { flagged: true }, threshold: 0.15, limit: 50 });
    const flagged = await call('export.results', { modelId, format: 'json', filter: { flagged: true }, threshold: 0.15 });
    expect(flagged.rows).toBe(shown.total);
    expect((JSON.parse(flagged.text) as { rows: Array<{ imageId: number; flagged: boolean }> }).rows.map((r) => [r.imageId, r.flagged])).toEqual(shown.items.map((r) => [r.id, true]));
  });

  it('reports the backend that training would use here', async () => {
    const b = await call('backend.info');
    expect(['wasm', 'cpu', 'tensorflow', 'webgpu']).toContain(b.name);
    expect(b.threads).toBeGreaterThan(0);
  });

  it('follows an import\'s folders and stops (what a look brings in: test/integration/follow.test.ts)', async () => {
    expect(await call('follow.get', { projectId })).toBeNull();
    const [first] = (await call('import.list', { projectId })).slice(-1);
    expect(await call('follow.start', { projectId, importId: first.id, modelId: null })).toMatchObject({ roots: [join(dir, 'images')], everySeconds: 60, modelId: null });
    // The first look is at once; stopping waits for it, so nothing of it runs on.
    expect(await call('follow.stop', { projectId })).toEqual({ stopped: true });
    expect(await call('jobs.list', { active: true })).toEqual([]);
    expect(await call('follow.get', { projectId })).toBeNull();
    await refused('follow.get', { projectId: 4242 }, 'not-found', 404);
  });

  it('takes a browser upload: its limits, a blob by sha256, placing it at a relative path, importing it', async () => {
    const limits = await call('upload.limits');
    expect(limits.maxFileBytes).toBeGreaterThan(1024 * 1024);
    const bytes = await readFile(join(dir, 'images', 'train/good/part 0.png'));
    const hash = createHash('sha256').update(bytes).digest('hex');
    const put = await fetch(`${base}/upload/${hash}`, { method: 'PUT', body: bytes, headers: authHeader() });
    expect(put.status).toBe(200);
    expect(await call('upload.place', { projectId, files: [{ path: 'drop/train/good/a.png', sha256: hash }] })).toEqual({ placed: 1, missing: [], refused: [] });
    const { jobId } = await call('upload.import', { projectId, roots: ['drop'] });
    let job = await call('jobs.get', { jobId });
    for (let i = 0; i < 200 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = await call('jobs.get', { jobId });
    }
    expect(job.status).toBe('done');
    // The same content was imported from its folder before: the upload is a duplicate, not a new image.
    const [last] = await call('import.list', { projectId });
    expect(await call('import.summary', { importId: last.id })).toMatchObject({ imported: 0, duplicates: 1 });
  });

  it('has exercised every request of the contract', () => {
    expect(requestNames.filter((n) => !covered.has(n))).toEqual([]);
  });
});

describe('bad requests', () => {
  it('refuses unknown names, wrong types, extra keys and non-JSON bodies', async () => {
    await refused('projects.explode', {}, 'unknown-request', 404);
    await refused('library.images', { projectId: 'one' }, 'bad-request', 400);
    await refused('library.images', { projectId: 1, limit: 100000 }, 'bad-request', 400);
    await refused('projects.list', { surprise: true }, 'bad-request', 400);
    const notJson = await raw('projects.list', undefined, { body: '{nope' });
    expect(notJson.status).toBe(400);
    const formPost = await raw('projects.list', undefined, { headers: { 'content-type': 'text/plain' } });
    expect(formPost).toMatchObject({ status: 400, body: { ok: false } });
    const getApi = await fetch(`${base}/api/projects.list`, { headers: authHeader() });
    expect(getApi.status).toBe(400);
  });

  it('answers an oversized body with 413 and a JSON error, then closes the connection', async () => {
    // Streamed without a length (chunked), and declared up front: both get the answer, not a cut connection.
    for (const declareLength of [false, true]) {
      const size = 30 << 20;
      const answer = await new Promise<{ status: number; body: string; connection: unknown }>((ok, fail) => {
        const headers: Record<string, string> = { 'content-type': 'application/json', ...authHeader() };
        if (declareLength) headers['content-length'] = String(size);
        const req = httpRequest({ host: '127.0.0.1', port: web.server.port, method: 'POST', path: '/api/projects.list', headers }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => ok({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
        });
        req.on('error', (err: NodeJS.ErrnoException) => {
          // Writing the rest after the server closed is expected; only a missing answer is a failure.
          if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') fail(err);
        });
        const chunk = Buffer.alloc(1 << 20, 32);
        let sent = 0;
        const pump = () => {
          while (sent < size && !req.destroyed) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          req.end();
        };
        pump();
      });
      expect(answer.status).toBe(413);
      expect(answer.connection).toBe('close');
      expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'too-large', message: expect.stringMatching(/over \d+ bytes/) } });
    }
    expect((await raw('projects.list', {})).status).toBe(200);
  });

  it('serves media only by library ids, never by path', async () => {
    expect((await get('/media/image/999999/original')).status).toBe(404);
    expect((await get('/media/etc/passwd')).status).toBe(403);
    expect((await get('/media/image/1/../../../../etc/passwd')).status).toBe(400);
    expect((await get('/media/image/1/recon')).status).toBe(400);
    expect((await get('/media/image/1/region')).status).toBe(400); // the region is a model's
    expect((await get('/media/image/abc/original')).status).toBe(400);
    expect((await get('/media/image/1/secret')).status).toBe(400);
  });

  it('serves the app with a CSP and nothing outside its folder', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(String(index.headers['content-security-policy'])).toMatch(/default-src 'self'/);
    expect((await get('/..%2f..%2f..%2fetc%2fpasswd')).status).toBe(400);
    expect((await get('/../../etc/passwd')).status).toBe(400);
    expect((await get('/%2e%2e/etc/passwd')).status).toBe(400);
    expect((await get('/assets/missing.js')).status).toBe(404);
  });

  it('answers malformed escapes and request targets with 400 and keeps serving', async () => {
    expect((await get('/api/%E0%A4%A')).status).toBe(400);
    expect((await get('http://[bad/x')).status).toBe(400);
    expect((await raw('projects.list', {})).status).toBe(200);
  });

  it('refuses a foreign Host header on loopback (DNS rebinding)', async () => {
    const r = await get('/api/events', { host: 'evil.example:80' });
    expect(r.status).toBe(403);
  });
});

describe('start-up', () => {
  it('fails on a busy port before the host opens, so no queued job is started and then interrupted', async () => {
    let queueStarted = false;
    const start = startWebMode({
      dbPath: join(dir, 'busy', 'library.sqlite'),
      port: web.server.port,
      staticDir: null,
      queue: () => {
        queueStarted = true;
        throw new Error('the queue must not start');
      },
    });
    await expect(start).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(queueStarted).toBe(false);
  });
});

describe('the token on loopback', () => {
  it('is asked of every request, as off loopback; token null (serve --no-token) leaves only the Host check', async () => {
    expect(web.server.token).toMatch(/^[\w-]{24,}$/);
    expect(web.server.url).toBe(`http://127.0.0.1:${web.server.port}/?token=${web.server.token}`);
    const bare = await fetch(`${base}/api/projects.list`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(bare.status).toBe(401);
    expect((await get('/', { authorization: '' })).status).toBe(401);
    expect((await get('/api/events', { authorization: 'Bearer wrong' })).status).toBe(401);
    const withQuery = await get(`/?token=${web.server.token}`, { authorization: '' });
    expect(withQuery.status).toBe(200);
    expect(String(withQuery.headers['set-cookie'])).toMatch(/^inspector_token=/);

    const openDir = await mkdtemp(join(tmpdir(), 'api-no-token-'));
    const open = await startWebMode({ dbPath: join(openDir, 'library.sqlite'), port: 0, staticDir: null, token: null });
    try {
      expect(open.server.token).toBeNull();
      expect(open.server.url).toBe(`http://127.0.0.1:${open.server.port}/`);
      const r = await fetch(`http://127.0.0.1:${open.server.port}/api/projects.list`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(r.status).toBe(200);
      expect((await get('/api/events', { host: 'evil.example:80' }, open.server.port)).status).toBe(403);
      await expect(startWebMode({ dbPath: join(openDir, 'other.sqlite'), host: '0.0.0.0', port: 0, staticDir: null, token: null })).rejects.toThrow(/needs a token/);
    } finally {
      await open.close();
      await rm(openDir, { recursive: true, force: true });
    }
  });
});

describe('bound beyond loopback', () => {
  it('refuses every request without the printed token', async () => {
    const tokenDir = await mkdtemp(join(tmpdir(), 'api-token-'));
    const open = await startWebMode({ dbPath: join(tokenDir, 'library.sqlite'), host: '0.0.0.0', port: 0, staticDir: null });
    try {
      const { port, token } = open.server;
      expect(token).toMatch(/^[\w-]{24,}$/);
      expect(open.server.url).toContain(`?token=${token}`);
      const post = (headers: Record<string, string>) =>
        fetch(`http://127.0.0.1:${port}/api/projects.list`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
      const denied = await post({});
      expect(denied.status).toBe(401);
      expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
      expect((await post({ authorization: 'Bearer wrong' })).status).toBe(401);
      expect((await post({ cookie: 'inspector_token=%E0%A4%A' })).status).toBe(401);
      expect((await post({ authorization: `Bearer ${token}` })).status).toBe(200);
      expect((await get('/api/events', {}, port)).status).toBe(401);
      expect((await get('/media/image/1/original', {}, port)).status).toBe(401);
      const withQuery = await get(`/?token=${token}`, {}, port);
      const cookie = String(withQuery.headers['set-cookie']).split(';')[0];
      expect(cookie).toMatch(/^inspector_token=/);
      expect((await post({ cookie })).status).toBe(200);
    } finally {
      await open.close();
      await rm(tokenDir, { recursive: true, force: true });
    }
  });
});
