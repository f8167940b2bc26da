// Loss points and per-epoch validation of running trainings, recorded above the screens so the
// curves survive switching screens while a model trains.
import { createContext, useContext, useState } from 'react';
import type { ReactNode } from 'react';
import { useEvent } from '../state/api-context';
import { appendLosses, emptySeries, type LossSeries } from './loss-series';

export interface TrainingLog {
  series: LossSeries;
  /** Distinct validation results seen; progress events repeat the last one until the next epoch ends. */
  validations: number;
  lastValidation: string | null;
}

const Ctx = createContext<Record<number, TrainingLog>>({});

export function useTrainingLog(jobId: number | null | undefined): TrainingLog | null {
  const all = useContext(Ctx);
  return jobId ? (all[jobId] ?? null) : null;
}

export function TrainingLogProvider({ children }: { children: ReactNode }) {
  const [logs, setLogs] = useState<Record<number, TrainingLog>>({});
  useEvent('job.progress', (p) => {
    if (p.kind !== 'train' || (!p.losses && !p.validation)) return;
    setLogs((prev) => {
      const log = prev[p.jobId] ?? { series: emptySeries(), validations: 0, lastValidation: null };
      const series = appendLosses(log.series, p);
      const v = p.validation ? JSON.stringify(p.validation) : null;
      const fresh = v !== null && v !== log.lastValidation;
      if (series === log.series && !fresh) return prev;
      return { ...prev, [p.jobId]: { series, validations: log.validations + (fresh ? 1 : 0), lastValidation: fresh ? v : log.lastValidation } };
    });
  });
  return <Ctx.Provider value={logs}>{children}</Ctx.Provider>;
}
