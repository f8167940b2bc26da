// The figures that follow the slider: counts, precision/recall/F1 and the confusion matrix.
import { formatNumber, formatPercent } from '../components/format';
import type { ThresholdFigures as Figures } from './threshold-math';

export function ThresholdFiguresView({ f, labelled }: { f: Figures; labelled: boolean }) {
  return (
    <div className="stack">
      <dl className="stats big" aria-live="polite">
        <div><dt>Flagged</dt><dd data-testid="flagged-count">{formatNumber(f.flagged)}</dd><dd className="muted small">{formatPercent(f.total ? f.flagged / f.total : null)} of {formatNumber(f.total)}</dd></div>
        <div><dt>Uncertain (to review)</dt><dd data-testid="uncertain-count">{formatNumber(f.uncertain)}</dd></div>
        {labelled ? (
          <>
            <div><dt>Precision</dt><dd data-testid="precision">{formatPercent(f.precision)}</dd></div>
            <div><dt>Recall</dt><dd data-testid="recall">{formatPercent(f.recall)}</dd></div>
            <div><dt>F1</dt><dd data-testid="f1">{formatNumber(f.f1, 3)}</dd></div>
          </>
        ) : null}
      </dl>
      {labelled ? (
        <table className="confusion" aria-label="Confusion matrix">
          <thead>
            <tr><th /><th>Flagged</th><th>Not flagged</th></tr>
          </thead>
          <tbody>
            <tr><th>Defect</th><td className="tp"><span data-testid="tp">{formatNumber(f.tp)}</span><small>caught</small></td><td className="fn"><span data-testid="fn">{formatNumber(f.fn)}</span><small>missed</small></td></tr>
            <tr><th>Good</th><td className="fp"><span data-testid="fp">{formatNumber(f.fp)}</span><small>false alarms</small></td><td className="tn"><span data-testid="tn">{formatNumber(f.tn)}</span><small>passed</small></td></tr>
          </tbody>
        </table>
      ) : (
        <p className="muted small">No labels or reviews yet, so precision and recall cannot be computed. Review some flagged parts, or import folders named good / defect.</p>
      )}
    </div>
  );
}
