// Import runs can start from anywhere (a drop on any screen), so their state lives above the screens.
import { createContext, useCallback, useContext, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { EventPayload } from '../api/client';
import { useApi, useEvent } from '../state/api-context';
import { useWorkspace } from '../state/workspace';

export type ImportProgress = EventPayload<'import.progress'>;

export interface ImportState {
  running: boolean;
  jobId: number | null;
  progress: ImportProgress | null;
  /** The import whose summary to show (the last one finished). */
  lastImportId: number | null;
  error: unknown;
  start: (paths: string[]) => Promise<void>;
  cancel: () => void;
  clearError: () => void;
}

const Ctx = createContext<ImportState | null>(null);

export function useImportState(): ImportState {
  const s = useContext(Ctx);
  if (!s) throw new Error('useImportState outside ImportProvider');
  return s;
}

export function ImportProvider({ children }: { children: ReactNode }) {
  const client = useApi();
  const { projectId } = useWorkspace();
  const [jobId, setJobId] = useState<number | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [lastImportId, setLastImportId] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Runs whose end has been seen: a quick run can end (events and answers travel apart) before
  // import.start answers, and must not then be shown as running.
  const ended = useRef(new Set<number>());

  useEvent('import.progress', (p) => {
    if (p.done) {
      ended.current.add(p.jobId);
      // The run shown here ends even when the project was switched meanwhile; otherwise Import would
      // stay off and its progress up for good.
      if (p.jobId === jobId) setJobId(null);
      if (p.jobId === progress?.jobId) setProgress(p);
    }
    if (p.projectId !== projectId) return;
    setProgress(p);
    if (p.done) {
      setJobId(null);
      if (p.importId) setLastImportId(p.importId);
      if (p.message && p.failed === 0 && p.imported === 0 && p.seen === 0) setError(p.message);
    } else {
      setJobId(p.jobId);
    }
  });

  const start = useCallback(
    async (paths: string[]) => {
      if (!projectId) {
        setError('No project is open yet. Wait a moment and try again.');
        return;
      }
      if (paths.length === 0) {
        setError('Give at least one folder or image path to import.');
        return;
      }
      setError(null);
      setProgress(null);
      try {
        const started = await client.call('import.start', { projectId, paths });
        if (!ended.current.has(started.jobId)) setJobId(started.jobId);
      } catch (e) {
        setError(e);
      }
    },
    [client, projectId],
  );

  const cancel = useCallback(() => {
    if (jobId) client.call('jobs.cancel', { jobId }).catch(setError);
  }, [client, jobId]);

  const value: ImportState = {
    running: jobId !== null,
    jobId,
    progress,
    lastImportId,
    error,
    start,
    cancel,
    clearError: () => setError(null),
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}
