// Import runs can start from anywhere (a drop on any screen), so their state lives above the screens.
import { createContext, useCallback, useContext, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { EventPayload } from '../api/client';
import { useApi, useEvent } from '../state/api-context';
import { useWorkspace } from '../state/workspace';
import type { UploadFile } from './upload/collect';
import { uploadAndImport } from './upload/uploader';
import type { UploadProgress } from './upload/uploader';

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
  /** False where files cannot be uploaded (the desktop window has paths instead). */
  canUpload: boolean;
  /** The upload in progress, then the last one's outcome (its refused files) until the next. */
  upload: (UploadProgress & { running: boolean }) | null;
  /** Uploads files (a drop's walk may still be running) and imports them. */
  startUpload: (files: UploadFile[] | Promise<UploadFile[]>) => Promise<void>;
  cancelUpload: () => void;
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
  const [upload, setUpload] = useState<ImportState['upload']>(null);
  const uploadAbort = useRef<AbortController | null>(null);

  useEvent('import.progress', (p) => {
    // A followed folder's look runs by itself (the Last import card says how it goes): not the import under way here.
    if (p.followed) {
      if (p.done && p.importId && p.projectId === projectId) setLastImportId(p.importId);
      return;
    }
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

  const startUpload = useCallback(
    async (files: UploadFile[] | Promise<UploadFile[]>) => {
      if (!projectId) {
        setError('No project is open yet. Wait a moment and try again.');
        return;
      }
      if (uploadAbort.current) {
        setError('An upload is still running: wait for it or cancel it first.');
        return;
      }
      const abort = new AbortController();
      uploadAbort.current = abort;
      setError(null);
      setProgress(null);
      setUpload({ running: true, filesTotal: 0, filesDone: 0, bytesTotal: 0, bytesDone: 0, bytesSent: 0, imagesPerSecond: 0, etaSeconds: null, refused: [], ignored: 0, modelFolders: [] });
      try {
        const list = await files;
        if (list.length === 0) throw new Error('The drop held no files.');
        const r = await uploadAndImport(client, projectId, list, { signal: abort.signal, onProgress: (p) => setUpload({ ...p, running: true }) });
        setUpload({ ...r, running: false });
        if (r.jobId !== null && !ended.current.has(r.jobId)) setJobId(r.jobId);
        if (r.jobId === null) setError(r.refused.length ? 'None of the files could be uploaded: see the reasons below.' : 'The drop held no image files.');
      } catch (e) {
        setUpload((u) => (u ? { ...u, running: false } : null));
        if (abort.signal.aborted) setError('Upload cancelled. The files already sent are kept: drop the same folder again to send the rest.');
        else setError(`The upload stopped: ${e instanceof Error ? e.message : String(e)}. The files already sent are kept: drop the same folder again to send the rest.`);
      } finally {
        uploadAbort.current = null;
      }
    },
    [client, projectId],
  );

  const cancelUpload = useCallback(() => uploadAbort.current?.abort(), []);

  const cancel = useCallback(() => {
    if (jobId) client.call('jobs.cancel', { jobId }).catch(setError);
  }, [client, jobId]);

  const value: ImportState = {
    running: jobId !== null || upload?.running === true,
    jobId,
    progress,
    lastImportId,
    error,
    start,
    cancel,
    canUpload: client.upload !== null,
    upload,
    startUpload,
    cancelUpload,
    clearError: () => setError(null),
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}
