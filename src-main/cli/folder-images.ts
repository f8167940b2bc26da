// Images of a folder for the folder-mode commands: walked, inspected (so a bad file is reported and
// skipped before any batch is built), labelled from the folder layout.
import { dirname, isAbsolute, relative } from 'node:path';
import { inspectImage, type ImageFacts } from '../library/inspect';
import { isMaskPath, labelFromPath, type PathLabel } from '../library/layout';
import { mapLimit } from '../library/map-limit';
import { walkImageFiles } from '../library/walk';
import { isImageError } from '../library/errors';
import { problemDetail } from '../shared/problem';
import { colourNote } from '../jobs/training-set';

export interface FolderImage extends ImageFacts, PathLabel {
  root: string;
}

export interface Skipped {
  path: string;
  kind: string;
  message: string;
}

const INSPECT_CONCURRENCY = 4;

/**
 * Every readable image under the roots, in walk order; problems go to `onSkip`, never thrown. `skipDirs`:
 * folders never read (a run's own output, such as score's --maps inside the scored folder).
 */
export async function collectImages(roots: string[], onSkip: (s: Skipped) => void, skipDirs: readonly string[] = []): Promise<FolderImage[]> {
  const files: { path: string; root: string }[] = [];
  for await (const entry of walkImageFiles(roots, { skipDirs })) {
    if (entry.kind === 'error') onSkip({ path: entry.error.path, kind: entry.error.kind, message: entry.error.message });
    else if (entry.kind === 'not-a-file') onSkip({ path: entry.path, kind: 'not-a-file', message: 'not a regular file (FIFO, socket or device)' });
    else if (!isMaskPath(entry.path, entry.root)) files.push(entry);
  }
  const out = await mapLimit(files, INSPECT_CONCURRENCY, async ({ path, root }): Promise<FolderImage | undefined> => {
    try {
      // Labelled from the root's parent so the root's own name counts: `eval data/test` sees test/<defect>.
      return { ...(await inspectImage(path)), ...labelFromPath(path, dirname(root)), root };
    } catch (err) {
      if (!isImageError(err)) throw err;
      onSkip({ path, kind: err.kind, message: err.message });
      return undefined;
    }
  });
  return out.filter((x): x is FolderImage => x !== undefined);
}

/** A file that could not be read, in one line: path, kind, what is wrong. */
export function problemLine(s: Skipped): string {
  return `${s.path}: ${s.kind}: ${problemDetail(s.path, s.message)}`;
}

/** Reports a skipped file on stderr in one line. */
export function printSkip(s: Skipped): void {
  process.stderr.write(`skipped ${problemLine(s)}\n`);
}

/** Relative to the working folder when the image is inside it, else the full path (not a climb of ../). */
export function displayPath(img: FolderImage): string {
  const rel = relative(process.cwd(), img.path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : img.path;
}

/** The plan line's tail naming the colour images of a mostly gray set (jobs/training-set's colourNote), or ''. */
export function andColour(images: readonly { path: string; channels: number }[]): string {
  const note = colourNote(images);
  return note && `; ${note}`;
}
