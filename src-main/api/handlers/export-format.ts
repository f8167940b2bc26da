// Export text: CSV for spreadsheets (RFC 4180 quoting, formula-injection safe) and JSON for scripts.
import type { ExportRow, ModelRow, Project, ReviewTrailRow } from '../../store';
import type { LotGroups } from '../../shared/lots';

// Columns added later go at the end (trained_on, defect_type, then added_at and lot, then reviewed_at and
// reviewed_by), so scripts reading by position keep working.
const HEADER = ['image_id', 'path', 'label', 'split', 'score', 'calibrated', 'percentile', 'flagged', 'decision', 'note', 'trained_on', 'defect_type',
  'added_at', 'lot', 'reviewed_at', 'reviewed_by'];

/** A row as exported: when the part came in and was decided (ISO), and its lot ("/cam 2026-12-01": its folders and day, shared/lots). */
export type ExportLine = Omit<ExportRow, 'addedAt' | 'reviewedAt'> & { addedAt: string; reviewedAt: string | null; lot: string | null };

/** The rows with their lots, the Threshold screen's (shared/lots: the project's, store.imports.lots). */
export function exportLines(rows: ExportRow[], groups: LotGroups): ExportLine[] {
  return rows.map((r) => {
    const lot = r.importId === null ? undefined : groups.lotOf(r.importId);
    return { ...r, addedAt: new Date(r.addedAt).toISOString(), reviewedAt: r.reviewedAt === null ? null : new Date(r.reviewedAt).toISOString(), lot: lot ? `${lot.roots.join(' ; ')} ${lot.day}` : null };
  });
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  // A cell starting with = + - @ would run as a formula in a spreadsheet; numbers are left as they are.
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function exportCsv(rows: ExportLine[]): string {
  const lines = [HEADER.join(',')];
  for (const r of rows) {
    lines.push(
      [r.imageId, r.path, r.label, r.split, r.score, r.calibrated, r.percentile, r.flagged, r.decision, r.note, r.trained, r.defectType, r.addedAt, r.lot, r.reviewedAt, r.reviewer]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function exportJson(model: ModelRow, rows: ExportLine[]): string {
  return JSON.stringify(
    { model: { id: model.id, name: model.name, scoreKind: model.scoreKind }, exportedAt: new Date().toISOString(), rows },
    null,
    2,
  );
}

// project, removed_at and removed_with came later (reviews kept when their folder or project is removed): at the end.
const TRAIL_HEADER = ['review_id', 'at', 'image_id', 'path', 'decision', 'note', 'reviewed_by', 'model_id', 'undoes', 'project', 'removed_at', 'removed_with'];

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A review trail as written, oldest first: an undo has no decision and names the review it took back; a review whose
 *  part was taken out of its project says when, and with what (its folder, or the whole project). */
export function reviewTrailCsv(rows: ReviewTrailRow[]): string {
  const lines = [TRAIL_HEADER.join(',')];
  for (const r of rows) {
    lines.push([r.id, iso(r.createdAt), r.imageId, r.path, r.decision, r.note, r.reviewer, r.modelId, r.reverts, r.project, iso(r.removedAt), r.removedWith]
      .map(cell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** `project`: the one whose trail this is; null for the whole library's (each row names its project). */
export function reviewTrailJson(project: Project | null, rows: ReviewTrailRow[]): string {
  const reviews = rows.map((r) => ({ ...r, createdAt: iso(r.createdAt), removedAt: iso(r.removedAt) }));
  return JSON.stringify({ project: project && { id: project.id, name: project.name }, exportedAt: new Date().toISOString(), reviews }, null, 2);
}
