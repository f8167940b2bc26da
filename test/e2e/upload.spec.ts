// Uploading folders from a browser to the local web mode: a real ELPV folder tree (train/good,
// test/good, test/defective, a corrupt file, an oversized one and a text file) through the "Choose
// folder…" chooser and through a synthetic drop; the Library's counts by label and split, the corrupt
// file with its reason, the uploaded copies; the same folder twice adds nothing; a server killed in
// the middle of an upload loses no finished file and the same drop again sends only the rest; hostile
// names and oversized bodies are refused with nothing written outside the library's folder.
// Each test runs its own server on its own data folder (the shared one belongs to workflow.spec).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ELPV_DIR } from '../fixtures/elpv';

const COUNTS = { 'train/good': 30, 'test/good': 24, 'test/defective': 24 } as const;
const GOOD = COUNTS['train/good'] + COUNTS['test/good'];
const DEFECT = COUNTS['test/defective'];

test.skip(!existsSync(ELPV_DIR), `the elpv-mono images are not at ${ELPV_DIR}`);

/** A folder tree as a user would have it: ELPV cells by split and label, plus files that must not import. */
function makeTree(root: string): string {
  const tree = join(root, 'solar-cells');
  for (const [dir, n] of Object.entries(COUNTS)) {
    mkdirSync(join(tree, dir), { recursive: true });
    for (const name of readdirSync(join(ELPV_DIR, dir)).sort().slice(0, n)) copyFileSync(join(ELPV_DIR, dir, name), join(tree, dir, name));
  }
  const first = readdirSync(join(ELPV_DIR, 'test/defective')).sort()[0];
  writeFileSync(join(tree, 'test/defective/corrupt.png'), readFileSync(join(ELPV_DIR, 'test/defective', first)).subarray(0, 300));
  writeFileSync(join(tree, 'train/good/huge.png'), Buffer.alloc(1536 * 1024, 1)); // over the 1 MiB limit below
  writeFileSync(join(tree, 'notes.txt'), 'not an image');
  mkdirSync(join(tree, 'cell-model'));
  writeFileSync(join(tree, 'cell-model', 'model.json'), '{}'); // a model's folder among the parts
  return tree;
}

function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(root, join(d, e.name)));
    }
  };
  walk(root);
  return out.sort();
}

/** `url`: the server's origin; `open`: the printed URL with its token, as a user opens it. */
interface Server { url: string; open: string; token: string; child: ChildProcess; dataDir: string }

function serve(dataDir: string, port = 0): Promise<Server> {
  const child = spawn(
    process.execPath,
    ['bin/ganomaly-inspector.js', 'serve', '--port', String(port), '--db', join(dataDir, 'library.sqlite'), '--max-upload-mb', '1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /web mode: (http:\/\/\S+)/.exec(out);
      if (m) {
        const printed = new URL(m[1]);
        ok({ url: printed.origin, open: printed.toString(), token: printed.searchParams.get('token') ?? '', child, dataDir });
      }
    });
    child.once('exit', (code) => fail(new Error(`serve exited with ${code}: ${out}`)));
  });
}

const stop = (s: Server | null) =>
  new Promise<void>((ok) => {
    if (!s || s.child.exitCode !== null) return ok();
    s.child.once('exit', () => ok());
    s.child.kill('SIGTERM');
  });

/** A drop as a script makes one: the files of a folder (with their relative paths) dropped on the window. */
async function dropFolder(page: Page, folder: string): Promise<void> {
  await page.evaluate(() => {
    type Input = { type: string; multiple: boolean; id: string; hidden: boolean; setAttribute(k: string, v: string): void };
    const d = (globalThis as unknown as { document: { createElement(tag: 'input'): Input; body: { append(e: Input): void } } }).document;
    const input = d.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.setAttribute('webkitdirectory', '');
    input.id = 'drop-source';
    input.hidden = true;
    d.body.append(input);
  });
  await page.setInputFiles('#drop-source', folder);
  await page.evaluate(() => {
    // The page's own globals, typed here by hand: this file is type-checked without the DOM library.
    interface Items { add(f: unknown): void }
    const w = globalThis as unknown as {
      document: { getElementById(id: string): { files: ArrayLike<unknown> | null; remove(): void } };
      DataTransfer: new () => { items: Items };
      DragEvent: new (type: string, init: object) => unknown;
      dispatchEvent(e: unknown): void;
    };
    const input = w.document.getElementById('drop-source');
    const data = new w.DataTransfer();
    for (const f of Array.from(input.files ?? [])) data.items.add(f);
    input.remove();
    // The window's own drop handler takes it, as it would a drop from the file manager.
    for (const type of ['dragenter', 'dragover', 'drop']) {
      w.dispatchEvent(new w.DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }
  });
}

async function expectLibrary(page: Page): Promise<void> {
  const counts = page.getByRole('table', { name: 'Images by label and split' });
  await expect(counts.getByRole('row', { name: /^Good/ }).locator('td')).toHaveText([String(COUNTS['train/good']), String(COUNTS['test/good']), '0', String(GOOD)]);
  await expect(counts.getByRole('row', { name: /^Defect/ }).locator('td')).toHaveText(['0', String(DEFECT), '0', String(DEFECT)]);
  await expect(page.getByTestId('uploaded-copies')).toContainText(`${GOOD + DEFECT} of these are uploaded copies`);
  const last = page.getByRole('region', { name: 'Last import' });
  const corrupt = last.getByRole('row', { name: /corrupt\.png/ });
  await expect(corrupt).toBeVisible();
  await expect(corrupt.locator('td').nth(2)).not.toBeEmpty(); // the reason
}

let work: string;
let tree: string;
let server: Server | null = null;

test.beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'inspector-e2e-upload-'));
  tree = makeTree(work);
});
test.afterEach(async () => {
  await stop(server);
  server = null;
});
test.afterAll(() => rmSync(work, { recursive: true, force: true }));

