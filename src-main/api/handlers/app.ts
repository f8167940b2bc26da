// App facts, backend, projects, the native path picker and the library's backup.
import { join } from 'node:path';
import type { ApiContext } from '../context';
import { iso, need, refuseWhileBusy } from '../context';
import { ApiFailure } from '../dispatch';
import { deleteProject } from '../../services/deletions';
import { backupLibrary, backupName, describeHeld } from '../../services/library-backup';
import type { Handlers } from '../dispatch';
import { formatDayStart, parseDayStart } from '../../shared/lots';

type AppHandlers = Pick<Handlers, 'app.info' | 'backend.info' | 'projects.list' | 'projects.create' | 'projects.rename' | 'projects.setDayStart' | 'projects.delete' | 'dialog.pickPaths' | 'library.backup'>;

export function appHandlers(ctx: ApiContext): AppHandlers {
  const { store } = ctx;
  const imageCount = (projectId: number) =>
    store.images.countsByLabelSplit(projectId).reduce((n, r) => n + r.count, 0);
  const project = (p: { id: number; name: string; createdAt: number; dayStart: number }) => ({
    id: p.id,
    name: p.name,
    createdAt: iso(p.createdAt),
    imageCount: imageCount(p.id),
    dayStart: formatDayStart(p.dayStart),
  });

  return {
    'app.info': () => ({
      name: 'GANomaly Inspector',
      version: ctx.version,
      mode: ctx.mode,
      platform: process.platform,
      dataDir: ctx.dataDir,
      dbPath: ctx.dbPath,
    }),
    'backend.info': () => ctx.backendInfo(),
    'projects.list': () => store.projects.list().map(project),
    'projects.create': ({ name }) => {
      if (store.projects.byName(name)) throw new ApiFailure('conflict', `A project named "${name}" already exists`);
      const created = project(store.projects.create(name));
      ctx.events.emit('library.changed', { projectId: created.id, what: 'projects' });
      return created;
    },
    'projects.rename': ({ projectId, name }) => {
      const p = need(store.projects.get(projectId), 'project', projectId);
      const taken = store.projects.byName(name);
      if (taken && taken.id !== projectId) throw new ApiFailure('conflict', `A project named "${name}" already exists`);
      store.projects.rename(p.id, name);
      ctx.events.emit('library.changed', { projectId, what: 'projects' });
      return project(store.projects.get(projectId)!);
    },
    'projects.setDayStart': ({ projectId, dayStart }) => {
      need(store.projects.get(projectId), 'project', projectId);
      store.projects.setDayStart(projectId, parseDayStart(dayStart));
      // The lots regroup: the Threshold screen's and the andon's.
      ctx.events.emit('library.changed', { projectId, what: 'projects' });
      return project(store.projects.get(projectId)!);
    },
    'projects.delete': async ({ projectId }) => {
      const p = need(store.projects.get(projectId), 'project', projectId);
      refuseWhileBusy(store, projectId, `Project "${p.name}"`);
      await deleteProject(store, ctx.dataDir, ctx.uploads, projectId);
      ctx.events.emit('library.changed', { projectId, what: 'projects' });
      return { deleted: true as const };
    },
    'library.backup': async () => {
      const modelsDir = join(ctx.dataDir, 'models');
      if (!ctx.savePath) {
        return { available: false, path: null, held: null, modelsDir, message: 'Save dialogs are not available in the browser: download the backup instead.' };
      }
      const path = await ctx.savePath(backupName(), 'Back up the library');
      if (!path) return { available: true, path: null, held: null, modelsDir };
      try {
        // The save dialog asked before a file was chosen to be replaced.
        return { available: true, path, held: describeHeld(await backupLibrary(store, path, { replace: true })), modelsDir };
      } catch (err) {
        throw new ApiFailure('conflict', `Could not back up the library to ${path}: ${(err as Error).message}`);
      }
    },
    'dialog.pickPaths': async ({ kind, title }) => {
      if (!ctx.pickPaths) {
        return {
          available: false,
          paths: [],
          message: 'Folder dialogs are not available in the browser: use Choose folder…, drop the folder, or type its path into the path field.',
        };
      }
      return { available: true, paths: await ctx.pickPaths(kind, title) };
    },
  };
}
