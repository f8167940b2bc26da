// A model's folder as one .zip file: what a browser can download from the web mode's server and carry to another PC
// (it can hand over no folder), and what an import takes as well as a folder.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { carriedFiles, readModelMeta } from '../engine/model-dir';

/** Nothing a model folder holds comes near this; a larger entry is not one of its files. */
const MAX_ENTRY_BYTES = 2 ** 31 - 1;

/** The model folder's files (model.json, the weights it names, threshold.json when saved) zipped flat; checked as an import checks them. */
export async function packModel(dir: string): Promise<Uint8Array> {
  const { files } = await carriedFiles(dir, await readModelMeta(dir));
  const entries: Zippable = {};
  // Stored, not deflated: float weights shrink by a few per cent at the cost of seconds.
  for (const f of files) entries[f] = [await readFile(join(dir, f)), { level: 0 }];
  return zipSync(entries);
}

/**
 * Writes a model archive's files into `into` (made here). Takes this product's archives and a folder zipped by hand
 * (its files under one folder of the archive); entries in deeper folders are not the model's and are left out.
 */
export async function unpackModel(zipPath: string, into: string): Promise<void> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(await readFile(zipPath), { filter: (f) => !f.name.endsWith('/') && f.originalSize <= MAX_ENTRY_BYTES });
  } catch (err) {
    throw new Error(`${zipPath} is not a readable .zip file (${err instanceof Error ? err.message : String(err)})`);
  }
  const names = Object.keys(entries);
  const top = names.every((n) => n.includes('/')) ? names[0]?.split('/')[0] ?? '' : '';
  const prefix = top && names.every((n) => n.startsWith(`${top}/`)) ? `${top}/` : '';
  await mkdir(into, { recursive: true });
  for (const name of names) {
    const file = name.slice(prefix.length);
    // Only the folder's own plain files: no path may lead out of `into`.
    if (!file || file.includes('/') || file.includes('\\') || file === '.' || file === '..') continue;
    await writeFile(join(into, file), entries[name]);
  }
}
