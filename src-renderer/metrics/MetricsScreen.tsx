// Metrics (when labels or reviews give both classes): AUROC, average precision, ROC and PR curves, each
// figure beside the model-free baseline's on the same parts (what the model has to beat), and that comparison
// in words; per kind of defect when there are several; against another model of the project. A warning when the
// parts were captured unlike the training images (they differ as a whole), which no figure shows by itself.
import { signedLead, type MetricsResult, type Verdict } from '../api/client';
import { useReloadOn, useRequest } from '../state/api-context';
import { useWorkspace } from '../state/workspace';
import { EmptyState, ErrorNotice } from '../components/Notice';
import { formatNumber, formatPercent } from '../components/format';
import { CurveChart } from './CurveChart';
import { DefectKindTable } from './DefectKindTable';
import { ModelComparisonCard } from './ModelComparisonCard';
import { shiftWarningOf, verdictOf } from '../components/verdict-of';

export function MetricsScreen() {
  const ws = useWorkspace();
  const model = ws.model;
  const m = useRequest('metrics.get', model && model.scoredCount > 0 ? { modelId: model.id } : null);
  useReloadOn(ws.projectId, ['scores', 'reviews', 'thresholds'], m.reload);
  if (!model || model.scoredCount === 0) {
    return (
      <EmptyState title="No metrics yet" action={<a className="button primary" href="#/train">Train and score a model</a>}>
        Metrics compare the model's scores with known good and defective parts.
      </EmptyState>
    );
  }
  if (m.error) return <ErrorNotice error={m.error} onRetry={m.reload} />;
  const d = m.data;
  if (!d) return <p className="muted">Computing metrics…</p>;
  if (!d.available) {
    return (
      <EmptyState title="Metrics need good and defective examples" action={<a className="button" href="#/review">Review flagged parts</a>}>
        {d.reason ?? 'No labels yet.'} Import folders named good and defect, or mark parts in Review.
      </EmptyState>
    );
  }
  return (
    <div className="stack">
      <div className="screen-head">
        <h1>Metrics</h1>
        <p className="muted">
          {model.name}: {formatNumber(d.positives)} defective and {formatNumber(d.negatives)} good parts with a known answer (reviews override folder labels).
        </p>
      </div>
      <dl className="stats big">
        <div>
          <dt>AUROC</dt><dd data-testid="auroc">{formatNumber(d.auroc, 3)}</dd>
          <dd className="muted small">{['0.5 = chance, 1 = perfect ranking', baseline(d.baseline?.auroc), leadText(d)].filter(Boolean).join('; ')}</dd>
        </div>
        <div><dt>Average precision</dt><dd>{formatNumber(d.averagePrecision, 3)}</dd><dd className="muted small">{baseline(d.baseline?.averagePrecision)}</dd></div>
        {d.bestF1 ? (
          <div>
            <dt>Best F1</dt><dd>{formatNumber(d.bestF1.f1, 3)}</dd>
            <dd className="muted small">at {formatNumber(d.bestF1.threshold, 4)}: precision {formatPercent(d.bestF1.precision)}, recall {formatPercent(d.bestF1.recall)}</dd>
            {d.heldOutF1 ? (
              <dd className="muted small" data-testid="held-out-f1" title="Each fold of the parts judged by the best-F1 threshold of the other folds: what a threshold chosen on these parts does on new ones">
                on parts it was not chosen on ({d.heldOutF1.folds} folds): {formatNumber(d.heldOutF1.f1, 3)}
              </dd>
            ) : null}
          </div>
        ) : null}
      </dl>
      <VerdictNotice verdict={verdictOf(d)} />
      <ShiftNotice text={shiftWarningOf(d)} />
      <DefectKindTable rows={d.byDefectKind} goodParts={d.negatives} />
      <ModelComparisonCard model={model} models={ws.models} projectId={ws.projectId} />
      <div className="two-col">
        <section className="card">
          <h3>ROC curve</h3>
          <CurveChart x={d.roc.map((p) => p.fpr)} y={d.roc.map((p) => p.tpr)} xLabel="false positive rate" yLabel="true positive rate" ariaLabel="ROC curve" diagonal />
        </section>
        <section className="card">
          <h3>Precision–recall curve</h3>
          <CurveChart x={d.pr.map((p) => p.recall)} y={d.pr.map((p) => p.precision)} xLabel="recall" yLabel="precision" ariaLabel="Precision-recall curve" />
        </section>
      </div>
    </div>
  );
}

/** "model-free baseline 0.762" (the same figure of the baseline score on the same parts), or nothing. */
function baseline(value: number | undefined): string {
  return value === undefined ? '' : `model-free baseline ${formatNumber(value, 3)}`;
}

/** "lead +0.181, 95 % interval +0.138 to +0.224" (DeLong, on these parts), or nothing when it cannot be given. */
function leadText(d: MetricsResult): string {
  const lead = d.baseline?.lead;
  if (d.auroc === null || !d.baseline || lead?.low == null || lead.high == null) return '';
  return `lead ${signedLead(d.auroc - d.baseline.auroc)}, 95 % interval ${signedLead(lead.low)} to ${signedLead(lead.high)}`;
}

/** Whether the model earns its place on these parts: a warning unless it clearly beats the baseline on enough parts to tell. */
function VerdictNotice({ verdict: v }: { verdict: Verdict | null }) {
  if (!v) return null;
  const fine = v.kind === 'clear' && v.settled !== false;
  return <p className={`notice ${fine ? 'info' : 'warn'}`} data-testid="baseline-verdict" data-kind={v.kind} data-settled={String(v.settled)}>{v.text}</p>;
}

/** Parts that mostly differ from the good parts as a whole: the figures above may measure the capture. */
function ShiftNotice({ text }: { text: string | null }) {
  return text ? <p className="notice warn" data-testid="shift-warning">{text}</p> : null;
}
