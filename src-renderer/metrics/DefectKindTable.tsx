// Which kinds of defect the model finds and which it misses: one row per defect folder (MVTec test/<kind>),
// each kind ranked against every good part, beside the model-free baseline on the same parts. A kind the rule
// finds better, or one the threshold lets through, is what an engineer looks at next.
import type { DefectKindFigures } from '../api/client';
import { formatNumber } from '../components/format';
import { defectKindName } from '../components/model-text';

/** Under this many parts a kind's AUROC moves by a tenth with one part: said beside it. */
const FEW_PARTS = 5;

export function DefectKindTable({ rows, goodParts }: { rows: DefectKindFigures[]; goodParts: number }) {
  if (rows.length === 0) return null;
  const withThreshold = rows.some((r) => r.caught !== null);
  const withShift = rows.some((r) => r.shifted !== null);
  return (
    <section className="card">
      <h3>By kind of defect</h3>
      <p className="muted small">
        Each kind ranked against all {formatNumber(goodParts)} good parts (AUROC 1: every part of the kind scores above every good part).
      </p>
      <table className="list-table compact" aria-label="Figures by kind of defect">
        <thead>
          <tr>
            <th>Kind</th>
            <th className="num">Parts</th>
            <th className="num">AUROC</th>
            <th className="num">Model-free baseline</th>
            {withThreshold ? <th className="num">Flagged at the threshold</th> : null}
            {withShift ? <th className="num" title="Parts that differ from the good parts held out of training as a whole (far out in their range), not only at one spot">Differ as a whole</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const behind = r.baselineAuroc !== null && r.auroc < r.baselineAuroc;
            return (
              <tr key={r.kind ?? ''} data-testid="defect-kind-row" data-kind={r.kind ?? ''}>
                <td>{r.kind ?? <span className="muted">{defectKindName(null)}</span>}</td>
                <td className="num">
                  {formatNumber(r.parts)}
                  {r.parts < FEW_PARTS ? <span className="muted small"> (few: rough)</span> : null}
                </td>
                <td className="num">
                  {formatNumber(r.auroc, 3)}
                  {behind ? <span className="badge warn" title="The model-free rule ranks this kind better">below baseline</span> : null}
                </td>
                <td className="num">{formatNumber(r.baselineAuroc, 3)}</td>
                {withThreshold ? <td className="num">{r.caught === null ? '—' : `${formatNumber(r.caught)} of ${formatNumber(r.parts)}`}</td> : null}
                {withShift ? <td className="num">{r.shifted === null ? '—' : `${formatNumber(r.shifted)} of ${formatNumber(r.parts)}`}</td> : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