test('a folder chosen with "Choose folder…" is uploaded and imported with labels from its folders; twice adds nothing; taken out, its copies go', async ({ page }) => {
  server = await serve(mkdtempSync(join(work, 'data-')));
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(err.message));
  await page.goto(`${server.open}#/library`);
  await expect(page.getByText('No images yet')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Choose folder…' })).toBeVisible();

  await page.getByTestId('folder-input').setInputFiles(tree);
  await expect(page.getByRole('region', { name: 'Last import' })).toBeVisible({ timeout: 120_000 });
  await expectLibrary(page);
  // The oversized file was not sent, and says why; the text file was left out, and the model's folder named as one.
  const problemsCard = page.getByRole('region', { name: 'Upload problems' });
  await expect(problemsCard.getByRole('row', { name: /huge\.png/ })).toContainText('over the 1.0 MB an upload may be');
  await expect(problemsCard).toContainText('2 files in the dropped folders are not an image');
  await expect(problemsCard.getByRole('note')).toHaveText('\u201csolar-cells/cell-model\u201d is a model\u2019s folder (model.json), not parts: bring it in under Train, Import a model trained elsewhere\u2026, Upload folder\u2026');
  await page.screenshot({ path: 'test-results/e2e/upload-chooser.png', fullPage: true });

  // The same folder again: every content is known, nothing is sent, nothing new is imported.
  const puts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT') puts.push(r.url());
  });
  const firstImport = await page.getByRole('region', { name: 'Last import' }).textContent();
  await page.getByTestId('folder-input').setInputFiles(tree);
  await expect(page.getByRole('region', { name: 'Last import' })).not.toHaveText(firstImport!, { timeout: 60_000 });
  await expect(page.getByRole('region', { name: 'Last import' }).locator('dd').nth(1)).toHaveText('0'); // imported
  await expectLibrary(page);
  expect(puts).toEqual([]);

  // Taken out from the Folders card, an uploaded folder goes with the library's copies of it: named as it
  // was dropped, and the same folder chosen again brings its parts back (its copies were gone, not hidden).
  await page.getByText(/^Folders \(\d+\)$/).click();
  const folders = page.getByRole('table', { name: 'Folders' });
  const defects = folders.getByRole('row', { name: /solar-cells\/test\/defective \(uploaded\)/ });
  await defects.getByRole('button', { name: 'Remove…' }).click();
  await expect(defects.getByRole('alertdialog')).toContainText('uploaded copies go too');
  await defects.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(page.getByText(`Took ${DEFECT} images of solar-cells/test/defective (uploaded) out of the project.`)).toBeVisible();
  await expect(page.getByTestId('uploaded-copies')).toContainText(`${GOOD} of these are uploaded copies`);
  await page.getByTestId('folder-input').setInputFiles(tree);
  await expect(page.getByTestId('uploaded-copies')).toContainText(`${GOOD + DEFECT} of these are uploaded copies`, { timeout: 60_000 });
  await expectLibrary(page);
  expect(puts).toHaveLength(DEFECT + 1); // the parts and the corrupt file, each sent again
  expect(problems).toEqual([]);
});

