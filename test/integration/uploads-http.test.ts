// Browser uploads over real HTTP against a real store: blobs by sha256, placing them at relative
// paths, importing them with labels from the folder names; refusals of hostile names and oversized
// bodies with nothing written outside the library's folder; a server killed mid-upload keeps every
// finished file and the next upload completes the rest.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope, RequestInput, RequestName, RequestOutput } from '../../src-main/api/contract';
import { startWebMode } from '../../src-main/server/web-mode';
import type { WebMode } from '../../src-main/server/web-mode';
import { ELPV_DIR } from '../fixtures/elpv';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const MAX = 64 * 1024; // above every ELPV cell used here (about 23-40 KB), so a 65 KB body is over

interface Upload { path: string; bytes: Buffer; sha256: string }

function elpvFiles(): Upload[] {
  const out: Upload[] = [];
  for (const [dir, n] of [['train/good', 5], ['test/good', 3], ['test/defective', 3]] as const) {
    for (const name of readdirSync(join(ELPV_DIR, dir)).sort().slice(0, n)) {
      const bytes = readFileSync(join(ELPV_DIR, dir, name));
      out.push({ path: `elpv/${dir}/${name}`, bytes, sha256: sha(bytes) });
    }
  }
  const corrupt = Buffer.concat([readFileSync(join(ELPV_DIR, 'test/defective', readdirSync(join(ELPV_DIR, 'test/defective')).sort()[0])).subarray(0, 400)]);
  out.push({ path: 'elpv/test/defective/truncated.png', bytes: corrupt, sha256: sha(corrupt) });
  return out;
}

/** Every file under `root`, relative to it. */
function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(root, p));
    }
  };
  walk(root);
  return out;
}

