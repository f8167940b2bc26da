// What every screen shares: the project, the chosen model, live jobs and the threshold being previewed.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { EventPayload, ModelSummary, Project } from '../api/client';
import { useApi, useEvent, useReloadOn, useRequest } from './api-context';

export type JobProgress = EventPayload<'job.progress'>;
export interface ThresholdPreview { modelId: number; value: number; lower: number | null }

export interface Workspace {
  projects: Project[];
  projectId: number | null;
  setProjectId: (id: number) => void;
  createProject: (name: string) => Promise<void>;
  models: ModelSummary[];
  modelsLoaded: boolean;
  model: ModelSummary | null;
  setModelId: (id: number | null) => void;
  reloadModels: () => void;
  jobs: Record<number, JobProgress>;
  preview: ThresholdPreview | null;
  setPreview: (p: ThresholdPreview | null) => void;
  error: unknown;
  /** Asks again for what failed (projects, the first project, models). */
  retry: () => void;
}

const WorkspaceContext = createContext<Workspace | null>(null);

export function useWorkspace(): Workspace {
  const ws = useContext(WorkspaceContext);
  if (!ws) throw new Error('useWorkspace outside WorkspaceProvider');
  return ws;
}

const stored = (key: string): number | null => {
  const n = Number(globalThis.localStorage?.getItem(key));
  return Number.isInteger(n) && n > 0 ? n : null;
};

/** The model to show when none is chosen: the newest one with scores, else the newest. */
export function defaultModel(models: ModelSummary[]): ModelSummary | null {
  const byNew = [...models].sort((a, b) => b.id - a.id);
  return byNew.find((m) => m.scoredCount > 0) ?? byNew[0] ?? null;
}

export function WorkspaceProvider({ children }: { children: ReactNode }) {
  const client = useApi();
  const projects = useRequest('projects.list', {});
  const [projectId, setProjectIdState] = useState<number | null>(() => stored('inspector.project'));
  const [modelId, setModelIdState] = useState<number | null>(() => stored('inspector.model'));
  const [jobs, setJobs] = useState<Record<number, JobProgress>>({});
  const [preview, setPreview] = useState<ThresholdPreview | null>(null);
  const [createError, setCreateError] = useState<unknown>(null);

  const list = projects.data;
  const creating = useRef(false);
  // First start: make one project so the user can drop images straight away. Named like the CLI's
  // default project, so `ganomaly-inspector import` and the app share it. Once only (StrictMode runs
  // effects twice in development).
  useEffect(() => {
    if (!list) return;
    // Made once per empty library: after the last project is deleted, make one again.
    if (list.length > 0) creating.current = false;
    if (list.length === 0) {
      if (creating.current) return;
      creating.current = true;
      client.call('projects.create', { name: 'default' }).then(projects.reload, setCreateError);
    } else if (!list.some((p) => p.id === projectId)) {
      setProjectIdState(list[0].id);
    }
  }, [list, projectId, client, projects.reload]);

  const models = useRequest('models.list', projectId ? { projectId } : null);
  useReloadOn(projectId, ['models', 'scores'], models.reload);

  const activeJobs = useRequest('jobs.list', projectId ? { projectId, active: true } : null);
  useEffect(() => {
    if (!activeJobs.data) return;
    setJobs((prev) => {
      const next = { ...prev };
      for (const j of activeJobs.data ?? []) {
        next[j.id] ??= { jobId: j.id, kind: j.kind, status: j.status, projectId: j.projectId, modelId: j.modelId, phase: j.phase, progress: j.progress, message: j.message };
      }
      return next;
    });
  }, [activeJobs.data]);

  // Image counts in the project picker, and each model's counts of images it has not scored (imports) and of
  // training images since reviewed defect (reviews), follow the library.
  useEvent('library.changed', (p) => {
    if (p.what === 'projects' || p.what === 'images') projects.reload();
    if (p.what === 'images' || p.what === 'reviews') models.reload();
  });

  useEvent('job.progress', (p) => {
    setJobs((prev) => ({ ...prev, [p.jobId]: { ...prev[p.jobId], ...p } }));
    if (p.status !== 'running' && p.status !== 'queued') models.reload();
  });

  const setProjectId = useCallback((id: number) => {
    localStorage.setItem('inspector.project', String(id));
    setProjectIdState(id);
    setModelIdState(null);
  }, []);
  const setModelId = useCallback((id: number | null) => {
    if (id) localStorage.setItem('inspector.model', String(id));
    setModelIdState(id);
  }, []);
  const createProject = useCallback(
    async (name: string) => {
      const p = await client.call('projects.create', { name });
      projects.reload();
      setProjectId(p.id);
    },
    [client, projects, setProjectId],
  );

  const { reload: reloadProjects } = projects;
  const { reload: reloadModels } = models;
  const retry = useCallback(() => {
    creating.current = false;
    setCreateError(null);
    reloadProjects();
    reloadModels();
  }, [reloadProjects, reloadModels]);

  const modelList = useMemo(() => models.data ?? [], [models.data]);
  const model = modelList.find((m) => m.id === modelId) ?? defaultModel(modelList);

  const value: Workspace = {
    projects: list ?? [],
    projectId,
    setProjectId,
    createProject,
    models: modelList,
    modelsLoaded: models.data !== undefined,
    model,
    setModelId,
    reloadModels: models.reload,
    jobs,
    preview: preview && model && preview.modelId === model.id ? preview : null,
    setPreview,
    error: projects.error ?? createError ?? models.error,
    retry,
  };
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

/** Latest progress of the running (or last) job of a kind for a model. */
export function jobFor(jobs: Record<number, JobProgress>, kind: JobProgress['kind'], modelId: number | null): JobProgress | null {
  let best: JobProgress | null = null;
  for (const j of Object.values(jobs)) {
    if (j.kind === kind && (modelId === null || j.modelId === modelId) && (!best || j.jobId > best.jobId)) best = j;
  }
  return best;
}

export const isActive = (j: JobProgress | null): boolean => !!j && (j.status === 'running' || j.status === 'queued');
