// Opens everything the API needs for one database and wires it together; Electron and `serve` each
// call this once and add only their transport.
import { carryThresholds } from '../services/model-threshold';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { dataDirOf, outputDirs, thumbnailsDir as thumbsIn } from '../data-dir';
import { importFolders } from '../services/import-folders';
import { openUploadStore } from '../services/uploads';
import type { UploadStore } from '../services/uploads';
import { openStore } from '../store';
import type { Store } from '../store';
import type { ApiContext } from './context';
import { createDispatcher } from './dispatch';
import type { Dispatcher } from './dispatch';
import { EventHub } from './events';
import { createHandlers } from './handlers';
import { createJobService } from './job-service';
import { createFollower } from './follow';
import type { ImportFn, TrainingQueue } from './job-service';
import { resolveMedia } from './media';
import { createMemo } from './memo';
import { modelDownload, type ModelDownload } from './model-download';
import { backupForDownload } from '../services/library-backup';
import { createTrainingQueue } from './training-queue';
import type { JobProcessFactory } from '../jobs/job-process';
import type { MediaSource } from './media';
import type { MediaRef } from './media-ref';
import type { BackendInfo } from './types';

export interface HostOptions {
  dbPath: string;
  mode: ApiContext['mode'];
  version: string;
  mediaUrl: (ref: MediaRef) => string;
  pickPaths?: ApiContext['pickPaths'];
  savePath?: ApiContext['savePath'];
  /** Default: src-main/services/import-folders. */
  importFolders?: ImportFn;
  /** How the job queue starts its processes; default: a Node fork of src-main/jobs/child.ts via tsx. */
  jobProcessFactory?: JobProcessFactory;
  /** Largest file a browser may upload (default UPLOAD_LIMITS.maxFileBytes). */
  maxUploadBytes?: number;
  /** How often a followed folder is looked at (default FOLLOW_EVERY_MS: a minute; tests look sooner). */
  followEveryMs?: number;
  /** Replaces the job queue (e.g. null: no training in this host). */
  queue?: ((store: Store, events: EventHub, dataDir: string) => TrainingQueue) | null;
  log?: (line: string) => void;
}

export interface ApiHost {
  store: Store;
  events: EventHub;
  dispatcher: Dispatcher;
  uploads: UploadStore;
  media(ref: MediaRef): Promise<MediaSource>;
  modelDownload(modelId: number): Promise<ModelDownload>;
  /** A fresh backup of the database as a file to send (web mode's GET /download/library.sqlite); `release` removes it. */
  libraryDownload(): ReturnType<typeof backupForDownload>;
  close(): Promise<void>;
}

function probeBackend(): () => Promise<BackendInfo> {
  let info: Promise<BackendInfo> | null = null;
  // Loaded on first ask: tfjs is heavy and most sessions never need it in this process.
  return () =>
    (info ??= import('../engine/backends/select').then((m) => m.selectBackend('auto')).catch((err) => {
      info = null;
      throw err;
    }));
}

export function openApiHost(opts: HostOptions): ApiHost {
  const dbPath = resolve(opts.dbPath);
  const dataDir = dataDirOf(dbPath);
  const thumbnailsDir = thumbsIn(dataDir);
  mkdirSync(thumbnailsDir, { recursive: true });
  const log = opts.log ?? (() => {});
  const uploads = openUploadStore(dataDir, opts.maxUploadBytes);
  const store = openStore(dbPath);
  try {
    const recovered = store.recoverInterrupted();
    if (Object.values(recovered).some((n) => n > 0)) log(`recovered after a stop: ${JSON.stringify(recovered)}`);
    const events = new EventHub();
    const jobs = createJobService({
      store,
      events,
      thumbnailsDir,
      skipDirs: outputDirs(dataDir),
      importFolders: opts.importFolders ?? importFolders,
      queue:
        opts.queue === null
          ? undefined
          : (opts.queue ?? ((st, ev, dir) => createTrainingQueue(st, ev, dir, opts.jobProcessFactory)))(store, events, dataDir),
      log,
    });
    const follower = createFollower({ store, events, jobs, everyMs: opts.followEveryMs });
    // Thresholds saved before model folders carried them go into those folders now (a few small files).
    void carryThresholds(store).then(
      (n) => { if (n) log(`wrote the saved threshold into ${n} model folder(s)`); },
      (err: Error) => log(`could not write a saved threshold into its model's folder: ${err.message}`),
    );
    const ctx: ApiContext = {
      store,
      events,
      mode: opts.mode,
      version: opts.version,
      dataDir,
      dbPath,
      mediaUrl: opts.mediaUrl,
      pickPaths: opts.pickPaths,
      savePath: opts.savePath,
      backendInfo: probeBackend(),
      jobs,
      uploads,
      follower,
      memo: createMemo(events),
      log,
    };
    const dispatcher = createDispatcher(createHandlers(ctx), log);
    return {
      store,
      events,
      dispatcher,
      uploads,
      media: (ref) => resolveMedia(store, ref),
      modelDownload: (modelId) => modelDownload(store, modelId),
      libraryDownload: () => backupForDownload(store),
      async close() {
        await follower.close();
        await jobs.close();
        store.close();
      },
    };
  } catch (err) {
    // Nothing else holds the database yet: close it so the caller can report and retry cleanly.
    store.close();
    throw err;
  }
}
