// Imports and the image library.
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { ImageFilter, ImportRow } from '../../store';
import type { ApiContext } from '../context';
import { iso, isoOrNull, need, refuseWhileBusy } from '../context';
import { ApiFailure } from '../dispatch';
import type { Handlers } from '../dispatch';
import { imageSummary } from '../mappers';
import { removeFolder } from '../../services/deletions';
import type * as T from '../types';

type LibraryHandlers = Pick<
  Handlers,
  'import.start' | 'import.list' | 'import.summary' | 'library.counts' | 'library.folders' | 'library.removeFolder' | 'library.images'
>;

/** A typed path as the user means it: `~` is their home; a relative path would depend on where the server runs. */
export function importPath(raw: string): string {
  const trimmed = raw.trim();
  const expanded = trimmed === '~' || trimmed.startsWith('~/') ? join(homedir(), trimmed.slice(1)) : trimmed;
  if (!isAbsolute(expanded)) throw new ApiFailure('bad-request', `Give the full path of "${raw}" (for example /data/parts or ~/parts)`);
  return expanded;
}

export function libraryHandlers(ctx: ApiContext): LibraryHandlers {
  const { store } = ctx;

  function summary(row: ImportRow, failuresLimit: number): T.ImportSummary {
    const failuresTotal = row.failed;
    return {
      id: row.id,
      projectId: row.projectId,
      roots: row.roots,
      status: row.status,
      startedAt: iso(row.startedAt),
      finishedAt: isoOrNull(row.finishedAt),
      seen: row.seen,
      imported: row.imported,
      duplicates: row.duplicate,
      skipped: row.skipped,
      masks: row.masks,
      notFiles: row.notFiles,
      failed: row.failed,
      failures: failuresLimit > 0 ? store.imports.errors(row.id, failuresLimit).map(({ path, kind, message }) => ({ path, kind, message })) : [],
      failuresTotal,
      uploaded: ctx.uploads.isUpload(row.roots),
    };
  }

  const projectOf = (projectId: number) => need(store.projects.get(projectId), 'project', projectId);

  return {
    'import.start': ({ projectId, paths }) => ctx.jobs.startImport(projectId, paths.map(importPath)),
    'import.list': ({ projectId }) => {
      projectOf(projectId);
      return store.imports.list(projectId).map((r) => summary(r, 0));
    },
    'import.summary': ({ importId, failuresLimit }) =>
      summary(need(store.imports.get(importId), 'import', importId), failuresLimit),

    'library.counts': ({ projectId }) => {
      projectOf(projectId);
      const cells = store.images.countsByLabelSplit(projectId);
      const out: T.LibraryCounts = {
        total: 0,
        missing: 0,
        byLabel: { good: 0, defect: 0, unlabeled: 0 },
        bySplit: { train: 0, test: 0, none: 0 },
        cells: cells.map(({ label, split, count }) => ({ label, split, count })),
        uploaded: store.images.usageUnder(projectId, ctx.uploads.treeDir(projectId)),
      };
      for (const c of cells) {
        out.total += c.count;
        out.missing += c.missing;
        out.byLabel[c.label ?? 'unlabeled'] += c.count;
        out.bySplit[c.split ?? 'none'] += c.count;
      }
      return out;
    },
    'library.folders': ({ projectId }) => {
      projectOf(projectId);
      return store.images.folders(projectId).map((f) => ({ ...f, uploadedAs: ctx.uploads.droppedAs(f.folder) }));
    },
    'library.removeFolder': async ({ projectId, folder }) => {
      projectOf(projectId);
      refuseWhileBusy(store, projectId, 'The project');
      const removed = await removeFolder(store, ctx.dataDir, ctx.uploads, projectId, folder);
      if (!removed) throw new ApiFailure('not-found', `No image of this project is in ${folder}`);
      ctx.events.emit('library.changed', { projectId, what: 'images' });
      return { removed };
    },
    'library.images': ({ projectId, label, split, folder, offset, limit }) => {
      projectOf(projectId);
      const filter: ImageFilter = { label: label === 'unlabeled' ? 'none' : label, split, folder };
      // Offset paging over the project's id list, read once and kept until the library changes.
      const ids = ctx.memo.get(`image-ids:${projectId}:${JSON.stringify(filter)}`, () => store.images.ids(projectId, filter));
      const items = store.images.getMany(ids.slice(offset, offset + limit)).map((img) => imageSummary(ctx, img));
      return { total: ids.length, offset, items };
    },
  };
}
