// The files of a drop or of a folder chooser, each with its path relative to what the user picked
// ("parts/train/good/a.png"), so the folder names still set labels and splits after the upload.
import { relativePathOf } from '../../components/relative-path';
import type { UploadFile } from './uploader';

export type { UploadFile };

/** From <input type=file webkitdirectory> (or a plain multiple file input). */
export function filesFromInput(list: ArrayLike<File>): UploadFile[] {
  return Array.from(list, (file) => ({ file, path: relativePathOf(file) }));
}

function readAll(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  // readEntries answers in batches (100 in Chromium) until it answers an empty one.
  return new Promise((ok, fail) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) return ok(all);
        all.push(...batch);
        next();
      }, fail);
    next();
  });
}

const fileOf = (entry: FileSystemFileEntry): Promise<File> => new Promise((ok, fail) => entry.file(ok, fail));

async function walk(entry: FileSystemEntry, out: UploadFile[]): Promise<void> {
  const path = entry.fullPath.replace(/^\/+/, '') || entry.name;
  if (entry.isFile) out.push({ file: await fileOf(entry as FileSystemFileEntry), path });
  else if (entry.isDirectory) for (const child of await readAll(entry as FileSystemDirectoryEntry)) await walk(child, out);
}

/**
 * The files of a drop, folders walked. Must be called while the drop event runs: the browser hands
 * out the dropped entries only then; the walk itself continues afterwards.
 */
export function filesFromDrop(data: DataTransfer): Promise<UploadFile[]> {
  const entries: FileSystemEntry[] = [];
  const loose: UploadFile[] = [];
  for (const item of Array.from(data.items ?? [])) {
    if (item.kind !== 'file') continue;
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
    else {
      // A drop built by a script (or a browser without entries) has files but no folder entries.
      const file = item.getAsFile();
      if (file) loose.push({ file, path: relativePathOf(file) });
    }
  }
  if (entries.length === 0 && loose.length === 0) loose.push(...filesFromInput(data.files ?? []));
  return (async () => {
    const out = [...loose];
    for (const e of entries) await walk(e, out);
    return out;
  })();
}
