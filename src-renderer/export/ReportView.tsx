// The one-page report, shown as it will print. Print uses the app's print stylesheet (only the
// report prints); the HTML download embeds the histogram as an image taken from the uPlot canvas.
import { useMemo, useRef, useState } from 'react';
import type { ModelSummary } from '../api/client';
import { useRequest } from '../state/api-context';
import { useWorkspace } from '../state/workspace';
import { ErrorNotice } from '../components/Notice';
import { ScoreHistogram, type Marker } from '../components/ScoreHistogram';
import { formatNumber, formatScore } from '../components/format';
import { histogram, scoreSetOf } from '../api/client';
import { shiftWarningOf, verdictOf } from '../components/verdict-of';
import { cropText, optionsLine, thresholdSourceText } from '../components/model-text';
import { downloadText } from '../components/download';
import { decisionWords } from '../components/decision-words';
import { reportHtml, reportScoreDigits, type ReportData } from './report-html';

export function ReportView({ model }: { model: ModelSummary }) {
  const ws = useWorkspace();
  const modelId = model.id;
  const scores = useRequest('results.scores', { modelId });
  const th = useRequest('thresholds.get', { modelId });
  // Counts need a saved threshold; without one the report says so instead of failing.
  const hasThreshold = !!th.data?.current;
  const counts = useRequest('results.counts', hasThreshold ? { modelId } : null);
  const metrics = useRequest('metrics.get', { modelId });
  const top = useRequest('results.ranking', { modelId, limit: 20 });
  const chartHost = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<unknown>(null);

  const hist = useMemo(() => (scores.data ? histogram(scoreSetOf(scores.data), 50) : null), [scores.data]);
  const current = th.data?.current ?? null;
  const markers = useMemo<Marker[]>(() => (current ? [{ value: current.value, colour: '#d9534f', label: 'threshold' }, ...(current.lower !== null ? [{ value: current.lower, colour: '#d97706', label: 'uncertain', dashed: true }] : [])] : []), [current]);

  const failed = scores.error ?? th.error ?? counts.error ?? metrics.error ?? top.error;
  if (failed) return <ErrorNotice error={failed} />;
  if (!scores.data || !th.data || (hasThreshold && !counts.data) || !metrics.data || !top.data || !hist) return <p className="muted">Preparing the report…</p>;

  const m = metrics.data;
  const data: ReportData = {
    title: `Inspection report — ${model.name}`,
    project: ws.projects.find((p) => p.id === ws.projectId)?.name ?? '',
    model: {
      name: model.name, scoreKind: model.scoreKind, options: `${optionsLine(model.options)} · ${cropText(model.patchScale, model.options.isize)}`, datasetSize: model.datasetSize,
      backend: model.backend ? `${model.backend.name} (${model.backend.gpu ? 'GPU' : 'CPU'})` : '—', trainedSeconds: model.trainingSeconds,
    },
    generatedAt: new Date().toLocaleString(),
    threshold: current ? { value: current.value, lower: current.lower, source: thresholdSourceText(current.source) } : null,
    counts: { total: scores.data.scores.length, flagged: counts.data?.flagged ?? 0, uncertain: counts.data?.uncertain ?? 0, reviewed: scores.data.decisions.filter(Boolean).length },
    confusion: counts.data?.confusion ?? null,
    metrics: m.available ? {
      auroc: m.auroc, averagePrecision: m.averagePrecision, bestF1: m.bestF1?.f1 ?? null, heldOutF1: m.heldOutF1?.f1 ?? null, baselineAuroc: m.baseline?.auroc ?? null,
      verdict: verdictOf(m)?.text ?? null, shiftWarning: shiftWarningOf(m),
    } : null,
    byDefectKind: m.byDefectKind,
    top: top.data.items.map((r) => ({ rank: r.rank, path: r.path, score: r.score, label: `${r.label ?? 'unlabelled'}${r.trained ? ', trained on' : ''}`, review: decisionWords(r.review) })),
  };
  const digits = reportScoreDigits(data);
  const save = () => {
    try {
      const canvas = chartHost.current?.querySelector('canvas');
      downloadText(`report-${model.name.replace(/[^\w.-]+/g, '_')}.html`, 'text/html', reportHtml(data, canvas ? canvas.toDataURL('image/png') : null));
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section className="card report" aria-label="Report">
      <div className="row spread no-print">
        <h2>One-page report</h2>
        <div className="row">
          <button onClick={save}>Download HTML report</button>
          <button onClick={() => window.print()}>Print / save as PDF</button>
        </div>
      </div>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      <h2 className="print-only">{data.title}</h2>
      <p className="muted small">{data.project} · {data.model.options} · {data.model.scoreKind} · {data.generatedAt}</p>
      <dl className="stats">
        <div><dt>Threshold</dt><dd>{current ? formatScore(current.value, digits) : 'not set'}</dd></div>
        <div><dt>Scored</dt><dd>{formatNumber(data.counts.total)}</dd></div>
        <div><dt>Flagged</dt><dd>{formatNumber(data.counts.flagged)}</dd></div>
        <div><dt>Uncertain</dt><dd>{formatNumber(data.counts.uncertain)}</dd></div>
        <div><dt>Reviewed</dt><dd>{formatNumber(data.counts.reviewed)}</dd></div>
        {data.metrics ? <div><dt>AUROC</dt><dd>{formatNumber(data.metrics.auroc, 3)}</dd></div> : null}
      </dl>
      <div ref={chartHost}>
        <ScoreHistogram hist={hist} markers={markers} height={200} ariaLabel="Report histogram" />
      </div>
      {data.metrics?.verdict ? <p className="small">{data.metrics.verdict}</p> : null}
      <ReportTables data={data} />
    </section>
  );
}

/** The same tables the HTML file has, so printing the screen gives the full page too. */
function ReportTables({ data }: { data: ReportData }) {
  const digits = reportScoreDigits(data);
  const c = data.confusion;
  return (
    <>
      <div className="two-col">
        <table className="list-table compact" aria-label="Model">
          <tbody>
            <tr><th>Trained on</th><td>{formatNumber(data.model.datasetSize)} images · {data.model.backend}</td></tr>
            {data.metrics ? <tr><th>AUROC / AP / best F1</th><td>{formatNumber(data.metrics.auroc)} / {formatNumber(data.metrics.averagePrecision)} / {formatNumber(data.metrics.bestF1)}</td></tr> : null}
            {data.metrics?.baselineAuroc != null ? <tr><th>Model-free baseline AUROC</th><td>{formatNumber(data.metrics.baselineAuroc)}</td></tr> : null}
            {data.threshold?.lower !== null && data.threshold ? <tr><th>Uncertain band from</th><td>{formatNumber(data.threshold.lower, 4)}</td></tr> : null}
          </tbody>
        </table>
        {c ? (
          <table className="list-table compact" aria-label="At the threshold">
            <thead><tr><th /><th className="num">Flagged</th><th className="num">Not flagged</th></tr></thead>
            <tbody>
              <tr><th>Defect</th><td className="num">{formatNumber(c.tp)}</td><td className="num">{formatNumber(c.fn)}</td></tr>
              <tr><th>Good</th><td className="num">{formatNumber(c.fp)}</td><td className="num">{formatNumber(c.tn)}</td></tr>
            </tbody>
          </table>
        ) : (
          <p className="muted small">No confusion matrix: {data.threshold ? 'no labels or reviews yet.' : 'save a threshold first.'}</p>
        )}
      </div>
      <h3>Most anomalous parts</h3>
      <table className="list-table compact" aria-label="Most anomalous parts">
        <thead><tr><th className="num">#</th><th>Image</th><th>Label</th><th>Review</th><th className="num">Score</th></tr></thead>
        <tbody>
          {data.top.map((t) => (
            <tr key={t.rank}><td className="num">{t.rank}</td><td className="path">{t.path}</td><td>{t.label}</td><td>{t.review}</td><td className="num">{formatScore(t.score, digits)}</td></tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
