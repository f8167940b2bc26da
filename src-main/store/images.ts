import { sep } from 'node:path';
import type Database from 'better-sqlite3';
import type { ImageRow, Label, Split } from './types';

type RawImage = Omit<ImageRow, 'hasAlpha' | 'missing'> & { hasAlpha: number; missing: number };

const COLUMNS = `id, project_id AS projectId, path, hash, width, height, channels, has_alpha AS hasAlpha, format,
  bit_depth AS bitDepth, bytes, mtime_ms AS mtimeMs, label, split, defect_type AS defectType, folder,
  import_id AS importId, thumbnail_path AS thumbnailPath, added_at AS addedAt, missing`;

const toRow = (r: RawImage): ImageRow => ({ ...r, hasAlpha: r.hasAlpha === 1, missing: r.missing === 1 });

export type NewImage = Omit<ImageRow, 'id' | 'addedAt' | 'missing'>;

/** 'none' selects rows where the column is null. */
export interface ImageFilter {
  label?: Label | 'none';
  split?: Split | 'none';
  folder?: string;
  /** Only images that came into the library at or after this time (ms): a followed camera's new parts. */
  addedSince?: number;
  /** Only images brought in by these imports (a lot's, shared/lots). */
  importIds?: number[];
  /** Only images whose file name (not its folders) holds this text, in any (ASCII) case: a part's serial number. */
  nameHas?: string;
  includeMissing?: boolean;
}

export interface LabelSplitCount {
  label: Label | null;
  split: Split | null;
  count: number;
  missing: number;
}

/** SQL conditions on alias `i` for a filter; values go to named parameters. Shared with ranking.ts. */
export function imageFilterSql(f: ImageFilter, params: Record<string, unknown>): string[] {
  const where: string[] = [];
  if (f.label === 'none') where.push('i.label IS NULL');
  else if (f.label) {
    where.push('i.label = @label');
    params.label = f.label;
  }
  if (f.split === 'none') where.push('i.split IS NULL');
  else if (f.split) {
    where.push('i.split = @split');
    params.split = f.split;
  }
  if (f.folder !== undefined) {
    where.push('i.folder = @folder');
    params.folder = f.folder;
  }
  if (f.addedSince !== undefined) {
    where.push('i.added_at >= @addedSince');
    params.addedSince = f.addedSince;
  }
  if (f.importIds !== undefined) {
    // One parameter however many imports a lot has (a followed camera's day: hundreds).
    where.push('i.import_id IN (SELECT value FROM json_each(@importIds))');
    params.importIds = JSON.stringify(f.importIds);
  }
  if (f.nameHas !== undefined) {
    // The file name is what follows the folder and its separator; instr, not LIKE, so % and _ are plain text.
    where.push('instr(lower(substr(i.path, length(i.folder) + 2)), lower(@nameHas)) > 0');
    params.nameHas = f.nameHas;
  }
  if (!f.includeMissing) where.push('i.missing = 0');
  return where;
}


/** Every path under `dir` sorts between its prefix and the prefix with the last character bumped (uses the path index). */
function pathRange(dir: string): [string, string] {
  const prefix = dir.endsWith(sep) ? dir : dir + sep;
  return [prefix, prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)];
}

