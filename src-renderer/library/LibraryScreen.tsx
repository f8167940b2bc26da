// Library: bring images in (drop, dialog, folder upload or typed path), watch the import, see what is there.
import { useRef, useState } from 'react';
import type { Label } from '../api/client';
import { useApi, useReloadOn, useRequest } from '../state/api-context';
import { useWorkspace } from '../state/workspace';
import { EmptyState, ErrorNotice, describeError } from '../components/Notice';
import { ProgressBar } from '../components/ProgressBar';
import { formatDuration, formatNumber } from '../components/format';
import { filesFromInput } from './upload/collect';
import { parsePathField } from './drop';
import { useImportState } from './import-state';
import { ImportSummaryView } from './ImportSummaryView';
import { ThumbnailGrid } from './ThumbnailGrid';
import { FoldersCard } from './FoldersCard';
import { BackupCard } from './BackupCard';
import { UnscoredNotice } from '../components/UnscoredNotice';

export function LibraryScreen({ dropHint, onDismissHint }: { dropHint: string | null; onDismissHint: () => void }) {
  const { projectId, models, modelsLoaded, model } = useWorkspace();
  const imp = useImportState();
  const counts = useRequest('library.counts', projectId ? { projectId } : null);
  useReloadOn(projectId, ['images'], counts.reload);
  const c = counts.data;

  return (
    <div className="stack">
      <div className="screen-head">
        <h1>Library</h1>
        <p className="muted">Drop folders of part images anywhere on this window, or give their path below.</p>
      </div>
      <ImportPanel />
      {dropHint ? <div className="notice info" role="status">{dropHint} <button className="ghost" onClick={onDismissHint}>OK</button></div> : null}
      <ErrorNotice error={imp.error} onDismiss={imp.clearError} />
      {imp.upload?.running ? <UploadProgressView /> : null}
      {imp.upload && !imp.upload.running && (imp.upload.refused.length > 0 || imp.upload.ignored > 0 || imp.upload.modelFolders.length > 0) ? <UploadRefusals /> : null}
      {imp.jobId !== null || (imp.progress && !imp.progress.done) ? <ImportProgressView /> : null}
      <ImportSummaryView importId={imp.lastImportId} />
      <ErrorNotice error={counts.error} onRetry={counts.reload} />
      {c && c.total === 0 && !imp.running ? (
        <EmptyState title="No images yet">
          Import a folder of parts to begin. Folder names set the labels: <code>good</code>, <code>ok</code> are good;
          <code> defect</code>, <code>ng</code>, <code>bad</code> or any named defect under <code>test/</code> are defective. Training uses
          the good images (of <code>train/</code> when present).
        </EmptyState>
      ) : null}
      {c && c.byLabel.good > 0 && modelsLoaded && models.length === 0 && !imp.running ? (
        <div className="notice info" role="status">
          <span>Next: train a model on the good images, then score them all.</span>
          <a className="button primary" href="#/train">Train a model</a>
        </div>
      ) : null}
      {model && model.scoredCount > 0 && !imp.running ? <UnscoredNotice model={model} /> : null}
      {c && c.total > 0 ? <CountsTable counts={c} /> : null}
      {c && c.total > 0 && projectId && !imp.running ? <FoldersCard projectId={projectId} /> : null}
      {c && c.total > 0 && projectId ? <ThumbnailGrid projectId={projectId} /> : null}
      {c && c.total > 0 ? <BackupCard /> : null}
    </div>
  );
}

function ImportPanel() {
  const client = useApi();
  const imp = useImportState();
  const [text, setText] = useState('');
  const [pickMessage, setPickMessage] = useState<string | null>(null);
  const folderInput = useRef<HTMLInputElement | null>(null);
  const submit = () => {
    const paths = parsePathField(text);
    void imp.start(paths);
  };
  const pick = async () => {
    setPickMessage(null);
    try {
      const r = await client.call('dialog.pickPaths', { kind: 'folders', title: 'Folders of part images' });
      if (!r.available) setPickMessage(r.message ?? 'No folder dialog here: type the path in the field.');
      else if (r.paths.length) void imp.start(r.paths);
    } catch (e) {
      setPickMessage(describeError(e));
    }
  };
  return (
    <section className="card">
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label className="grow">
          <span className="sr-only">Folder or image paths</span>
          <input
            type="text"
            name="paths"
            placeholder="/path/to/parts  (several: separate with ;)"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-label="Folder or image paths"
            spellCheck={false}
          />
        </label>
        <button type="submit" className="primary" disabled={imp.running || parsePathField(text).length === 0}>
          Import
        </button>
        {client.mode === 'electron' ? (
          <button type="button" onClick={pick} disabled={imp.running}>
            Choose folders…
          </button>
        ) : null}
        {imp.canUpload && client.mode === 'web' ? (
          <>
            <button type="button" onClick={() => folderInput.current?.click()} disabled={imp.running}>
              Choose folder…
            </button>
            <input
              type="file"
              multiple
              hidden
              aria-label="Folder to upload"
              data-testid="folder-input"
              // React has no prop for it: the attribute makes the chooser pick a whole folder.
              ref={(el) => {
                folderInput.current = el;
                el?.setAttribute('webkitdirectory', '');
              }}
              onChange={(e) => {
                const files = filesFromInput(e.currentTarget.files ?? []);
                e.currentTarget.value = ''; // choosing the same folder again must fire again
                if (files.length) void imp.startUpload(files);
              }}
            />
          </>
        ) : null}
      </form>
      {pickMessage ? <div className="muted small">{pickMessage}</div> : null}
    </section>
  );
}

