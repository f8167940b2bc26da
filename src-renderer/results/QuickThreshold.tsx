// Before a model has a threshold nothing is flagged and the review queue is empty. One click saves the
// label-free start (the 99th percentile of the held-out good images' scores); the Threshold screen refines it.
import { useState } from 'react';
import { useApi } from '../state/api-context';
import { describeError } from '../components/Notice';

export function QuickThreshold({ modelId }: { modelId: number }) {
  const client = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const flag = async () => {
    setBusy(true);
    setError(null);
    try {
      const s = await client.call('thresholds.suggest', { modelId, method: 'percentile', percentile: 99 });
      await client.call('thresholds.set', { modelId, value: s.value, lower: null, source: 'percentile' });
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };
  return (
    <>
      no threshold yet:{' '}
      <button className="link" onClick={flag} disabled={busy} title="Saves the 99th percentile of the validation images' scores as the threshold">
        flag what scores above 99 % of the good validation images
      </button>{' '}
      or <a href="#/threshold">set one</a>
      {/* Inline: this sits in the screen's one-line summary. */}
      {error ? <span className="bad" role="alert"> — {describeError(error)}</span> : null}
    </>
  );
}
