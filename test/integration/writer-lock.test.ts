// One writer per library: a second process that opens the library for writing is refused with one line
// naming the holder, and does not touch the holder's running jobs; readers still work; a lock left by a
// killed process is taken over.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LibraryLockedError, lockPathFor, openStore } from '../../src-main/store';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '..', '..', 'bin', 'ganomaly-inspector.js');
let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'writer-lock-'));
  db = join(dir, 'library.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the writer lock of a library', () => {
  it("refuses a second writing process with one line naming the holder, leaving the holder's running job alone", async () => {
    const store = openStore(db);
    try {
      const project = store.projects.ensure('default');
      const job = store.jobs.create('train', {}, project.id);
      store.jobs.start(job.id); // the holder's training, running
      const holder = JSON.parse(readFileSync(lockPathFor(db), 'utf8')) as { pid: number; command: string };
      expect(holder.pid).toBe(process.pid);

      for (const args of [['resume', '--db', db], ['import', dir, '--db', db]]) {
        const second = await cli(...args);
        expect(second.code).not.toBe(0);
        const lines = second.stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain(`open for writing by pid ${process.pid} (${holder.command})`);
      }
      // Recovery at start-up is the holder's alone: the refused process marked nothing interrupted.
      expect(store.jobs.get(job.id)).toMatchObject({ status: 'running' });

      // Readers need no lock.
      const status = await cli('status', '--db', db, '--json');
      expect(status.code).toBe(0);
      expect(JSON.parse(status.stdout)).toBeTruthy();

      // Within one process, connections share the lock; it goes with the last one.
      const again = openStore(db);
      again.close();
      expect(existsSync(lockPathFor(db))).toBe(true);
    } finally {
      store.close();
    }
    expect(existsSync(lockPathFor(db))).toBe(false);
  });

  it('takes over the lock of a process that is gone, and refuses one held on another host', () => {
    openStore(db).close();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    writeFileSync(lockPathFor(db), JSON.stringify({ pid: deadPid, command: 'node killed-app', host: hostname(), since: 'then' }));
    const store = openStore(db);
    expect(JSON.parse(readFileSync(lockPathFor(db), 'utf8'))).toMatchObject({ pid: process.pid });
    store.close();

    writeFileSync(lockPathFor(db), JSON.stringify({ pid: 1, command: 'ganomaly-inspector serve', host: 'other-workstation', since: 'then' }));
    expect(() => openStore(db)).toThrow(LibraryLockedError);
    expect(() => openStore(db)).toThrow(/by pid 1 on other-workstation \(ganomaly-inspector serve\)/);
    const reader = openStore(db, { readonly: true });
    expect(reader.version).toBeGreaterThan(0);
    reader.close();
  });
});
