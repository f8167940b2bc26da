// A file the user named (a backup, a model's .zip) written under a hidden name beside it and renamed once whole, so a
// failure (a full disk, a pulled USB stick, a copy that does not check out) leaves nothing under the name; the hidden
// file goes with the failure.
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** `write` fills the given path; whatever it returns is returned once the file has its name. */
export async function writeBeside<T>(to: string, write: (partial: string) => Promise<T>): Promise<T> {
  const partial = join(dirname(to), `.${basename(to)}.${process.pid}.partial`);
  try {
    const out = await write(partial);
    await rename(partial, to);
    return out;
  } finally {
    await rm(partial, { force: true });
  }
}
