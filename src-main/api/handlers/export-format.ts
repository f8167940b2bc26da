// Export text: CSV for spreadsheets (RFC 4180 quoting, formula-injection safe) and JSON for scripts.
import type { ExportRow, ModelRow } from '../../store';

// Columns added later go at the end (trained_on, then defect_type), so scripts reading by position keep working.
const HEADER = ['image_id', 'path', 'label', 'split', 'score', 'calibrated', 'percentile', 'flagged', 'decision', 'note', 'trained_on', 'defect_type'];

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  // A cell starting with = + - @ would run as a formula in a spreadsheet; numbers are left as they are.
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function exportCsv(rows: ExportRow[]): string {
  const lines = [HEADER.join(',')];
  for (const r of rows) {
    lines.push(
      [r.imageId, r.path, r.label, r.split, r.score, r.calibrated, r.percentile, r.flagged, r.decision, r.note, r.trained, r.defectType]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function exportJson(model: ModelRow, rows: ExportRow[]): string {
  return JSON.stringify(
    { model: { id: model.id, name: model.name, scoreKind: model.scoreKind }, exportedAt: new Date().toISOString(), rows },
    null,
    2,
  );
}
