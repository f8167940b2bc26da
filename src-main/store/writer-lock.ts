// One writer per library: a process that opens a library for writing holds `<file>.lock`, which names
// its pid, command and host. A second writer is refused with one line naming the holder, so the CLI
// cannot mark the app's running training 'interrupted' (start-up recovery is the holder's alone).
// Read-only opens take no lock. A lock whose process is gone (kill -9, power loss) is stale and taken
// over. Connections of the holding process share its lock.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { hostname } from 'node:os';

export interface LockHolder {
  pid: number;
  command: string;
  host: string;
  since: string;
}

export class LibraryLockedError extends Error {
  constructor(
    readonly file: string,
    readonly holder: LockHolder,
  ) {
    super(
      `library ${file} is open for writing by pid ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`} ` +
        `(${holder.command}) since ${holder.since}: close that first (status and export only read and work meanwhile; ` +
        `if that process is not this app, delete ${lockPathFor(file)})`,
    );
  }
}

const held = new Map<string, number>(); // lock path -> connections of this process using it

export const lockPathFor = (dbFile: string): string => `${dbFile}.lock`;

function thisHolder(): LockHolder {
  const command = [basename(process.argv[0] ?? 'node'), ...process.argv.slice(1)].join(' ');
  return { pid: process.pid, command: command.length > 300 ? `${command.slice(0, 297)}...` : command, host: hostname(), since: new Date().toISOString() };
}

function readHolder(path: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    return typeof h.pid === 'number' ? { pid: h.pid, command: String(h.command ?? '?'), host: String(h.host ?? '?'), since: String(h.since ?? '?') } : null;
  } catch {
    return null; // gone, or half-written by a writer that died mid-write: stale
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

/** Takes (or shares, within this process) the writer lock of `dbFile`; returns its release. */
export function acquireWriterLock(dbFile: string): () => void {
  const path = lockPathFor(dbFile);
  const mine = held.get(path);
  if (mine !== undefined) {
    held.set(path, mine + 1);
    return once(() => release(path));
  }
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(path);
      // A holder on another host (a shared folder) cannot be checked: it counts as live.
      const stale = !holder || (holder.host === hostname() && !alive(holder.pid));
      if (!stale || attempt >= 2) throw new LibraryLockedError(dbFile, holder ?? { pid: 0, command: '?', host: '?', since: '?' });
      try {
        unlinkSync(path);
      } catch {
        // another process took it over first: the next attempt sees its lock
      }
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(thisHolder()));
    } finally {
      closeSync(fd);
    }
    held.set(path, 1);
    return once(() => release(path));
  }
}

function release(path: string): void {
  const n = held.get(path) ?? 0;
  if (n > 1) return void held.set(path, n - 1);
  held.delete(path);
  if (readHolder(path)?.pid === process.pid) unlinkSync(path);
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      fn();
    }
  };
}

// A process that exits without closing its store (an uncaught error, process.exit) leaves no lock behind.
process.on('exit', () => {
  for (const path of held.keys()) {
    try {
      if (readHolder(path)?.pid === process.pid) unlinkSync(path);
    } catch {
      // nothing more to do while exiting
    }
  }
});