export function imageQueries(db: Database.Database) {
  const insert = db.prepare<Record<string, unknown>, RawImage>(
    `INSERT INTO images (project_id, path, hash, width, height, channels, has_alpha, format, bit_depth, bytes,
       mtime_ms, label, split, defect_type, folder, import_id, thumbnail_path, added_at)
     VALUES (@projectId, @path, @hash, @width, @height, @channels, @hasAlpha, @format, @bitDepth, @bytes,
       @mtimeMs, @label, @split, @defectType, @folder, @importId, @thumbnailPath, @addedAt)
     RETURNING ${COLUMNS}`,
  );
  const byId = db.prepare<[number], RawImage>(`SELECT ${COLUMNS} FROM images WHERE id = ?`);
  const byHash = db.prepare<[number, string], RawImage>(
    `SELECT ${COLUMNS} FROM images WHERE project_id = ? AND hash = ?`,
  );
  const byPath = db.prepare<[number, string], RawImage>(
    `SELECT ${COLUMNS} FROM images WHERE project_id = ? AND path = ? ORDER BY missing, id`,
  );
  const relocate = db.prepare(
    `UPDATE images SET path = @path, folder = @folder, mtime_ms = @mtimeMs, missing = 0,
       label = @label, split = @split, defect_type = @defectType WHERE id = @id`,
  );
  const setMtime = db.prepare<[number | null, number]>('UPDATE images SET mtime_ms = ? WHERE id = ?');
  const setMissing = db.prepare<[number, number]>('UPDATE images SET missing = ? WHERE id = ?');
  const setThumb = db.prepare<[string | null, number]>('UPDATE images SET thumbnail_path = ? WHERE id = ?');
  const setLabel = db.prepare<[Label | null, Split | null, string | null, number]>(
    'UPDATE images SET label = ?, split = ?, defect_type = ? WHERE id = ?',
  );
  const labelSplit = db.prepare<[number], LabelSplitCount>(
    `SELECT label, split, count(*) - sum(missing) AS count, sum(missing) AS missing FROM images
     WHERE project_id = ? GROUP BY label, split ORDER BY label, split`,
  );
  const removeFolder = db.prepare<[number, string]>('DELETE FROM images WHERE project_id = ? AND folder = ?');
  const thumbnailsOf = db.prepare<{ projectId: number; folder: string | null }, { path: string }>(
    `SELECT DISTINCT thumbnail_path AS path FROM images
     WHERE project_id = @projectId AND thumbnail_path IS NOT NULL AND (@folder IS NULL OR folder = @folder)`,
  );
  // One pass over the table (SQLite indexes the subquery once), however many paths are asked about.
  const thumbnailsInUse = db.prepare<[string], { path: string }>(
    'SELECT value AS path FROM json_each(?) WHERE value IN (SELECT thumbnail_path FROM images WHERE thumbnail_path IS NOT NULL)',
  );
  const folders = db.prepare<[number], { folder: string; count: number }>(
    `SELECT folder, count(*) AS count FROM images WHERE project_id = ? AND missing = 0
     GROUP BY folder ORDER BY folder`,
  );
  const under = db.prepare<[number, string, string], { id: number; path: string; missing: number }>(
    'SELECT id, path, missing FROM images WHERE project_id = ? AND path > ? AND path < ? ORDER BY path',
  );
  const usageUnder = db.prepare<[number, string, string], { images: number; bytes: number | null }>(
    'SELECT count(*) AS images, sum(bytes) AS bytes FROM images WHERE project_id = ? AND missing = 0 AND path > ? AND path < ?',
  );
  const listCache = new Map<string, Database.Statement>();

  function list(projectId: number, filter: ImageFilter = {}, page: { afterId?: number; limit?: number } = {}) {
    const params: Record<string, unknown> = { projectId, afterId: page.afterId ?? 0, limit: page.limit ?? 500 };
    const where = ['i.project_id = @projectId', 'i.id > @afterId', ...imageFilterSql(filter, params)];
    const sql = `SELECT ${COLUMNS} FROM images i WHERE ${where.join(' AND ')} ORDER BY i.id LIMIT @limit`;
    let stmt = listCache.get(sql);
    if (!stmt) listCache.set(sql, (stmt = db.prepare(sql)));
    return (stmt.all(params) as RawImage[]).map(toRow);
  }

  /** Every row matching a filter, a page of 5000 at a time. */
  function* pages(projectId: number, filter: ImageFilter): Generator<ImageRow[]> {
    for (let page = list(projectId, filter, { limit: 5000 }); page.length; page = list(projectId, filter, { afterId: page[page.length - 1].id, limit: 5000 })) {
      yield page;
    }
  }

  return {
    insert(img: NewImage): ImageRow {
      return toRow(insert.get({ ...img, hasAlpha: img.hasAlpha ? 1 : 0, addedAt: Date.now() })!);
    },
    get(id: number): ImageRow | undefined {
      const r = byId.get(id);
      return r && toRow(r);
    },
    getMany(ids: number[]): ImageRow[] {
      return ids.flatMap((id) => {
        const r = byId.get(id);
        return r ? [toRow(r)] : [];
      });
    },
    byHash(projectId: number, hash: string): ImageRow | undefined {
      const r = byHash.get(projectId, hash);
      return r && toRow(r);
    },
    /** Rows recorded at this path, present ones first (a replaced file leaves its old content missing). */
    byPath(projectId: number, path: string): ImageRow[] {
      return byPath.all(projectId, path).map(toRow);
    },
    /** A known image found at a new path: follow it there and clear `missing`. */
    relocate(
      id: number,
      to: Pick<ImageRow, 'path' | 'folder' | 'mtimeMs' | 'label' | 'split' | 'defectType'>,
    ): void {
      relocate.run({ id, ...to });
    },
    setMtime(id: number, mtimeMs: number | null): void {
      setMtime.run(mtimeMs, id);
    },
    setMissing(id: number, missing: boolean): void {
      setMissing.run(missing ? 1 : 0, id);
    },
    setThumbnail(id: number, path: string | null): void {
      setThumb.run(path, id);
    },
    setLabel(id: number, label: Label | null, split: Split | null, defectType: string | null = null): void {
      setLabel.run(label, split, defectType, id);
    },
    /** Keyset-paged listing by id. */
    list,
    /** All ids matching a filter, in id order (e.g. the good training images for a model snapshot). */
    ids(projectId: number, filter: ImageFilter = {}): number[] {
      const out: number[] = [];
      for (const page of pages(projectId, filter)) for (const r of page) out.push(r.id);
      return out;
    },
    /** All rows matching a filter, in id order (e.g. what a new model would train on). */
    all(projectId: number, filter: ImageFilter = {}): ImageRow[] {
      return [...pages(projectId, filter)].flat();
    },
    /** Rows whose path lies under `dir` (any depth), by the path index; for marking vanished files missing. */
    under(projectId: number, dir: string): { id: number; path: string; missing: boolean }[] {
      return under.all(projectId, ...pathRange(dir)).map((r) => ({ ...r, missing: r.missing === 1 }));
    },
    /** Present images under `dir` and their bytes (each content is one row, so this is their disk use). */
    usageUnder(projectId: number, dir: string): { images: number; bytes: number } {
      const r = usageUnder.get(projectId, ...pathRange(dir))!;
      return { images: r.images, bytes: r.bytes ?? 0 };
    },
    /** Present images per (label, split), plus how many of each are missing on disk. */
    countsByLabelSplit(projectId: number): LabelSplitCount[] {
      return labelSplit.all(projectId);
    },
    folders(projectId: number): { folder: string; count: number }[] {
      return folders.all(projectId);
    },
    /** Deletes the project's images in `folder` (not its subfolders), missing ones too, with their scores,
     *  reviews and places in model snapshots; the files on disk are not touched. Returns how many. */
    removeFolder(projectId: number, folder: string): number {
      return removeFolder.run(projectId, folder).changes;
    },
    /** The thumbnails the project's images (in `folder`, when given) show; shared by every row of the same content. */
    thumbnailsOf(projectId: number, folder: string | null = null): string[] {
      return thumbnailsOf.all({ projectId, folder }).map((r) => r.path);
    },
    /** Which of `paths` an image of any project still shows. */
    thumbnailsInUse(paths: string[]): Set<string> {
      return new Set(thumbnailsInUse.all(JSON.stringify(paths)).map((r) => r.path));
    },
  };
}

export type ImageQueries = ReturnType<typeof imageQueries>;
