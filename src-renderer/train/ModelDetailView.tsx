// The chosen model: its curves, validation per epoch, and what to do next (resume, score, results).
import { useState } from 'react';
import { JOB_ENDINGS, type ModelSummary } from '../api/client';
import { useApi, useReloadOn, useRequest } from '../state/api-context';
import { isActive, jobFor, useWorkspace } from '../state/workspace';
import { ErrorNotice } from '../components/Notice';
import { formatDate, formatNumber } from '../components/format';
import { LossChart } from './LossChart';
import { seriesFromHistory } from './loss-series';
import { isReady } from '../components/model-text';
import { ValidationTable } from './ValidationTable';
import { RenameModelForm } from './RenameModelForm';
import { ModelOrigin } from './ModelOrigin';

const RESUMABLE = new Set<string>(JOB_ENDINGS.filter((s) => s !== 'done'));

export function ModelDetailView({ model, training }: { model: ModelSummary; training: boolean }) {
  const client = useApi();
  const ws = useWorkspace();
  const detail = useRequest('models.get', { modelId: model.id });
  // Read while the model trained, its history would stay empty after the run ends.
  useReloadOn(ws.projectId, ['models'], detail.reload);
  const [error, setError] = useState<unknown>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const scoring = jobFor(ws.jobs, 'score', model.id);
  const scoringNow = isActive(scoring);
  const d = detail.data;
  const run = async (f: () => Promise<unknown>) => {
    setError(null);
    try {
      await f();
      ws.reloadModels();
      detail.reload();
    } catch (e) {
      setError(e);
    }
  };

  // Not `run`: this model's details are gone afterwards; the workspace picks another model.
  const remove = async () => {
    setError(null);
    try {
      await client.call('models.delete', { modelId: model.id });
      ws.reloadModels();
    } catch (e) {
      setConfirmDelete(false);
      setError(e);
    }
  };

  return (
    <section className="card" aria-label="Selected model">
      <div className="row spread">
        {renaming ? <RenameModelForm model={model} onClose={() => setRenaming(false)} /> : <h2>{model.name}</h2>}
        <div className="row">
          {RESUMABLE.has(model.status) && !training ? (
            <button onClick={() => run(() => client.call('training.resume', { modelId: model.id }))}>Resume training</button>
          ) : null}
          {isReady(model.status) && !scoringNow && (model.scoredCount === 0 || model.unscoredCount > 0) ? (
            <button className="primary" onClick={() => run(() => client.call('scoring.start', { modelId: model.id, scope: model.scoredCount === 0 ? 'all' : 'missing' }))}>
              {model.scoredCount === 0 ? 'Score all images' : `Score ${formatNumber(model.unscoredCount)} new image${model.unscoredCount === 1 ? '' : 's'}`}
            </button>
          ) : null}
          {model.scoredCount > 0 ? <a className="button" href="#/results">Show results</a> : null}
          {!renaming ? <button className="ghost" onClick={() => setRenaming(true)}>Rename…</button> : null}
          {!training && !scoringNow ? <button className="ghost" onClick={() => setConfirmDelete(true)}>Delete model…</button> : null}
        </div>
      </div>
      {model.trainedOnRejected > 0 ? (
        <div className="notice warn" role="status">
          {formatNumber(model.trainedOnRejected)} image{model.trainedOnRejected === 1 ? '' : 's'} {model.name} trained or validated on {model.trainedOnRejected === 1 ? 'was' : 'were'} since
          reviewed defect or unsure. A new model leaves {model.trainedOnRejected === 1 ? 'it' : 'them'} out: train one to stop teaching {model.trainedOnRejected === 1 ? 'it' : 'them'} as good.
        </div>
      ) : null}
      <ModelOrigin model={model} />
      {confirmDelete ? (
        <div className="notice warn" role="alertdialog" aria-label="Delete model">
          Delete {model.name} with its {formatNumber(model.scoredCount)} scores, its threshold and its files? Reviews of parts stay. This cannot be undone.{' '}
          <button className="danger" onClick={remove}>Delete</button>{' '}
          <button onClick={() => setConfirmDelete(false)}>Keep it</button>
        </div>
      ) : null}
      <ErrorNotice error={error ?? detail.error} onDismiss={() => setError(null)} />
      {scoring && scoring.status === 'failed' ? <div className="notice error">Scoring failed: {scoring.message ?? 'no reason given'}. Try again; check that the images are still on disk.</div> : null}
      {d && d.history.length > 0 ? (
        <>
          <h3>Losses per epoch</h3>
          {d.history.length > 1 ? <LossChart series={seriesFromHistory(d.history)} height={200} /> : null}
          <h3>Validation per epoch</h3>
          <ValidationTable rows={d.history.map((h) => ({ epoch: h.epoch, figures: { ...h.validation, seconds: h.seconds } }))} kept={d.epochKept} scoreKind={d.scoreKind} />
        </>
      ) : (
        <p className="muted small">{training ? 'Training is under way.' : 'No epochs recorded yet.'}</p>
      )}
      {d && d.runs.length > 0 ? (
        <details>
          <summary>Training runs ({d.runs.length})</summary>
          <ul className="plain">
            {d.runs.map((r) => (
              <li key={r.id}>
                {formatDate(r.startedAt)} · <span className={`badge status-${r.status}`}>{r.status}</span>
                {r.error ? <span className="bad"> {r.error}</span> : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
