// Every file the app writes whole (a backup, a model's .zip and weights, a checkpoint, a thumbnail, an export) is
// written under a hidden name beside it and renamed once complete, so a failure (a full disk, a pulled USB stick, a
// crash, a copy that does not check out) never leaves a half file under the name; the hidden file goes with the failure.
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

let written = 0;

/** `write` fills the given path; whatever it returns is returned once the file has its name. */
export async function writeBeside<T>(to: string, write: (partial: string) => Promise<T>): Promise<T> {
  // Unique per call and thread: two writes of one name at once (two exports to one file, two import workers writing
  // one thumbnail) must not share a partial file.
  written += 1;
  const partial = join(dirname(to), `.${basename(to)}.${process.pid}-${threadId}-${written}.partial`);
  try {
    const out = await write(partial);
    await rename(partial, to);
    return out;
  } finally {
    await rm(partial, { force: true });
  }
}

/** `data` as the file `to`, whole or not at all. */
export function writeFileBeside(to: string, data: string | Uint8Array): Promise<void> {
  return writeBeside(to, (partial) => writeFile(partial, data));
}
