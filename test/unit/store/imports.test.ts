import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Store } from '../../../src-main/store';
import Database from 'better-sqlite3';
import { tempStore } from './helpers';

describe('imports', () => {
  let t: ReturnType<typeof tempStore>;
  let store: Store;
  beforeEach(() => {
    t = tempStore();
    store = t.store;
  });
  afterEach(() => t.done());

  it('tracks counts, errors and status of an import', () => {
    const p = store.projects.create('p');
    const imp = store.imports.start(p.id, ['/data/a', '/data/b.png']);
    expect(imp).toMatchObject({ roots: ['/data/a', '/data/b.png'], status: 'running', seen: 0, finishedAt: null });
    store.transaction(() => {
      store.imports.addCounts(imp.id, { seen: 3, imported: 2, failed: 1 });
      store.imports.addErrors(imp.id, [{ path: '/data/a/x.png', kind: 'corrupt', message: 'truncated' }]);
    });
    store.imports.addCounts(imp.id, { seen: 2, duplicate: 1, skipped: 1 });
    store.imports.addErrors(imp.id, [
      { path: '/data/a/y.png', kind: 'corrupt', message: 'bad' },
      { path: '/data/a/z.png', kind: 'empty', message: 'empty file' },
    ]);
    store.imports.finish(imp.id, 'done');
    const done = store.imports.get(imp.id)!;
    expect(done).toMatchObject({ status: 'done', seen: 5, imported: 2, duplicate: 1, skipped: 1, moved: 0, failed: 1 });
    expect(done.finishedAt).toBeGreaterThanOrEqual(done.startedAt);
    expect(store.imports.errorCounts(imp.id)).toEqual({ corrupt: 2, empty: 1 });
    expect(store.imports.errors(imp.id, 2).map((e) => e.path)).toEqual(['/data/a/x.png', '/data/a/y.png']);
    expect(store.imports.list(p.id)).toHaveLength(1);
  });

  it('marks imports cut short by a crash as interrupted, and only those', () => {
    const p = store.projects.create('p');
    const a = store.imports.start(p.id, ['/a']);
    const b = store.imports.start(p.id, ['/b']);
    store.imports.finish(a.id, 'done');
    expect(store.recoverInterrupted().imports).toBe(1);
    expect(store.imports.get(a.id)?.status).toBe('done');
    expect(store.imports.get(b.id)?.status).toBe('interrupted');
  });

  it('keeps a project\u2019s lots and extends them with new imports; a deleted one regroups them', () => {
    const p = store.projects.create('p');
    const a = store.imports.start(p.id, ['/cam']).id;
    const b = store.imports.start(p.id, ['/other']).id;
    const first = store.imports.lots(p.id);
    expect(first.lots().map((l) => l.importIds)).toEqual([[a], [b]]);
    // Looks of the camera the same day join its lot, one still running included.
    const look = store.imports.start(p.id, ['/cam']).id;
    const running = store.imports.start(p.id, ['/cam']).id;
    const later = store.imports.lots(p.id);
    expect(later).toBe(first); // extended, not regrouped
    expect(later.lots().map((l) => l.importIds)).toEqual([[b], [a, look, running]]);
    expect(later.lotOf(running)?.importIds).toEqual([a, look, running]);
    // A look that brought nothing is deleted when it ends: the lots are grouped anew without it.
    store.imports.remove(look);
    const regrouped = store.imports.lots(p.id);
    expect(regrouped).not.toBe(first);
    expect(regrouped.lots().map((l) => l.importIds)).toEqual([[b], [a, running]]);
    expect(regrouped.lotOf(look)).toBeUndefined();
    // The newest import deleted after a read, and its id given again to the next one (SQLite: largest + 1), a
    // minute later: grouped anew, not taken for the one before.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.UTC(2026, 11, 1, 10));
      const gone = store.imports.start(p.id, ['/cam']).id;
      expect(store.imports.lots(p.id).lotOf(gone)).toBeDefined();
      store.imports.remove(gone);
      vi.setSystemTime(Date.UTC(2026, 11, 1, 10, 1));
      const again = store.imports.start(p.id, ['/third']);
      expect(again.id).toBe(gone);
      expect(store.imports.lots(p.id).lotOf(again.id)?.roots).toEqual(['/third']);
    } finally {
      vi.useRealTimers();
    }
    // Another project's lots are its own.
    expect(store.imports.lots(store.projects.create('q').id).lots()).toEqual([]);
  });

  it('groups a project\u2019s lots by its day start, and regroups them when it is set (from any process)', () => {
    const p = store.projects.create('night line');
    expect(p.dayStart).toBe(0);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const look = (d: number, h: number) => {
        vi.setSystemTime(new Date(2026, 11, d, h).getTime());
        return store.imports.start(p.id, ['/cam']).id;
      };
      const [evening, night, morning] = [look(1, 22), look(2, 3), look(2, 7)];
      expect(store.imports.lots(p.id).lots().map((l) => [l.day, l.importIds])).toEqual([['2026-12-01', [evening]], ['2026-12-02', [night, morning]]]);
      // Another connection to the same file sets it, as another process (the desktop app beside `serve`) would.
      const other = new Database(t.file);
      other.prepare('UPDATE projects SET day_start = ? WHERE id = ?').run(6 * 60, p.id);
      other.close();
      expect(store.imports.lots(p.id).lots().map((l) => [l.day, l.importIds])).toEqual([['2026-12-01', [evening, night]], ['2026-12-02', [morning]]]);
      expect(store.projects.get(p.id)?.dayStart).toBe(360);
      expect(() => store.projects.setDayStart(p.id, 1440)).toThrow(/0 to 1439 minutes after midnight, got 1440/);
      store.projects.setDayStart(p.id, 0);
      expect(store.imports.lots(p.id).lots().map((l) => l.importIds)).toEqual([[evening], [night, morning]]);
    } finally {
      vi.useRealTimers();
    }
  });
});
