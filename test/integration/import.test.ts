// The folder import service against real files and a real SQLite file: the bad corpus, moves,
// re-imports, an aborted import, and the ELPV data set.
import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeImport } from '../../src-main/cli/import';
import { importFolders, thumbnailPathFor, type ImportProgress } from '../../src-main/services/import-folders';
import { openStore, type Store } from '../../src-main/store';
import { outputDirs, thumbnailsDir } from '../../src-main/data-dir';
import { makeBadCorpus, type CorpusEntry } from '../fixtures/bad-corpus';
import { ELPV_DIR } from '../fixtures/elpv';

const ELPV = ELPV_DIR;

describe('importFolders', () => {
  let dir: string;
  let store: Store;
  let projectId: number;
  let thumbs: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'import-'));
    store = openStore(join(dir, 'inspector.db'));
    projectId = store.projects.create('p').id;
    thumbs = join(dir, 'thumbnails');
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
  const allImages = () => store.images.list(projectId, { includeMissing: true }, { limit: 100_000 });

  async function corpus(): Promise<{ root: string; entries: CorpusEntry[]; ok: CorpusEntry[]; distinct: number }> {
    const root = join(dir, 'corpus');
    mkdirSync(root);
    const entries = await makeBadCorpus(root);
    const ok = entries.filter((e) => e.expected === 'ok');
    return { root, entries, ok, distinct: new Set(ok.map((e) => sha(e.path))).size };
  }

  it('says what it skipped: masks as masks, FIFOs and sockets named like images as not files', async () => {
    const root = join(dir, 'mvtec');
    const png = (v: number) => sharp(Buffer.alloc(16 * 16, v), { raw: { width: 16, height: 16, channels: 1 } }).png();
    mkdirSync(join(root, 'test', 'crack'), { recursive: true });
    mkdirSync(join(root, 'ground_truth', 'crack'), { recursive: true });
    mkdirSync(join(root, 'train', 'good', 'odd.png'), { recursive: true }); // a folder named like an image
    for (let k = 0; k < 3; k++) {
      await png(10 + k).toFile(join(root, 'test', 'crack', `00${k}.png`));
      await png(200 + k).toFile(join(root, 'ground_truth', 'crack', `00${k}_mask.png`));
    }
    await png(50).toFile(join(root, 'train', 'good', 'odd.png', 'inside.png'));
    execFileSync('mkfifo', [join(root, 'train', 'good', 'pipe.png')]);
    const socket = createServer();
    await new Promise<void>((ok) => socket.listen(join(root, 'train', 'good', 'socket.png'), ok));
    try {
      const r = await importFolders(store, { projectId, roots: [root], thumbnailsDir: thumbs });
      expect(r).toMatchObject({ status: 'done', seen: 9, imported: 4, skipped: 0, masks: 3, notFiles: 2, duplicate: 0, failed: 0 });
      expect(store.imports.get(r.importId)).toMatchObject({ skipped: 0, masks: 3, notFiles: 2 });
      // The folder named like an image is a folder: its image is imported, not dropped.
      expect(allImages().map((i) => i.path)).toContain(join(root, 'train', 'good', 'odd.png', 'inside.png'));
      expect(describeImport(r)).toBe('9 seen, 4 new, 0 duplicate, 0 already known, 3 skipped: masks, 2 skipped: not a regular file, 0 moved, 0 failed');
      const again = await importFolders(store, { projectId, roots: [root], thumbnailsDir: thumbs });
      expect(again).toMatchObject({ imported: 0, skipped: 4, masks: 3, notFiles: 2 });
    } finally {
      socket.close();
    }
  });

  it('never imports the library\'s own thumbnails, models or maps when the library sits in the parts folder', async () => {
    // `import . --db lib.sqlite` run in the parts folder: the data folder is the parts folder.
    const root = join(dir, 'line');
    mkdirSync(join(root, 'day1'), { recursive: true });
    const png = (v: number) => sharp(Buffer.alloc(16 * 16, v), { raw: { width: 16, height: 16, channels: 1 } }).png();
    for (let k = 0; k < 3; k++) await png(10 + 40 * k).toFile(join(root, 'day1', `p${k}.png`));
    mkdirSync(join(root, 'maps', '1'), { recursive: true });
    await png(255).toFile(join(root, 'maps', '1', 'diff-1.png'));
    const lib = openStore(join(root, 'lib.sqlite'));
    try {
      const pid = lib.projects.create('line').id;
      const opts = { projectId: pid, roots: [root], thumbnailsDir: thumbnailsDir(root), skipDirs: outputDirs(root) };
      expect(await importFolders(lib, opts)).toMatchObject({ seen: 3, imported: 3 });
      expect(existsSync(thumbnailPathFor(thumbnailsDir(root), sha(join(root, 'day1', 'p0.png'))))).toBe(true);
      // The second run finds the thumbnails the first one wrote under the root, and leaves them alone.
      expect(await importFolders(lib, opts)).toMatchObject({ seen: 3, imported: 0, skipped: 3 });
      expect(lib.images.list(pid, {}, { limit: 100 }).map((i) => i.path).sort()).toEqual([0, 1, 2].map((k) => join(root, 'day1', `p${k}.png`)));
    } finally {
      lib.close();
    }
  });

  it('knows its thumbnails folder before it exists, when the library is reached through a link', async () => {
    // The first import writes thumbnails into a folder that the walk reaches later (zz/ after a-day1/), and the
    // library's path goes through a link (as macOS's /var -> /private/var does).
    const root = join(dir, 'line');
    mkdirSync(join(root, 'a-day1'), { recursive: true });
    mkdirSync(join(root, 'zz'));
    const png = (v: number) => sharp(Buffer.alloc(16 * 16, v), { raw: { width: 16, height: 16, channels: 1 } }).png();
    for (let k = 0; k < 3; k++) await png(10 + 40 * k).toFile(join(root, 'a-day1', `p${k}.png`));
    const link = join(dir, 'library-link');
    symlinkSync(join(root, 'zz'), link);
    const lib = openStore(join(link, 'lib.sqlite'));
    try {
      const pid = lib.projects.create('line').id;
      const r = await importFolders(lib, { projectId: pid, roots: [root], thumbnailsDir: thumbnailsDir(link), skipDirs: outputDirs(link), concurrency: 1 });
      expect(r).toMatchObject({ seen: 3, imported: 3 });
      expect(existsSync(join(root, 'zz', 'thumbnails'))).toBe(true);
    } finally {
      lib.close();
    }
  });

  it('imports the bad corpus with one exact error kind per bad file, dedupes by content, and re-imports nothing', async () => {
    const { root, entries, ok, distinct } = await corpus();
    const progress: ImportProgress[] = [];
    const first = await importFolders(store, {
      projectId,
      roots: [root],
      thumbnailsDir: thumbs,
      batchSize: 5,
      onProgress: (p) => progress.push(p),
    });

    const expectedErrors = new Map(entries.filter((e) => e.expected !== 'ok').map((e) => [e.path, e.expected]));
    expectedErrors.set(join(root, 'nested', 'loop'), 'symlink-loop'); // the folder loop the walker reports
    const errors = store.imports.errors(first.importId);
    expect(new Map(errors.map((e) => [e.path, e.kind]))).toEqual(expectedErrors);
    expect(errors.every((e) => e.message.length > 0)).toBe(true);

    expect(first).toMatchObject({
      status: 'done',
      seen: ok.length + expectedErrors.size,
      imported: distinct,
      duplicate: ok.length - distinct,
      skipped: 0,
      moved: 0,
      failed: expectedErrors.size,
    });
    expect(store.imports.get(first.importId)).toMatchObject({ status: 'done', imported: distinct, failed: expectedErrors.size });
    const images = allImages();
    expect(images).toHaveLength(distinct);
    for (const img of images) {
      expect(img.hash).toBe(sha(img.path));
      expect(img.thumbnailPath).toBe(thumbnailPathFor(thumbs, img.hash));
      expect(existsSync(img.thumbnailPath!)).toBe(true);
    }
    const gray16 = images.find((i) => i.path.endsWith('png-gray16.png'))!;
    expect(gray16).toMatchObject({ width: 24, height: 16, channels: 1, bitDepth: 16, format: 'png', folder: root });
    expect(progress.at(-1)).toMatchObject({ done: true, seen: first.seen, imported: distinct });
    expect(progress.length).toBeGreaterThan(1);

    const again = await importFolders(store, { projectId, roots: [root], thumbnailsDir: thumbs });
    expect(again).toMatchObject({ status: 'done', imported: 0, moved: 0, skipped: distinct, duplicate: ok.length - distinct });
    expect(allImages()).toHaveLength(distinct);
    expect(store.integrityCheck()).toEqual(['ok']);
  });

  it('finds a moved file again by hash, and marks a deleted one missing', async () => {
    const { root } = await corpus();
    await importFolders(store, { projectId, roots: [root], thumbnailsDir: thumbs });
    const before = allImages();
    const moving = before.find((i) => i.path.endsWith('png-rgb16.png'))!;
    const deleting = before.find((i) => i.path.endsWith('webp-rgb.webp'))!;
    const target = join(root, 'test', 'good', 'moved-here.png');
    mkdirSync(join(root, 'test', 'good'), { recursive: true });
    renameSync(moving.path, target);
    unlinkSync(deleting.path);

    const result = await importFolders(store, { projectId, roots: [root], thumbnailsDir: thumbs });
    expect(result).toMatchObject({ imported: 0, moved: 1 });
    expect(store.images.get(moving.id)).toMatchObject({ path: target, missing: false, label: 'good', split: 'test' });
    expect(store.images.get(deleting.id)?.missing).toBe(true);
    expect(allImages()).toHaveLength(before.length);
    expect(store.integrityCheck()).toEqual(['ok']);
  });

  it('stops when aborted, keeps the committed batches, and a re-run adds only what is missing', async () => {
    const { root, distinct } = await corpus();
    const ac = new AbortController();
    const cut = await importFolders(store, {
      projectId,
      roots: [root],
      thumbnailsDir: thumbs,
      batchSize: 3,
      progressIntervalMs: 0,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.seen >= 6) ac.abort();
      },
    });
    expect(cut.status).toBe('interrupted');
    expect(store.imports.get(cut.importId)?.status).toBe('interrupted');
    const kept = allImages().length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(distinct);

    const rest = await importFolders(store, { projectId, roots: [root], thumbnailsDir: thumbs });
    expect(rest.status).toBe('done');
    expect(rest.imported).toBe(distinct - kept);
    expect(allImages()).toHaveLength(distinct);
  });

  it('survives kill -9 during an import: committed batches stay consistent and a re-run adds the rest', async () => {
    const root = join(dir, 'parts');
    mkdirSync(root);
    const total = 60;
    for (let k = 0; k < total; k++) {
      const pixels = Buffer.alloc(16 * 16, k * 4); // distinct content per file
      await sharp(pixels, { raw: { width: 16, height: 16, channels: 1 } }).png().toFile(join(root, `p${k}.png`));
    }
    store.close();
    const dbFile = join(dir, 'inspector.db');
    // The child holds still (no CPU) right after a commit until killed, and gives up after 60 s if the
    // test has died. .mts: ESM with top-level await outside the package.
    const child = join(dir, 'child.mts');
    const src = (m: string) => JSON.stringify(join(process.cwd(), m));
    writeFileSync(
      child,
      `import { openStore } from ${src('src-main/store')};
import { importFolders } from ${src('src-main/services/import-folders')};
const store = openStore(${JSON.stringify(dbFile)});
await importFolders(store, { projectId: ${projectId}, roots: [${JSON.stringify(root)}], thumbnailsDir: ${JSON.stringify(thumbs)},
  batchSize: 8, concurrency: 1, progressIntervalMs: 0,
  onProgress: (p) => {
    console.log('seen ' + p.seen);
    if (p.seen >= 16) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  } });
`,
    );
    // node itself with tsx's loader (not the tsx wrapper), so the SIGKILL hits the process that writes.
    const proc = spawn(process.execPath, ['--import', 'tsx', child], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolveKill, reject) => {
      proc.stdout.on('data', (chunk: Buffer) => {
        if (/seen (1[6-9]|[2-9]\d)/.test(chunk.toString())) {
          proc.kill('SIGKILL');
          resolveKill();
        }
      });
      proc.on('exit', (code) => reject(new Error(`child exited (${code}) before it was killed`)));
    });
    await new Promise((r) => (proc.exitCode !== null || proc.signalCode !== null ? r(null) : proc.once('exit', r)));

    store = openStore(dbFile);
    expect(store.integrityCheck()).toEqual(['ok']);
    expect(store.recoverInterrupted().imports).toBe(1);
    const [cut] = store.imports.list(projectId);
    const kept = allImages().length;
    // Rows and the import's counters commit in the same transaction, so they agree after the kill.
    expect(cut).toMatchObject({ status: 'interrupted', imported: kept });
    expect(kept).toBeGreaterThanOrEqual(16);
    expect(kept).toBeLessThan(total);
    const rest = await importFolders(store, { projectId, roots: [root], thumbnailsDir: thumbs });
    expect(rest).toMatchObject({ status: 'done', imported: total - kept, skipped: kept });
    expect(allImages()).toHaveLength(total);
  });

  it('imports single files, reports a missing root, and refuses bad arguments clearly', async () => {
    const { ok } = await corpus();
    const result = await importFolders(store, {
      projectId,
      roots: [ok[0].path, join(dir, 'no-such-folder')],
      thumbnailsDir: thumbs,
    });
    expect(result).toMatchObject({ imported: 1, failed: 1, errorsByKind: { 'not-found': 1 } });
    await expect(importFolders(store, { projectId, roots: [], thumbnailsDir: thumbs })).rejects.toThrow(/at least one/);
    await expect(importFolders(store, { projectId: 999, roots: [dir], thumbnailsDir: thumbs })).rejects.toThrow(
      /Project 999 does not exist/,
    );
  });

  it.skipIf(!existsSync(ELPV))('imports the ELPV data set with labels and splits from its folders', async () => {
    const result = await importFolders(store, { projectId, roots: [ELPV], thumbnailsDir: thumbs });
    expect(result).toMatchObject({ status: 'done', imported: 1074, failed: 0, duplicate: 0 });
    const counts = Object.fromEntries(
      store.images.countsByLabelSplit(projectId).map((c) => [`${c.split}/${c.label}`, c.count]),
    );
    // likely_ and maybe_defective are uncertain ratings: the library leaves them unlabelled, not 'defect'.
    expect(counts).toEqual({ 'train/good': 470, 'test/good': 118, 'test/defect': 313, 'test/null': 173 });
    const sample = store.images.list(projectId, { label: 'defect' }, { limit: 1 })[0];
    expect(sample).toMatchObject({ width: 300, height: 300, channels: 1, bitDepth: 8, format: 'png' });
    expect(store.integrityCheck()).toEqual(['ok']);
  });
});
