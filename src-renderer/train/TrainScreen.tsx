// Train: options with the engine's defaults, the backend stated up front, live progress, the models.
import { useEffect, useState } from 'react';
import type { ModelSummary } from '../api/client';
import { useApi, useReloadOn, useRequest } from '../state/api-context';
import { isActive, jobFor, useWorkspace } from '../state/workspace';
import { EmptyState, ErrorNotice } from '../components/Notice';
import { TrainForm } from './TrainForm';
import { TrainingProgress, progressDetail } from './TrainingProgress';
import { ProgressBar } from '../components/ProgressBar';
import { ModelsTable } from './ModelsTable';
import { ModelDetailView } from './ModelDetailView';
import { ImportModelForm } from './ImportModelForm';

export function TrainScreen() {
  const client = useApi();
  const ws = useWorkspace();
  const backend = useRequest('backend.info', {});
  // What training would use is the main side's rule (jobs/training-set), asked, not re-derived here.
  const trainingSet = useRequest('training.set', ws.projectId ? { projectId: ws.projectId } : null);
  useReloadOn(ws.projectId, ['images', 'reviews'], trainingSet.reload);
  const [error, setError] = useState<unknown>(null);
  const [dismissedJob, setDismissedJob] = useState<number | null>(null);
  const training = jobFor(ws.jobs, 'train', null);
  const activeTraining = isActive(training) && training?.projectId === ws.projectId ? training : null;
  const scoring = jobFor(ws.jobs, 'score', null);
  const activeScoring = isActive(scoring) && scoring?.projectId === ws.projectId ? scoring : null;

  // A training that starts becomes the chosen model once, so its results follow it everywhere. Only when
  // it starts: the user may pick another model while it runs (ws is a new object each render).
  const trainingModelId = activeTraining?.modelId ?? null;
  const { setModelId } = ws;
  useEffect(() => {
    if (trainingModelId) setModelId(trainingModelId);
  }, [trainingModelId, setModelId]);

  const start = async (options: Record<string, unknown>, name: string) => {
    if (!ws.projectId) return;
    setError(null);
    try {
      const r = await client.call('training.start', { projectId: ws.projectId, options, ...(name ? { name } : {}) });
      if (r.modelId) ws.setModelId(r.modelId);
      ws.reloadModels();
    } catch (e) {
      setError(e);
    }
  };

  const b = backend.data;
  const set = trainingSet.data;
  return (
    <div className="stack">
      <div className="screen-head">
        <h1>Train</h1>
        <p className="muted">
          {b ? (
            <>
              Training runs on <strong>{b.gpu ? 'the GPU' : 'the CPU'}</strong> ({b.name}
              {b.gpu ? '' : `, ${b.threads} thread${b.threads === 1 ? '' : 's'}`}). <span className="small">{b.detail}</span>
            </>
          ) : backend.error ? (
            'The training backend could not be determined.'
          ) : (
            'Checking the training backend…'
          )}
        </p>
      </div>
      <ErrorNotice error={error ?? backend.error} onDismiss={() => setError(null)} />
      {training && training.status === 'failed' && training.projectId === ws.projectId && dismissedJob !== training.jobId ? (
        <ErrorNotice
          error={`Training failed: ${training.message || 'no reason given'}. Fix what it names (a smaller batch or image size if memory ran out), then train again or resume the model.`}
          onDismiss={() => setDismissedJob(training.jobId)}
        />
      ) : null}
      <ErrorNotice error={trainingSet.error} onRetry={trainingSet.reload} />
      {set && set.count === 0 ? (
        <EmptyState title="No images to train on" action={<a className="button" href="#/library">Go to Library</a>}>
          GANomaly learns what good parts look like. Import a folder of good parts (named <code>good</code> or <code>train/good</code>), or
          unlabelled images, which are taken as good parts while nothing is labelled good. Images of a test split are never trained on.
        </EmptyState>
      ) : null}
      {activeScoring ? (
        <section className="card" aria-live="polite">
          <ProgressBar value={activeScoring.progress} label={`Scoring with ${ws.models.find((m) => m.id === activeScoring.modelId)?.name ?? 'a model'}`} detail={progressDetail(activeScoring)} />
        </section>
      ) : null}
      {activeTraining ? (
        <TrainingProgress job={activeTraining} onCancel={() => activeTraining.modelId && client.call('training.cancel', { modelId: activeTraining.modelId }).catch(setError)} />
      ) : set && set.count > 0 && ws.projectId ? (
        <TrainForm projectId={ws.projectId} trainingSet={set} lastModel={newestModel(ws.models)} onStart={start} />
      ) : null}
      <section className="card">
        <h2>Models</h2>
        {ws.models.length === 0 ? (
          <p className="muted">No models yet. Set the options above and press Train, or import one trained elsewhere.</p>
        ) : (
          <ModelsTable models={ws.models} selectedId={ws.model?.id ?? null} onSelect={(id) => ws.setModelId(id)} />
        )}
        {ws.projectId ? <ImportModelForm projectId={ws.projectId} /> : null}
      </section>
      {ws.model ? <ModelDetailView key={ws.model.id} model={ws.model} training={!!activeTraining && activeTraining.modelId === ws.model.id} /> : null}
    </div>
  );
}

/** The project's newest model, whatever its state: a new one starts from its inspection region. */
function newestModel(models: ModelSummary[]): ModelSummary | null {
  return models.reduce<ModelSummary | null>((newest, m) => (!newest || m.id > newest.id ? m : newest), null);
}