/** Talks to a server the way the browser does, with its token as a bearer header. */
function client(base: string, token: string | null) {
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  async function raw(name: string, input: unknown) {
    const res = await fetch(`${base}/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(input) });
    return { status: res.status, body: (await res.json()) as Envelope<unknown> };
  }
  async function call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
    const { body } = await raw(name, input);
    if (!body.ok) throw new Error(`${name}: ${body.error.message}`);
    return body.data as RequestOutput<N>;
  }
  async function put(hash: string, body: Buffer | string) {
    const res = await fetch(`${base}/upload/${hash}`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream', ...auth }, body });
    return { status: res.status, body: (await res.json()) as Envelope<{ existed: boolean; bytes: number }> };
  }
  async function importAll(projectId: number, roots: string[]) {
    const { jobId } = await call('upload.import', { projectId, roots });
    for (let i = 0; i < 600; i++) {
      const job = await call('jobs.get', { jobId });
      if (job.status !== 'running' && job.status !== 'queued') return job;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('import did not finish');
  }
  return { raw, call, put, importAll, auth };
}

describe.skipIf(!existsSync(ELPV_DIR))('uploads over HTTP', () => {
  let dir: string;
  let dataDir: string;
  let web: WebMode;
  let api: ReturnType<typeof client>;
  let projectId: number;
  const files = existsSync(ELPV_DIR) ? elpvFiles() : [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'uploads-http-'));
    dataDir = join(dir, 'data');
    web = await startWebMode({ dbPath: join(dataDir, 'library.sqlite'), port: 0, staticDir: null, queue: null, maxUploadBytes: MAX });
    api = client(`http://127.0.0.1:${web.server.port}`, web.server.token);
    projectId = (await api.call('projects.create', { name: 'Uploads' })).id;
  });
  afterAll(async () => {
    await web?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('takes each content once, by its sha256, and refuses a body that does not match its name', async () => {
    const f = files[0];
    expect(await api.put(f.sha256, f.bytes)).toMatchObject({ status: 200, body: { ok: true, data: { existed: false, bytes: f.bytes.length } } });
    expect(await api.put(f.sha256, f.bytes)).toMatchObject({ status: 200, body: { ok: true, data: { existed: true } } });
    const wrong = await api.put(sha(Buffer.from('other')), f.bytes);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ ok: false, error: { message: expect.stringMatching(/sha256 is [0-9a-f]{64}, not/) } });
    const notAHash = await api.put('abc', f.bytes);
    expect(notAHash).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/sha256/) } } });
    expect(readdirSync(join(dataDir, 'uploads', 'incoming'))).toEqual([]);
  });

  it('refuses oversized bodies with 413 and a clear message, with or without a declared length', async () => {
    const big = Buffer.alloc(MAX + 1024, 7);
    const declared = await api.put(sha(big), big);
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ ok: false, error: { code: 'too-large', message: 'The file (0.1 MB) is larger than the 0.1 MB an upload may be' } });
    // A chunked body names no length: it is cut off once it passes the limit.
    const chunked = await new Promise<{ status: number; text: string }>((ok, fail) => {
      const req = httpRequest({ host: '127.0.0.1', port: web.server.port, path: `/upload/${sha(big)}`, method: 'PUT', headers: api.auth }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => ok({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', fail);
      for (let i = 0; i < big.length; i += 8192) req.write(big.subarray(i, i + 8192));
      req.end();
    });
    expect(chunked.status).toBe(413);
    expect(chunked.text).toMatch(/larger than the 0\.1 MB an upload may be/);
    const manyFiles = Array.from({ length: 2000 }, (_, i) => ({ path: `${'x'.repeat(600)}/${i}.png`, sha256: '0'.repeat(64) }));
    const json = await api.raw('upload.place', { projectId, files: manyFiles });
    expect(json).toMatchObject({ status: 413, body: { ok: false, error: { code: 'too-large', message: expect.stringMatching(/over 1048576 bytes/) } } });
    expect(existsSync(join(dataDir, 'uploads', 'blobs', sha(big).slice(0, 2), sha(big)))).toBe(false);
    expect(readdirSync(join(dataDir, 'uploads', 'incoming'))).toEqual([]);
  });

  it('refuses hostile names one by one, each with its reason, and writes nothing outside the upload folder', async () => {
    const s = files[0].sha256;
    const hostile = [
      '../escape.png',
      'elpv/../../escape.png',
      '/tmp/escape.png',
      'C:/escape.png',
      '..\\escape.png',
      'nul\u0000.png',
      `${'n'.repeat(300)}.png`,
      `${'d/'.repeat(600)}x.png`,
      'a//b.png',
      './a.png',
    ];
    const before = filesUnder(dir);
    const r = await api.call('upload.place', { projectId, files: hostile.map((path) => ({ path, sha256: s })) });
    expect(r.placed).toBe(0);
    expect(r.refused.map((x) => x.path)).toEqual(hostile);
    for (const x of r.refused) expect(x.reason.length).toBeGreaterThan(10);
    expect(r.refused[0].reason).toMatch(/"\.\."/);
    expect(r.refused[5].reason).toMatch(/NUL/);
    expect(filesUnder(dir)).toEqual(before);
    await expect(api.call('upload.import', { projectId, roots: ['..'] })).rejects.toThrow(/not one uploaded folder/);
    await expect(api.call('upload.import', { projectId, roots: ['nothing-here'] })).rejects.toThrow(/Nothing named "nothing-here"/);
  });

  it('places and imports a folder tree with labels and splits from its folder names; the same upload again adds nothing', async () => {
    const manifest = files.map(({ path, sha256 }) => ({ path, sha256 }));
    const first = await api.call('upload.place', { projectId, files: manifest });
    expect(first.refused).toEqual([]);
    expect(first.missing.map((m) => m.path).sort()).toEqual(files.slice(1).map((f) => f.path).sort());
    for (const f of files) await api.put(f.sha256, f.bytes);
    expect(await api.call('upload.place', { projectId, files: manifest })).toEqual({ placed: files.length, missing: [], refused: [] });

    const job = await api.importAll(projectId, ['elpv']);
    expect(job.status).toBe('done');
    const counts = await api.call('library.counts', { projectId });
    expect(counts.total).toBe(11);
    expect(counts.cells).toEqual([
      { label: 'defect', split: 'test', count: 3 },
      { label: 'good', split: 'test', count: 3 },
      { label: 'good', split: 'train', count: 5 },
    ]);
    const bytes = files.filter((f) => !f.path.includes('truncated')).reduce((n, f) => n + f.bytes.length, 0);
    expect(counts.uploaded).toEqual({ images: 11, bytes });
    const [last] = await api.call('import.list', { projectId });
    const summary = await api.call('import.summary', { importId: last.id });
    expect(summary).toMatchObject({ imported: 11, failed: 1, uploaded: true });
    expect(summary.failures[0].path).toMatch(/truncated\.png$/);
    expect(summary.failures[0].path.startsWith(join(dataDir, 'uploads') + sep)).toBe(true);
    const page = await api.call('library.images', { projectId, limit: 50 });
    expect(page.items.every((i) => i.uploaded)).toBe(true);

    // The same folder again: nothing to send, nothing new imported.
    expect((await api.call('upload.place', { projectId, files: manifest })).missing).toEqual([]);
    const again = await api.importAll(projectId, ['elpv']);
    expect(again.status).toBe('done');
    const [second] = await api.call('import.list', { projectId });
    expect(await api.call('import.summary', { importId: second.id })).toMatchObject({ imported: 0, duplicates: 0 });
    expect((await api.call('library.counts', { projectId })).total).toBe(11);
    // One copy per content: a blob for each distinct file, linked (not copied) into the tree.
    expect(filesUnder(join(dataDir, 'uploads', 'blobs'))).toHaveLength(files.length);
  });

  it('reads labels from the names of the dropped folders themselves (good/, ng/ dropped side by side)', async () => {
    const p2 = (await api.call('projects.create', { name: 'Side by side' })).id;
    const manifest = [
      { path: 'good/a.png', sha256: files[0].sha256 },
      { path: 'good/b.png', sha256: files[1].sha256 },
      { path: 'ng/c.png', sha256: files[8].sha256 },
      { path: 'd.png', sha256: files[9].sha256 },
    ];
    expect(await api.call('upload.place', { projectId: p2, files: manifest })).toEqual({ placed: 4, missing: [], refused: [] });
    expect((await api.importAll(p2, ['good', 'ng', 'd.png'])).status).toBe('done');
    const counts = await api.call('library.counts', { projectId: p2 });
    expect(counts.byLabel).toEqual({ good: 2, defect: 1, unlabeled: 1 });
    // Each part's folder as it was dropped, not the library's folder of copies (a loose file has none).
    const shown = (await api.call('library.images', { projectId: p2, limit: 10 })).items.map((i) => `${i.folderName}|${i.name}`).sort();
    expect(shown).toEqual(['good|a.png', 'good|b.png', 'ng|c.png', '|d.png']);
    expect((await api.call('library.folders', { projectId: p2 })).map((f) => f.uploadedAs).sort()).toEqual(['', 'good', 'ng']);
  });

  it('keeps no uploaded copy of a folder taken out or of a deleted project: the next upload under the same names imports only itself', async () => {
    // Contents of their own (the same pixels saved again), so their blobs can go; files[0..3] are the first project's too.
    const own = await Promise.all([5, 6].map(async (k) => {
      const bytes = await sharp(files[k].bytes).png({ compressionLevel: 9 }).toBuffer();
      return { path: '', bytes, sha256: sha(bytes) };
    }));
    const put = (path: string, f: Upload) => ({ path, sha256: f.sha256 });
    const blob = (f: Upload) => join(dataDir, 'uploads', 'blobs', f.sha256.slice(0, 2), f.sha256);
    for (const f of own) expect((await api.put(f.sha256, f.bytes)).status).toBe(200);
    expect(own.map((f) => f.sha256)).not.toContain(files[5].sha256);
    const p = (await api.call('projects.create', { name: 'Taken out' })).id;
    await api.call('upload.place', { projectId: p, files: [put('line/a.png', files[0]), put('line/b.png', files[1]), put('line/own.png', own[0])] });
    expect((await api.importAll(p, ['line'])).status).toBe('done');
    const [{ folder, uploadedAs }] = await api.call('library.folders', { projectId: p });
    expect(uploadedAs).toBe('line');
    expect(await api.call('library.removeFolder', { projectId: p, folder })).toEqual({ removed: 3 });
    expect(readdirSync(join(dataDir, 'uploads', 'tree', `p${p}`))).toEqual([]);
    expect([existsSync(blob(files[0])), existsSync(blob(own[0]))]).toEqual([true, false]);
    // The same folder name with another part in it: only that part comes in, not the ones taken out.
    await api.call('upload.place', { projectId: p, files: [put('line/c.png', files[2]), put('line/own2.png', own[1])] });
    expect((await api.importAll(p, ['line'])).status).toBe('done');
    expect((await api.call('library.counts', { projectId: p })).total).toBe(2);

    await api.call('projects.delete', { projectId: p });
    expect(existsSync(join(dataDir, 'uploads', 'tree', `p${p}`))).toBe(false);
    expect([existsSync(blob(files[2])), existsSync(blob(own[1]))]).toEqual([true, false]);
    // SQLite gives the next project the deleted one's id: it must start with an empty upload folder.
    const q = (await api.call('projects.create', { name: 'After' })).id;
    expect(q).toBe(p);
    await api.call('upload.place', { projectId: q, files: [put('line/d.png', files[3])] });
    expect((await api.importAll(q, ['line'])).status).toBe('done');
    expect((await api.call('library.counts', { projectId: q })).total).toBe(1);
    // The first project's copies of the same contents are untouched.
    expect(existsSync(join(dataDir, 'uploads', 'tree', `p${projectId}`, files[0].path))).toBe(true);
  });

  it('takes a stored blob whose size differs from the stated one (cut short by a power loss) as missing', async () => {
    const f = files[2];
    const blob = join(dataDir, 'uploads', 'blobs', f.sha256.slice(0, 2), f.sha256);
    writeFileSync(blob, f.bytes.subarray(0, 10));
    const r = await api.call('upload.place', { projectId, files: [{ path: 'again/x.png', sha256: f.sha256, bytes: f.bytes.length }] });
    expect(r.missing.map((m) => m.sha256)).toEqual([f.sha256]);
    expect(existsSync(blob)).toBe(false);
    expect((await api.put(f.sha256, f.bytes)).body).toMatchObject({ ok: true, data: { existed: false } });
  });

  it('keeps an existing file when another content arrives under the same name', async () => {
    const other = files[1];
    const r = await api.call('upload.place', { projectId, files: [{ path: files[0].path, sha256: other.sha256 }] });
    expect(r).toEqual({ placed: 1, missing: [], refused: [] });
    const tree = join(dataDir, 'uploads', 'tree', `p${projectId}`);
    expect(sha(readFileSync(join(tree, files[0].path)))).toBe(files[0].sha256);
    const renamed = files[0].path.replace(/\.png$/, `~${other.sha256.slice(0, 12)}.png`);
    expect(sha(readFileSync(join(tree, renamed)))).toBe(other.sha256);
  });
});

