// Export: results as CSV or JSON, and a one-page report to save as HTML or print to PDF.
import { useState } from 'react';
import type { ExportFormat, ExportText } from '../api/client';
import { useApi } from '../state/api-context';
import { useWorkspace } from '../state/workspace';
import { EmptyState, ErrorNotice } from '../components/Notice';
import { formatNumber } from '../components/format';
import { downloadText } from '../components/download';
import { ReportView } from './ReportView';

export function ExportScreen() {
  const client = useApi();
  const ws = useWorkspace();
  const model = ws.model;
  const [busy, setBusy] = useState<string | null>(null);
  // Tagged with its model: an export of the previous model must not show as this one's.
  const [done, setDone] = useState<{ modelId: number; out: ExportText } | null>(null);
  const [error, setError] = useState<unknown>(null);

  if (!model || model.scoredCount === 0) {
    return (
      <EmptyState title="Nothing to export yet" action={<a className="button primary" href="#/train">Train and score a model</a>}>
        Exports list every scored image with its label, scores, flag and latest review.
      </EmptyState>
    );
  }
  const last = done && done.modelId === model.id ? done.out : null;
  // 'reviews': the project's review trail (every decision and undo, when and by whom), for an audit.
  const exportAs = async (format: ExportFormat | 'reviews') => {
    setBusy(format);
    setError(null);
    try {
      const out = format === 'reviews'
        ? await client.call('export.reviews', { projectId: model.projectId, format: 'csv' })
        : await client.call('export.results', { modelId: model.id, format });
      setDone({ modelId: model.id, out });
      downloadText(out.filename, out.mime, out.text);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="stack">
      <div className="screen-head no-print">
        <h1>Export</h1>
        <p className="muted">Every scored image of {model.name}: path, label, raw and calibrated score, flag at the saved threshold, latest review and note, and whether the model trained on it.</p>
      </div>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      <section className="card no-print">
        <div className="row">
          <button className="primary" onClick={() => exportAs('csv')} disabled={busy !== null}>{busy === 'csv' ? 'Exporting…' : 'Download CSV'}</button>
          <button onClick={() => exportAs('json')} disabled={busy !== null}>{busy === 'json' ? 'Exporting…' : 'Download JSON'}</button>
          <button onClick={() => exportAs('reviews')} disabled={busy !== null} title="Every review of this project's parts as it was made: the decision or undo, when, by whom, with its note">
            {busy === 'reviews' ? 'Exporting…' : 'Download review history (CSV)'}
          </button>
        </div>
        {last ? (
          <div className="stack">
            <p className="muted small">
              Saved <strong>{last.filename}</strong>: {formatNumber(last.rows)} rows. First lines:
            </p>
            <pre className="preview" data-testid="export-preview">{last.text.split('\n').slice(0, 6).join('\n')}</pre>
          </div>
        ) : null}
      </section>
      {/* Keyed: a request whose input changes keeps its old answer until the new one arrives, and the
          report must not show one model's figures under another's name meanwhile. */}
      <ReportView key={model.id} model={model} />
    </div>
  );
}
