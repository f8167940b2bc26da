// Flag rate per import (lot) at the threshold being set: the newest lot flagging far more than the others is
// a bad lot or a changed station (camera, lighting), worth a look before trusting the threshold. Label-free.
// Whole-image models also tell the two apart: a lot whose parts mostly differ from the good parts as a whole
// (not only at a defect) was captured differently, and its flags say more about the capture than the parts.
import { shiftedLotsWarning, type ImportSummary } from '../api/client';
import { formatDate, formatNumber, formatPercent } from '../components/format';
import { countAtLeast, type BatchScores } from './threshold-math';

/** Lots shown; older ones are summed in one row. */
const SHOWN = 8;

export function BatchFlagRates({ batches, imports, threshold }: { batches: BatchScores[]; imports: ImportSummary[]; threshold: number }) {
  if (batches.length < 2) return null;
  const byId = new Map(imports.map((i) => [i.id, i]));
  const rows = batches.slice(0, SHOWN).map((b) => {
    const imp = byId.get(b.importId);
    return {
      key: String(b.importId), when: formatDate(imp?.startedAt), what: imp ? imp.roots.join(' ; ') : `import ${b.importId}`,
      parts: b.scores.length, flagged: countAtLeast(b.scores, threshold), shifted: b.shifted,
    };
  });
  // One model's batches all can tell a capture shift or none can.
  const tells = batches[0].shifted !== null;
  const older = batches.slice(SHOWN);
  if (older.length) {
    rows.push({
      key: 'older', when: `${older.length} older imports`, what: '',
      parts: older.reduce((n, b) => n + b.scores.length, 0), flagged: older.reduce((n, b) => n + countAtLeast(b.scores, threshold), 0),
      shifted: tells ? older.reduce((n, b) => n + (b.shifted ?? 0), 0) : null,
    });
  }
  // The lots shown one by one (older ones summed are no lot).
  const warning = shiftedLotsWarning(rows.slice(0, SHOWN).map((r) => ({ name: r.what || r.when, shifted: r.shifted, parts: r.parts })));
  return (
    <section className="card">
      <h3>Flagged by import</h3>
      <p className="muted small">At this threshold, newest import first (the model's own training images left out). A lot that flags far more than the others is worth a look.</p>
      <table className="list-table compact" aria-label="Flagged by import">
        <thead>
          <tr>
            <th>Import</th><th className="num">Parts</th><th className="num">Flagged</th>
            {tells && <th className="num" title="Parts that differ from the good parts held out of training as a whole (far out in their range), not only at one spot">Differ as a whole</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-testid="batch-row">
              <td><span className="small">{r.when}</span> <span className="muted small" title={r.what}>{r.what}</span></td>
              <td className="num">{formatNumber(r.parts)}</td>
              <td className="num">{formatNumber(r.flagged)} ({formatPercent(r.flagged / r.parts)})</td>
              {tells && <td className="num">{r.shifted === null ? '-' : `${formatNumber(r.shifted)} (${formatPercent(r.shifted / r.parts)})`}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      {warning && <p className="notice warn small" data-testid="batch-shifted">{warning}</p>}
    </section>
  );
}
