// Compare: opened from a ranking row; without one it shows the most anomalous image.
import { useRequest } from '../state/api-context';
import { useWorkspace } from '../state/workspace';
import { EmptyState, ErrorNotice } from '../components/Notice';
import { CompareView } from '../components/CompareView';

export function CompareScreen({ imageId }: { imageId: number | null }) {
  const ws = useWorkspace();
  const model = ws.model;
  const top = useRequest('results.ranking', model && model.scoredCount > 0 && !imageId ? { modelId: model.id, limit: 1 } : null);
  if (!model || model.scoredCount === 0) {
    return (
      <EmptyState title="Nothing to compare yet" action={<a className="button primary" href="#/train">Train a model</a>}>
        Compare shows an image beside the model's reconstruction once images are scored.
      </EmptyState>
    );
  }
  const id = imageId ?? top.data?.items[0]?.id ?? null;
  return (
    <div className="stack">
      <div className="screen-head row spread">
        <h1>Compare</h1>
        <a href="#/results" className="button ghost">← Back to results</a>
      </div>
      <ErrorNotice error={top.error} onRetry={top.reload} />
      {id ? <CompareView modelId={model.id} imageId={id} /> : <p className="muted">Loading…</p>}
    </div>
  );
}
