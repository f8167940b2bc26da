// What the last import did, and which files failed with why; its folders can be read again for the next
// batch of parts (a camera that keeps writing into the same folder): known files are skipped, new ones come in;
// or followed, so that happens every minute by itself.
import { useReloadOn, useRequest } from '../state/api-context';
import { useWorkspace } from '../state/workspace';
import { useImportState } from './import-state';
import { FollowControl } from './FollowControl';
import { ErrorNotice } from '../components/Notice';
import { formatDate, formatNumber } from '../components/format';
import { problemDetail } from '../api/client';

export function ImportSummaryView({ importId }: { importId: number | null }) {
  const { projectId } = useWorkspace();
  const imp = useImportState();
  const list = useRequest('import.list', projectId && !importId ? { projectId } : null);
  useReloadOn(projectId, ['images'], list.reload);
  const id = importId ?? list.data?.[0]?.id ?? null;
  const summary = useRequest('import.summary', id ? { importId: id, failuresLimit: 200 } : null);
  const s = summary.data;
  if (summary.error) return <ErrorNotice error={summary.error} onRetry={summary.reload} />;
  if (!s) return null;
  return (
    <section className="card" aria-label="Last import">
      <div className="row spread">
        <h2>Last import</h2>
        <div className="row">
          {!s.uploaded && s.status !== 'running' ? (
            <button onClick={() => void imp.start(s.roots)} disabled={imp.running} title="Imports these folders again: new and changed files come in, known ones are skipped">
              Look for new images
            </button>
          ) : null}
          <span className={`badge ${s.status === 'done' ? 'ok' : 'warn'}`}>{s.status}</span>
        </div>
      </div>
      <div className="muted small" title={s.roots.join('\n')}>
        {s.roots.join(' ; ')} · {formatDate(s.finishedAt ?? s.startedAt)}
      </div>
      {!s.uploaded && projectId ? <FollowControl projectId={projectId} importId={s.id} roots={s.roots} /> : null}
      <dl className="stats">
        <div><dt>Seen</dt><dd>{formatNumber(s.seen)}</dd></div>
        <div><dt>Imported</dt><dd>{formatNumber(s.imported)}</dd></div>
        <div><dt>Duplicates</dt><dd>{formatNumber(s.duplicates)}</dd></div>
        <div><dt>Already known</dt><dd>{formatNumber(s.skipped)}</dd></div>
        {s.masks ? <div><dt>Skipped: masks</dt><dd>{formatNumber(s.masks)}</dd></div> : null}
        {s.notFiles ? <div><dt>Skipped: not files</dt><dd title="named like images, but FIFOs, sockets or devices">{formatNumber(s.notFiles)}</dd></div> : null}
        <div><dt>Failed</dt><dd className={s.failed ? 'bad' : undefined}>{formatNumber(s.failed)}</dd></div>
      </dl>
      {s.failuresTotal > 0 ? (
        <details open={s.failuresTotal <= 20}>
          <summary>
            {formatNumber(s.failuresTotal)} file{s.failuresTotal === 1 ? '' : 's'} could not be imported
            {s.failuresTotal > s.failures.length ? ` (first ${s.failures.length} shown)` : ''}
          </summary>
          <table className="list-table">
            <thead><tr><th>File</th><th>Problem</th><th>Details</th></tr></thead>
            <tbody>
              {s.failures.map((f) => (
                <tr key={f.path}>
                  <td className="path">{f.path}</td>
                  <td><span className="badge bad">{f.kind}</span></td>
                  <td className="muted">{problemDetail(f.path, f.message)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </section>
  );
}
