// An OS notification when a long job ends while the user looks elsewhere.
import { Notification } from 'electron';
import type { BrowserWindow } from 'electron';
import type { EventHub } from '../api/events';

const LONG_MS = 10_000;
const KIND = { train: 'Training', score: 'Scoring', import: 'Import' } as const;

export function notifyWhenJobsEnd(events: EventHub, getWindow: () => BrowserWindow | null): () => void {
  const started = new Map<number, number>();
  return events.subscribe((message) => {
    if (message.name !== 'job.progress') return;
    const p = message.payload;
    if (p.status === 'running' || p.status === 'queued') {
      if (!started.has(p.jobId)) started.set(p.jobId, Date.now());
      return;
    }
    const since = started.get(p.jobId);
    started.delete(p.jobId);
    const win = getWindow();
    if (since === undefined || Date.now() - since < LONG_MS || win?.isFocused()) return;
    if (!Notification.isSupported()) return;
    const outcome = { done: 'finished', failed: 'failed', cancelled: 'was cancelled', interrupted: 'was interrupted' }[p.status];
    const note = new Notification({ title: `${KIND[p.kind]} ${outcome}`, body: p.message || 'GANomaly Inspector' });
    note.on('click', () => {
      win?.show();
      win?.focus();
    });
    note.show();
  });
}
