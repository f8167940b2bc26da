// Images imported after the model scored (the next day's parts) are not in the ranking until it scores
// them: say how many, and score them from here (Results, and the Library after an import).
import { useState } from 'react';
import type { ModelSummary } from '../api/client';
import { useApi } from '../state/api-context';
import { isActive, jobFor, useWorkspace } from '../state/workspace';
import { ErrorNotice } from './Notice';
import { formatNumber } from './format';
import { isReady } from './model-text';

export function UnscoredNotice({ model }: { model: ModelSummary }) {
  const client = useApi();
  const ws = useWorkspace();
  const [error, setError] = useState<unknown>(null);
  const n = model.unscoredCount;
  if (!n || !isReady(model.status)) return null;
  const images = `${formatNumber(n)} image${n === 1 ? '' : 's'}`;
  if (isActive(jobFor(ws.jobs, 'score', model.id))) {
    return <div className="notice info" role="status">Scoring: {images} of this project {n === 1 ? 'is' : 'are'} not in the ranking yet.</div>;
  }
  const score = async () => {
    setError(null);
    try {
      await client.call('scoring.start', { modelId: model.id, scope: 'missing' });
      ws.reloadModels();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <div className="notice info" role="status">
        {images} of this project {n === 1 ? 'is' : 'are'} not scored by {model.name} yet, so {n === 1 ? 'it is' : 'they are'} not in its ranking.{' '}
        <button className="primary" onClick={score}>Score {n === 1 ? 'it' : 'them'}</button>
      </div>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
    </>
  );
}
