// kill -9 of the whole CLI (the only SQLite writer) during an import and during training: a re-run adds
// only what is missing, `resume` finishes the training, and the database stays whole.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src-main/store';
import { alive, waitUntil, writeParts } from './jobs-fixture';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '../../bin/ganomaly-inspector.js');
const DRIVER = join(import.meta.dirname, 'jobs-cli-driver.ts');
let dir: string;
let db: string;
let reader: Store | undefined;
const started: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jobs-cli-'));
  db = join(dir, 'lib.sqlite');
  await writeParts(join(dir, 'parts'), { train: 500, test: 100 });
});

afterAll(() => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  reader?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Pids of job processes working for this library (their command line names its folder). */
async function jobPids(): Promise<number[]> {
  const { stdout } = await run('ps', ['-eo', 'pid=,args=']);
  return stdout.split('\n').filter((l) => l.includes(`--data-dir=${dir}`)).map((l) => Number(l.trim().split(/\s+/)[0]));
}

const count = (s: Store): number => s.images.countsByLabelSplit(1).reduce((a, c) => a + c.count, 0);

describe('kill -9 of the CLI', () => {
  it('an import cut short by kill -9 is completed by a re-run that adds only the missing images', async () => {
    const cli = spawn(process.execPath, [CLI, 'import', join(dir, 'parts'), '--db', db], { stdio: 'ignore' });
    started.push(cli);
    const before = await waitUntil('the first batch of rows', () => {
      try {
        reader ??= openStore(db, { readonly: true });
        const n = count(reader);
        return n >= 64 ? n : undefined;
      } catch {
        return undefined; // the CLI has not created the schema yet
      }
    }, 60_000, 10);
    cli.kill('SIGKILL');
    await new Promise((r) => cli.once('exit', r));
    const afterKill = count(reader!);
    expect(afterKill).toBeGreaterThanOrEqual(before);
    expect(afterKill).toBeLessThan(600); // really cut short

    const { stdout } = await run(process.execPath, [CLI, 'import', join(dir, 'parts'), '--db', db]);
    expect(stdout).toContain('now holds 600 images');
    const store = openStore(db);
    try {
      const [second, first] = store.imports.list(1);
      expect(first.status).toBe('interrupted');
      expect(second).toMatchObject({ status: 'done', imported: 600 - afterKill, skipped: afterKill, failed: 0 });
      expect(count(store)).toBe(600);
      expect(store.integrityCheck()).toEqual(['ok']);
    } finally {
      store.close();
    }
  });

  it('training killed with its CLI resumes from the last checkpoint with `resume --db`', async () => {
    const flags = { isize: 16, ngf: 8, ndf: 8, nz: 16, batch: 64, epochs: 2, seed: 2 };
    const cli = spawn(process.execPath, ['--import', 'tsx', DRIVER, db, JSON.stringify(flags)], { stdio: 'ignore' });
    started.push(cli);
    reader ??= openStore(db, { readonly: true });
    await waitUntil('epoch 1 recorded', () => {
      const run1 = reader!.models.list(1)[0] && reader!.training.runs(reader!.models.list(1)[0].id)[0];
      return run1 && reader!.training.epochs(run1.id).length >= 1;
    }, 90_000, 50);
    const children = await jobPids();
    expect(children.length).toBe(1);
    cli.kill('SIGKILL');
    await new Promise((r) => cli.once('exit', r));
    // The job process notices its parent is gone and stops, rather than training on unrecorded.
    await waitUntil('the orphaned job process to exit', () => !alive(children[0]), 10_000);

    // Run from the library's folder, not the checkout, as a user in their data folder would: the job
    // process must still find its TypeScript loader.
    const { stdout } = await run(process.execPath, [CLI, 'resume', '--db', db], { timeout: 120_000, cwd: dir });
    expect(stdout).toMatch(/job 2 train done: trained 2 epochs/);
    const store = openStore(db);
    try {
      const model = store.models.list(1)[0];
      expect(model.status).toBe('ready');
      const runs = store.training.runs(model.id);
      expect(runs.map((r) => r.status)).toEqual(['interrupted', 'done']);
      const [e1] = store.training.epochs(runs[0].id);
      expect(store.training.epochs(runs[1].id)[0]).toMatchObject({ epoch: 1, errG: e1.errG, errD: e1.errD });
      expect(store.training.epochs(runs[1].id).map((e) => e.epoch)).toEqual([1, 2]);
      expect(store.jobs.get(1)).toMatchObject({ status: 'interrupted' });
      expect(store.integrityCheck()).toEqual(['ok']);
    } finally {
      store.close();
    }
    expect(await jobPids()).toEqual([]);

    // The next batch of parts: the import says which trained model has not ranked it yet, and how to.
    await writeParts(join(dir, 'day2'), { train: 0, test: 4 }, 11);
    const next = await run(process.execPath, [CLI, 'import', join(dir, 'day2'), '--db', db]);
    expect(next.stdout).toMatch(/^not scored by model 1 ".+": 604 images \(score --db .+ --model 1\)$/m);
  });
});
