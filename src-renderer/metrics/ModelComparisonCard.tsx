// "Is the new model better?": this model against another of the project, on the parts both scored, with a
// known answer, that neither trained on; the answer in words says when those parts are too few to tell.
import { useState } from 'react';
import type { ModelSummary } from '../api/client';
import { useReloadOn, useRequest } from '../state/api-context';
import { ErrorNotice } from '../components/Notice';

export function ModelComparisonCard({ model, models, projectId }: { model: ModelSummary; models: ModelSummary[]; projectId: number | null }) {
  // Newest first: the usual question is the model just trained against the one before it.
  const others = models.filter((m) => m.id !== model.id && m.scoredCount > 0).sort((a, b) => b.id - a.id);
  const [picked, setPicked] = useState<number | null>(null);
  const otherId = others.some((m) => m.id === picked) ? picked : others.find((m) => m.id < model.id)?.id ?? others[0]?.id ?? null;
  const r = useRequest('metrics.compare', otherId !== null ? { modelId: model.id, otherId } : null);
  useReloadOn(projectId, ['scores', 'reviews'], r.reload);
  if (otherId === null) return null;
  return (
    <section className="card stack" aria-label="Compared with another model">
      <div className="row spread">
        <h3>Compared with another model</h3>
        <label className="picker">
          <span className="muted">Model</span>
          <select value={otherId} onChange={(e) => setPicked(Number(e.target.value))} aria-label="Model to compare with">
            {others.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
          </select>
        </label>
      </div>
      <ErrorNotice error={r.error} onRetry={r.reload} />
      {r.data ? <p className={r.data.settled ? '' : 'muted'} data-testid="model-comparison">{r.data.text}</p> : <p className="muted small">Comparing…</p>}
    </section>
  );
}
