// The andon's second question: does the followed camera's lot flag more than the project's other lots? On a real
// SQLite library, counted by the store (flagsOfImports, flagTotals), grouped into lots and tested by the shared rule.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { followedLotJump } from '../../../src-main/api/follow-lot';
import { insertPart } from '../../integration/api-fixture';
import { tempStore } from '../store/helpers';

let done = () => {};
afterEach(() => done());

/** A project with the followed camera's lot (`cam` scores) and another folder's lot (`other` scores). */
function library(cam: number[], other: number[]) {
  const t = tempStore();
  done = t.done;
  const { store } = t;
  const p = store.projects.ensure('default');
  const otherImport = store.imports.start(p.id, ['/bench']).id;
  const camImport = store.imports.start(p.id, ['/cam']).id;
  const parts = [...other.map((score, i) => ({ path: `/bench/${i}.png`, importId: otherImport, score })),
    ...cam.map((score, i) => ({ path: `/cam/${i}.png`, importId: camImport, score }))];
  const ids = parts.map((q) => insertPart(store, p.id, q.path, { importId: q.importId }));
  // Its training image came in with the camera's lot and scores high: no evidence, so in no lot's count.
  const trained = insertPart(store, p.id, '/cam/train.png', { label: 'good', importId: camImport });
  const m = store.models.create({ projectId: p.id, name: 'm', options: { isize: 32 }, scoreKind: 'recon-top1', trainImageIds: [trained] });
  // A part added by no import (no lot) counts in none either.
  const loose = insertPart(store, p.id, '/loose.png');
  store.scores.write(m.id, [...parts.map((q, i) => ({ imageId: ids[i], score: q.score })), { imageId: trained, score: 0.99 }, { imageId: loose, score: 0.99 }]);
  return { store, follow: { projectId: p.id, roots: ['/cam'], modelId: m.id }, modelId: m.id, camImport };
}

describe('the followed lot against the other lots', () => {
  it('says a camera lot that flags more than the others beyond chance, with both counts', () => {
    // The camera: 6 of 20 above 0.5; the other folder: 1 of 100.
    const { store, follow, modelId, camImport } = library([...Array(6).fill(0.8), ...Array(14).fill(0.2)], [0.9, ...Array(99).fill(0.1)]);
    expect(followedLotJump(store, follow)).toBeNull(); // no threshold: nothing is flagged
    store.thresholds.set(modelId, { value: 0.5, lower: null, source: 'manual' });
    const jump = followedLotJump(store, follow)!;
    expect(jump).toMatchObject({ id: camImport, parts: 20, flagged: 6, restParts: 100, restFlagged: 1 });
    expect(Date.parse(jump.from)).toBeGreaterThan(0);
    // Above the camera's parts only the other folder's one is flagged: no jump.
    store.thresholds.set(modelId, { value: 0.85, lower: null, source: 'manual' });
    expect(followedLotJump(store, follow)).toBeNull();
    // No model scores what comes in: nothing to say.
    expect(followedLotJump(store, { ...follow, modelId: null })).toBeNull();
  });

  it('says nothing of a lot that flags like the others, or when the followed lot is the only one', () => {
    const like = library([0.8, ...Array(19).fill(0.2)], [0.9, 0.8, 0.7, 0.6, 0.55, ...Array(95).fill(0.1)]);
    like.store.thresholds.set(like.modelId, { value: 0.5, lower: null, source: 'manual' });
    expect(followedLotJump(like.store, like.follow)).toBeNull();
    done();
    const alone = library([...Array(6).fill(0.8), ...Array(14).fill(0.2)], []);
    alone.store.thresholds.set(alone.modelId, { value: 0.5, lower: null, source: 'manual' });
    expect(followedLotJump(alone.store, alone.follow)).toBeNull();
  });

  it('takes the followed lot from the project\'s day start: a night shift\'s looks before and after midnight are one lot', () => {
    const t = tempStore();
    done = t.done;
    const { store } = t;
    const p = store.projects.ensure('default');
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const importAt = (roots: string[], day: number, hour: number) => {
        vi.setSystemTime(new Date(2026, 11, day, hour).getTime());
        return store.imports.start(p.id, roots).id;
      };
      const bench = importAt(['/bench'], 1, 9);
      const [evening, night] = [importAt(['/cam'], 1, 22), importAt(['/cam'], 2, 2)];
      const parts = [
        ...Array.from({ length: 100 }, (_, i) => ({ path: `/bench/${i}.png`, importId: bench, score: i === 0 ? 0.9 : 0.1 })),
        ...Array.from({ length: 10 }, (_, i) => ({ path: `/cam/e${i}.png`, importId: evening, score: i < 3 ? 0.8 : 0.2 })),
        ...Array.from({ length: 10 }, (_, i) => ({ path: `/cam/n${i}.png`, importId: night, score: i < 5 ? 0.8 : 0.2 })),
      ];
      const ids = parts.map((q) => insertPart(store, p.id, q.path, { importId: q.importId }));
      const trained = insertPart(store, p.id, '/train.png', { label: 'good' });
      const m = store.models.create({ projectId: p.id, name: 'm', options: { isize: 32 }, scoreKind: 'recon-top1', trainImageIds: [trained] });
      store.scores.write(m.id, parts.map((q, i) => ({ imageId: ids[i], score: q.score })));
      store.thresholds.set(m.id, { value: 0.5, lower: null, source: 'manual' });
      const follow = { projectId: p.id, roots: ['/cam'], modelId: m.id };
      // Days from midnight: the followed lot is the 10 parts after it, the evening's are another lot.
      expect(followedLotJump(store, follow)).toMatchObject({ id: night, day: '2026-12-02', parts: 10, flagged: 5, restParts: 110, restFlagged: 4 });
      store.projects.setDayStart(p.id, 6 * 60);
      expect(followedLotJump(store, follow)).toMatchObject({ id: evening, day: '2026-12-01', parts: 20, flagged: 8, restParts: 100, restFlagged: 1 });
    } finally {
      vi.useRealTimers();
    }
  });
});
