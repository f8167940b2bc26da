// Loss points and per-epoch validation of running trainings, recorded above the screens so the
// curves survive switching screens while a model trains.
import { createContext, useContext, useState } from 'react';
import type { ReactNode } from 'react';
import { useEvent } from '../app/api-context';
import { appendLosses, emptySeries, type LossSeries } from './loss-series';

export interface TrainingLog {
  series: LossSeries;
  validation: Array<{ epoch: number; figures: Record<string, number> }>;
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
      const log = prev[p.jobId] ?? { series: emptySeries(), validation: [] };
      const series = appendLosses(log.series, p);
      const validation =
        p.validation && p.epoch !== undefined && !log.validation.some((v) => v.epoch === p.epoch)
          ? [...log.validation, { epoch: p.epoch, figures: p.validation }]
          : log.validation;
      if (series === log.series && validation === log.validation) return prev;
      return { ...prev, [p.jobId]: { series, validation } };
    });
  });
  return <Ctx.Provider value={logs}>{children}</Ctx.Provider>;
}