test('a dropped folder survives a server killed mid-upload: the same drop again sends only the rest', async ({ page }) => {
  const dataDir = mkdtempSync(join(work, 'data-'));
  server = await serve(dataDir);
  const port = Number(new URL(server.url).port);
  await page.goto(`${server.open}#/library`);
  await expect(page.getByText('No images yet')).toBeVisible();

  // Slow each file down a little so the server can be killed while files are in flight.
  const sent = new Set<string>();
  await page.route('**/upload/*', async (route) => {
    await new Promise((r) => setTimeout(r, 150));
    await route.continue().catch(() => {});
  });
  page.on('requestfinished', async (r) => {
    if (r.method() === 'PUT' && (await r.response())?.status() === 200) sent.add(r.url().split('/').pop()!);
  });
  await dropFolder(page, tree);
  await expect(page.getByRole('progressbar', { name: 'Uploading' })).toBeVisible();
  await expect.poll(() => sent.size, { timeout: 60_000 }).toBeGreaterThanOrEqual(20);
  server.child.kill('SIGKILL');
  await new Promise((r) => server!.child.once('exit', r));
  await expect(page.getByText(/The upload stopped: .*drop the same folder again to send the rest/)).toBeVisible({ timeout: 30_000 });
  const beforeKill = new Set(sent);
  // Every finished file is on disk under its hash; nothing partial was named as one.
  const blobs = filesUnder(join(dataDir, 'uploads', 'blobs')).map((p) => p.split('/').pop()!);
  for (const h of beforeKill) expect(blobs).toContain(h);
  for (const h of blobs) {
    const [bytes] = [readFileSync(join(dataDir, 'uploads', 'blobs', h.slice(0, 2), h))];
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(h);
  }

  server = await serve(dataDir, port);
  // A restarted server prints a new token: open its URL, as the user would.
  await page.goto(`${server.open}#/library`);
  sent.clear();
  await dropFolder(page, tree);
  await expect(page.getByRole('region', { name: 'Last import' })).toBeVisible({ timeout: 120_000 });
  await expectLibrary(page);
  // Only what the server did not hold went again.
  for (const h of sent) expect(blobs).not.toContain(h);
  expect(sent.size + blobs.length).toBe(GOOD + DEFECT + 1); // every image plus the corrupt file, each sent once
  await page.screenshot({ path: 'test-results/e2e/upload-drop.png', fullPage: true });
});

test('hostile names and oversized bodies are refused with a clear error, and nothing is written outside the library', async ({ request }) => {
  const dataDir = mkdtempSync(join(work, 'data-'));
  server = await serve(dataDir);
  const auth = { authorization: `Bearer ${server.token}` };
  const before = filesUnder(work);
  const created = await (await request.post(`${server.url}/api/projects.create`, { data: { name: 'Hostile' }, headers: auth })).json();
  const projectId = created.data.id as number;
  const bytes = readFileSync(join(tree, 'test/good', readdirSync(join(tree, 'test/good'))[0]));
  const hash = createHash('sha256').update(bytes).digest('hex');
  expect((await request.put(`${server.url}/upload/${hash}`, { data: bytes, headers: { 'content-type': 'application/octet-stream', ...auth } })).status()).toBe(200);

  const hostile = ['../../outside.png', '/tmp/outside.png', 'a/../../outside.png', '..\\outside.png', 'nul\u0000.png', `${'x'.repeat(300)}.png`];
  const placed = await (await request.post(`${server.url}/api/upload.place`, { data: { projectId, files: hostile.map((path) => ({ path, sha256: hash })) }, headers: auth })).json();
  expect(placed.ok).toBe(true);
  expect(placed.data.placed).toBe(0);
  expect(placed.data.refused.map((r: { path: string }) => r.path)).toEqual(hostile);
  for (const r of placed.data.refused as { reason: string }[]) expect(r.reason).toMatch(/\.\.|absolute|backslash|NUL|longer/);

  const big = Buffer.alloc(2 * 1024 * 1024, 3);
  const tooBig = await request.put(`${server.url}/upload/${createHash('sha256').update(big).digest('hex')}`, { data: big, headers: { 'content-type': 'application/octet-stream', ...auth } });
  expect(tooBig.status()).toBe(413);
  expect((await tooBig.json()).error.message).toBe('The file (2.0 MB) is larger than the 1.0 MB an upload may be');
  const importOutside = await request.post(`${server.url}/api/upload.import`, { data: { projectId, roots: ['..'] }, headers: auth });
  expect(importOutside.status()).toBe(400);

  // Outside the new data folder nothing changed; inside it only the one blob was added.
  const after = filesUnder(work);
  const rel = relative(work, dataDir);
  expect(after.filter((p) => !p.startsWith(`${rel}/`))).toEqual(before.filter((p) => !p.startsWith(`${rel}/`)));
  expect(filesUnder(join(dataDir, 'uploads'))).toEqual([`blobs/${hash.slice(0, 2)}/${hash}`]);
});