describe('uploads need the token like every request', () => {
  it('refuses a PUT without the server\u2019s token (on loopback too) and stores nothing, and takes it with the token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'uploads-token-'));
    const web = await startWebMode({ dbPath: join(dir, 'library.sqlite'), port: 0, staticDir: null, queue: null });
    try {
      const body = Buffer.from('bytes from another machine');
      const url = `http://127.0.0.1:${web.server.port}/upload/${sha(body)}`;
      const bare = await fetch(url, { method: 'PUT', body });
      expect(bare.status).toBe(401);
      expect(readdirSync(join(dir, 'uploads', 'blobs'))).toEqual([]);
      const withToken = await fetch(url, { method: 'PUT', body, headers: { authorization: `Bearer ${web.server.token}` } });
      expect(withToken.status).toBe(200);
    } finally {
      await web.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!existsSync(ELPV_DIR))('a server killed in the middle of an upload', () => {
  let dir: string;
  let server: ChildProcess | null = null;

  /** The printed URL: origin and token. */
  async function serve(db: string): Promise<URL> {
    const child = spawn(process.execPath, ['bin/ganomaly-inspector.js', 'serve', '--port', '0', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    return new Promise<URL>((ok, fail) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /web mode: (http:\/\/\S+)/.exec(out);
        if (m) ok(new URL(m[1]));
      });
      child.once('exit', (code) => fail(new Error(`serve exited with ${code}`)));
    });
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'uploads-kill-'));
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('loses no finished file, leaves no partial one, and the next upload sends only the rest', async () => {
    const files = elpvFiles().slice(0, 6);
    const db = join(dir, 'data', 'library.sqlite');
    let serverUrl = await serve(db);
    let api = client(serverUrl.origin, serverUrl.searchParams.get('token'));
    const projectId = (await api.call('projects.create', { name: 'Killed' })).id;
    const manifest = files.map(({ path, sha256 }) => ({ path, sha256 }));
    await api.call('upload.place', { projectId, files: manifest });
    for (const f of files.slice(0, 3)) expect((await api.put(f.sha256, f.bytes)).status).toBe(200);

    // Half of the fourth file is on the wire when the server is killed.
    const fourth = files[3];
    const cut = new Promise<void>((done) => {
      const req = httpRequest({
        host: serverUrl.hostname,
        port: serverUrl.port,
        path: `/upload/${fourth.sha256}`,
        method: 'PUT',
        headers: { 'content-length': String(fourth.bytes.length), ...api.auth },
      });
      req.on('error', () => done());
      req.on('response', () => done());
      req.write(fourth.bytes.subarray(0, fourth.bytes.length >> 1), () => {
        setTimeout(() => server!.kill('SIGKILL'), 200);
      });
    });
    await cut;
    await new Promise((r) => server!.once('exit', r));
    const incoming = join(dir, 'data', 'uploads', 'incoming');
    expect(readdirSync(incoming).length).toBeLessThanOrEqual(1); // the partial body, never named as a blob

    serverUrl = await serve(db);
    api = client(serverUrl.origin, serverUrl.searchParams.get('token'));
    expect(readdirSync(incoming)).toEqual([]);
    const after = await api.call('upload.place', { projectId, files: manifest });
    expect(after.missing.map((m) => m.sha256)).toEqual(files.slice(3).map((f) => f.sha256));
    expect(after.placed).toBe(3);
    for (const m of after.missing) await api.put(m.sha256, files.find((f) => f.sha256 === m.sha256)!.bytes);
    expect(await api.call('upload.place', { projectId, files: manifest })).toEqual({ placed: 6, missing: [], refused: [] });
    const job = await api.importAll(projectId, ['elpv']);
    expect(job.status).toBe('done');
    expect((await api.call('library.counts', { projectId })).total).toBe(6);
    server!.kill('SIGTERM');
  }, 120_000);
});
