import { opendir, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ImageError, fromFsError } from './errors';

export type WalkEntry =
  | { kind: 'file'; path: string; root: string }
  | { kind: 'error'; error: ImageError }
  // Named like an image but a FIFO, socket or device: never opened (a FIFO would block), but counted.
  | { kind: 'not-a-file'; path: string };

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp', '.gif']);

export function hasImageExtension(path: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(path).toLowerCase());
}

// Code-unit order, not locale order, so the sequence is the same on every machine.
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface WalkState {
  seenDirs: Set<string>; // dev:ino of folders already walked (a symlink or a second root may reach one twice)
  seenFiles: Set<string>; // real paths already yielded
  skipDirs: Set<string>; // real paths of folders never walked into
}

export interface WalkOptions {
  /** Folders never walked into, wherever they lie under a root (the library's own thumbnails and maps). */
  skipDirs?: readonly string[];
}

/**
 * Yields every image file under the roots (folders or files), depth first in sorted order.
 * Symbolic links are followed; a link back to a folder on the current path is reported as
 * `symlink-loop`, and a folder reached twice is walked once. Names starting with "." are skipped
 * (.git, macOS "._x.png" resource forks). A root given as a file is yielded whatever its extension,
 * since the user picked it; inspection then says whether it is an image. Problems never stop the walk.
 */
/**
 * The real path a folder has or will have: one that does not exist yet (thumbnails/ before the first import
 * writes there) takes its parent's real path, so a linked data folder (macOS's /var -> /private/var) still matches.
 */
async function realPathToBe(dir: string): Promise<string> {
  const full = resolve(dir);
  return realpath(full).catch(() => realpath(dirname(full)).then((p) => join(p, basename(full)), () => full));
}

export async function* walkImageFiles(roots: string[], opts: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  const skip = await Promise.all((opts.skipDirs ?? []).map(realPathToBe));
  const state: WalkState = { seenDirs: new Set(), seenFiles: new Set(), skipDirs: new Set(skip) };
  for (const rootArg of roots) {
    const root = resolve(rootArg);
    let info: Stats;
    try {
      info = await stat(root);
    } catch (error) {
      yield { kind: 'error', error: fromFsError(error, root) };
      continue;
    }
    if (info.isDirectory()) {
      yield* walkDir(root, root, info, [], state);
    } else if (info.isFile()) {
      const real = await realpath(root).catch(() => root);
      if (!state.seenFiles.has(real)) {
        state.seenFiles.add(real);
        yield { kind: 'file', path: root, root: dirname(root) };
      }
    } else {
      yield { kind: 'error', error: new ImageError('unreadable', root, 'not a regular file or folder') };
    }
  }
}

async function* walkDir(
  dir: string,
  root: string,
  info: Stats,
  ancestors: string[],
  state: WalkState,
): AsyncGenerator<WalkEntry> {
  const key = `${info.dev}:${info.ino}`;
  if (ancestors.includes(key)) {
    yield { kind: 'error', error: new ImageError('symlink-loop', dir, 'links back to a folder that contains it') };
    return;
  }
  if (state.seenDirs.has(key)) return;
  state.seenDirs.add(key);

  let names: { name: string; isFile: boolean }[];
  let realDir: string;
  try {
    realDir = await realpath(dir);
    if (state.skipDirs.has(realDir)) return;
    names = [];
    for await (const d of await opendir(dir)) {
      if (d.name.startsWith('.')) continue;
      names.push({ name: d.name, isFile: d.isFile() });
    }
  } catch (error) {
    yield { kind: 'error', error: fromFsError(error, dir) };
    return;
  }
  names.sort((a, b) => byCodeUnit(a.name, b.name));

  const path = [...ancestors, key];
  for (const entry of names) {
    const full = join(dir, entry.name);
    if (entry.isFile) {
      if (!hasImageExtension(full)) continue;
      const real = join(realDir, entry.name);
      if (state.seenFiles.has(real)) continue;
      state.seenFiles.add(real);
      yield { kind: 'file', path: full, root };
    } else {
      // Links, folders, and entries whose type the file system did not report (d_type unknown).
      let target: Stats;
      try {
        target = await stat(full); // follows the link
      } catch (error) {
        const wrapped = fromFsError(error, full);
        // A dangling link matters only if it looked like an image; a loop of links always does.
        if (wrapped.kind === 'symlink-loop' || hasImageExtension(full)) yield { kind: 'error', error: wrapped };
        continue;
      }
      if (target.isDirectory()) {
        yield* walkDir(full, root, target, path, state);
      } else if (target.isFile() && hasImageExtension(full)) {
        const real = await realpath(full).catch(() => full);
        if (state.seenFiles.has(real)) continue;
        state.seenFiles.add(real);
        yield { kind: 'file', path: full, root };
      } else if (hasImageExtension(full)) {
        yield { kind: 'not-a-file', path: full };
      }
    }
  }
}
