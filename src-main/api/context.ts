// What handlers get from their host (Electron or the web server): the store, the event hub, and the
// few things that differ by host (media URLs, native dialogs).
import type { AppMode, PickKind } from '../shared/vocabulary';
import type { Store } from '../store';
import type { EventHub } from './events';
import type { MediaRef } from './media-ref';
import type { BackendInfo } from './types';
import type { JobService } from './job-service';
import type { Memo } from './memo';
import type { UploadStore } from '../services/uploads';
import type { Follower } from './follow';
import { ApiFailure } from './dispatch';

export interface ApiContext {
  store: Store;
  events: EventHub;
  mode: AppMode;
  version: string;
  /** Folder holding the database, thumbnails, maps and models. */
  dataDir: string;
  dbPath: string;
  /** URL the renderer loads a library image or map from (inspector-media:// or /media/). */
  mediaUrl(ref: MediaRef): string;
  /** Native dialog (Electron only). */
  pickPaths?: (kind: PickKind, title?: string) => Promise<string[]>;
  /** Native save dialog (Electron only): the chosen path, or null when cancelled. */
  savePath?: (suggestedName: string, title: string) => Promise<string | null>;
  /** Backend probe; cached by the host. */
  backendInfo: () => Promise<BackendInfo>;
  /** Imports, training and scoring. */
  jobs: JobService;
  /** Files uploaded from a browser, kept under dataDir/uploads. */
  uploads: UploadStore;
  /** Camera folders followed: imported again every minute, new parts scored. */
  follower: Follower;
  /** Whole-library reads, kept until the next change event. */
  memo: Memo;
  log(line: string): void;
}

/** A row or a 'not-found' failure naming what was missing. */
export function need<T>(row: T | undefined | null, what: string, id: number): T {
  if (row === undefined || row === null) throw new ApiFailure('not-found', `No ${what} with id ${id}`);
  return row;
}

/** Refuses a change to a project while a job of it runs or waits: an import, a training or a scoring reads
 *  or writes its rows. `subject` names the project in the message. */
export function refuseWhileBusy(store: Store, projectId: number, subject: string): void {
  const busy = store.jobs.active().find((j) => j.projectId === projectId);
  if (busy) throw new ApiFailure('conflict', `${subject} has a ${busy.kind} job running or waiting: let it finish or cancel it first`);
}

export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
