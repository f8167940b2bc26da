// The ETA before training: `training.estimate` for what the form holds now, asked once the form has been
// still for a moment (the first answer may time real steps in a job process, seconds), and again when the
// library's images or models change. The form never waits for it.
import { useEffect, useState } from 'react';
import type { OptionsPatch, TrainingEstimate } from '../api/client';
import { useReloadOn, useRequest, type RequestState } from '../state/api-context';
import { describeError } from '../components/Notice';

export const ESTIMATE_DELAY_MS = 400;

/** `value`, once it has not changed for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const key = JSON.stringify(value);
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(JSON.parse(key) as T), ms);
    return () => clearTimeout(t);
  }, [key, ms]);
  return settled;
}

/** null input (no project, or a field the user must fix first): nothing is asked. */
export function useTrainingEstimate(input: { projectId: number; options: OptionsPatch } | null): RequestState<TrainingEstimate> {
  const settled = useDebounced(input, ESTIMATE_DELAY_MS);
  const state = useRequest('training.estimate', settled);
  useReloadOn(input?.projectId ?? null, ['images', 'models'], state.reload);
  return state;
}

/** What the form shows before its Train button: the estimate, its progress, or why there is none. */
export function estimateLines(s: Pick<RequestState<TrainingEstimate>, 'data' | 'error' | 'loading'>): { eta: string; plan: string } | null {
  if (s.error) return { eta: `Training time not estimated: ${describeError(s.error)}`, plan: '' };
  if (!s.data) return s.loading ? { eta: 'Estimating the training time (timing a few steps on this machine)…', plan: '' } : null;
  const eta = s.data.eta.charAt(0).toUpperCase() + s.data.eta.slice(1);
  return { eta: s.loading ? `${eta} (updating…)` : eta, plan: s.data.planText };
}
