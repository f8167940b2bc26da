// A backup of the whole library (every project's reviews, thresholds, scores and models' records) taken while it
// runs: the desktop app saves it through a dialog, a browser downloads it. A nightly script uses the CLI's `backup`.
// Beside it the library's review history as CSV: every project's, those of deleted projects and removed folders too.
import { useState } from 'react';
import type { LibraryBackupResult } from '../api/client';
import { useApi } from '../state/api-context';
import { ErrorNotice } from '../components/Notice';
import { downloadText } from '../components/download';
import { formatNumber } from '../components/format';

export function BackupCard() {
  const client = useApi();
  const web = client.mode === 'web';
  const [saved, setSaved] = useState<LibraryBackupResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [trail, setTrail] = useState<number | null>(null);
  const downloadTrail = async () => {
    setError(null);
    try {
      const out = await client.call('export.reviews', { format: 'csv' });
      downloadText(out.filename, out.mime, out.text);
      setTrail(out.rows);
    } catch (e) {
      setError(e);
    }
  };
  const save = async () => {
    setError(null);
    setSaved(null);
    setBusy(true);
    try {
      const r = await client.call('library.backup');
      if (!r.available) throw new Error(r.message);
      if (r.path) setSaved(r);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-label="Backup">
      <h2>Back up the library</h2>
      <p className="muted small">
        One file holds every project&rsquo;s reviews (and who made them), thresholds, scores and model records. A copy of it is
        safe to take while the app runs and trains. For a nightly copy: <code>ganomaly-inspector backup --db &lt;library&gt; --to &lt;file&gt;</code>;
        to put one back, close the app and run <code>ganomaly-inspector restore --db &lt;library&gt; --from &lt;file&gt;</code>.
      </p>
      <div className="row">
        {web ? (
          <a className="button" href="/download/library.sqlite" download>Download a backup</a>
        ) : (
          <button onClick={save} disabled={busy}>{busy ? 'Backing up…' : 'Save a backup…'}</button>
        )}
        <button className="ghost" onClick={downloadTrail}
          title="Every review of every project as it was made (decision or undo, when, by whom, note), deleted projects and removed folders included">
          Download every project&rsquo;s review history (CSV)
        </button>
      </div>
      {trail !== null ? <p className="small" role="status">Saved the review history: {formatNumber(trail)} reviews.</p> : null}
      {saved ? (
        <p className="small" role="status" data-testid="backup-saved">
          Saved <code>{saved.path}</code>: {saved.held}. The models&rsquo; weights are files in <code>{saved.modelsDir}</code>: copy that folder as it is.
        </p>
      ) : null}
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
    </section>
  );
}
