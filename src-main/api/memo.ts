// Results of whole-library passes (the id list behind the thumbnail grid, all scores of a model) are
// kept until the library changes, so paging and re-opening a screen do not repeat an O(n) read. Every
// write goes through this process and announces itself as an event, so any event except a training
// progress tick clears the lot.
import type { EventHub } from './events';

export interface Memo {
  get<T>(key: string, compute: () => T): T;
  clear(): void;
}

export function createMemo(events: EventHub, maxEntries = 16): Memo {
  const values = new Map<string, unknown>();
  events.subscribe((m) => {
    if (m.name === 'job.progress' && m.payload.kind === 'train' && m.payload.status === 'running') return;
    if (m.name === 'library.changed' && m.payload.what === 'follow') return; // says when a folder was looked at, changes no row
    values.clear();
  });
  return {
    get<T>(key: string, compute: () => T): T {
      if (values.has(key)) return values.get(key) as T;
      const value = compute();
      if (values.size >= maxEntries) values.delete(values.keys().next().value as string);
      values.set(key, value);
      return value;
    },
    clear: () => values.clear(),
  };
}