function ImportProgressView() {
  const { progress: p, cancel, jobId } = useImportState();
  const detail = p
    ? `${formatNumber(p.seen)} seen · ${formatNumber(p.imported)} imported · ${formatNumber(p.duplicates)} duplicates · ${formatNumber(p.skipped)} already known ·${p.masks ? ` ${formatNumber(p.masks)} skipped: masks ·` : ''}${p.notFiles ? ` ${formatNumber(p.notFiles)} skipped: not files ·` : ''} ${formatNumber(p.failed)} failed · ${formatNumber(p.imagesPerSecond, 1)} images/s`
    : 'Starting…';
  return (
    <section className="card" aria-live="polite">
      <ProgressBar value={null} label="Importing" detail={detail} />
      {jobId ? (
        <button className="ghost" onClick={cancel}>
          Cancel import
        </button>
      ) : null}
    </section>
  );
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function UploadProgressView() {
  const { upload: u, cancelUpload } = useImportState();
  if (!u) return null;
  const value = u.bytesTotal > 0 ? u.bytesDone / u.bytesTotal : u.filesTotal > 0 ? u.filesDone / u.filesTotal : null;
  const detail =
    u.filesTotal === 0
      ? 'Reading the dropped folders…'
      : `${formatNumber(u.filesDone)} of ${formatNumber(u.filesTotal)} files · ${megabytes(u.bytesDone)} of ${megabytes(u.bytesTotal)}` +
        ` (${megabytes(u.bytesSent)} sent) · ${formatNumber(u.imagesPerSecond, 2)} images/s · ${u.etaSeconds === null ? 'estimating time left' : `${formatDuration(u.etaSeconds)} left`}`;
  return (
    <section className="card" aria-live="polite" aria-label="Upload">
      <ProgressBar value={value} label="Uploading" detail={detail} />
      <button className="ghost" onClick={cancelUpload}>
        Cancel upload
      </button>
    </section>
  );
}

function UploadRefusals() {
  const { upload: u } = useImportState();
  if (!u) return null;
  return (
    <section className="card" aria-label="Upload problems">
      {u.modelFolders.length > 0 ? (
        <div className="notice info" role="note">
          <span>
            {u.modelFolders.map((f) => `\u201c${f}\u201d`).join(', ')} {u.modelFolders.length === 1 ? 'is a model\u2019s folder' : 'are models\u2019 folders'} (model.json), not
            parts: bring {u.modelFolders.length === 1 ? 'it' : 'them'} in under Train, <em>Import a model trained elsewhere&hellip;</em>, Upload folder&hellip;
          </span>
        </div>
      ) : null}
      {u.ignored > 0 ? (
        <div className="muted small">
          {formatNumber(u.ignored)} file{u.ignored === 1 ? '' : 's'} in the dropped folders {u.ignored === 1 ? 'is' : 'are'} not an image or hidden, and {u.ignored === 1 ? 'was' : 'were'} not sent.
        </div>
      ) : null}
      {u.refused.length > 0 ? (
        <details open={u.refused.length <= 20}>
          <summary>
            {formatNumber(u.refused.length)} file{u.refused.length === 1 ? ' was' : 's were'} not uploaded
          </summary>
          <table className="list-table">
            <thead><tr><th>File</th><th>Why</th></tr></thead>
            <tbody>
              {u.refused.slice(0, 200).map((f, i) => (
                <tr key={i}>
                  <td className="path">{f.path}</td>
                  <td className="muted">{f.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </section>
  );
}

function CountsTable({ counts }: { counts: NonNullable<ReturnType<typeof useRequest<'library.counts'>>['data']> }) {
  const cell = (label: string | null, split: string | null) =>
    counts.cells.filter((x) => x.label === label && x.split === split).reduce((n, x) => n + x.count, 0);
  const labels: Array<[string | null, string]> = [['good', 'Good'], ['defect', 'Defect'], [null, 'Unlabelled']];
  const splits: Array<[string | null, string]> = [['train', 'Train'], ['test', 'Test'], [null, 'No split']];
  return (
    <section className="card">
      <div className="row spread">
        <h2>{formatNumber(counts.total)} images</h2>
        {counts.missing > 0 ? <span className="badge warn">{formatNumber(counts.missing)} missing on disk</span> : null}
      </div>
      <table className="grid-table" aria-label="Images by label and split">
        <thead>
          <tr>
            <th />
            {splits.map(([, name]) => <th key={name}>{name}</th>)}
            <th>All</th>
          </tr>
        </thead>
        <tbody>
          {labels.map(([label, name]) => (
            <tr key={name}>
              <th>{name}</th>
              {splits.map(([split, sname]) => <td key={sname} className="num">{formatNumber(cell(label, split))}</td>)}
              <td className="num strong">{formatNumber(counts.byLabel[label === null ? 'unlabeled' : (label as Label)])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {counts.uploaded.images > 0 ? (
        <p className="muted small" data-testid="uploaded-copies">
          {formatNumber(counts.uploaded.images)} of these are uploaded copies kept by the library (in its data folder, {megabytes(counts.uploaded.bytes)} on disk):
          moving or deleting the originals does not affect them.
        </p>
      ) : null}
    </section>
  );
}
