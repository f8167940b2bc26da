// Before a model has a threshold nothing is flagged and the review queue is empty. One click saves the
// label-free start (the 99th percentile of the held-out good images' scores); the Threshold screen refines it.
import { useState } from 'react';
import { useApi } from '../state/api-context';
import { describeError } from './Notice';

const WHAT = 'flag what scores above 99 % of the good validation images';
const WHY = "Saves the 99th percentile of the validation images' scores as the threshold";

function useQuickThreshold(modelId: number) {
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
  return { flag, busy, error };
}

/** For a one-line summary: "no threshold yet: <flag …> or set one". */
export function QuickThresholdLine({ modelId }: { modelId: number }) {
  const { flag, busy, error } = useQuickThreshold(modelId);
  return (
    <>
      no threshold yet:{' '}
      <button className="link" onClick={flag} disabled={busy} title={WHY}>{WHAT}</button>{' '}
      or <a href="#/threshold">set one</a>
      {error ? <span className="bad" role="alert"> — {describeError(error)}</span> : null}
    </>
  );
}

/** For an empty state's actions: the one-click start beside the Threshold screen. */
export function QuickThresholdButtons({ modelId }: { modelId: number }) {
  const { flag, busy, error } = useQuickThreshold(modelId);
  return (
    <>
      <button className="primary" onClick={flag} disabled={busy} title={WHY}>
        {WHAT[0].toUpperCase() + WHAT.slice(1)}
      </button>{' '}
      <a className="button" href="#/threshold">Set the threshold</a>
      {error ? <p className="bad" role="alert">{describeError(error)}</p> : null}
    </>
  );
}
