// `status --db` as a user runs it, on a real library file: what it holds, and, like the Threshold screen and
// `score --db`, the lots most of whose parts differ from the good parts as a whole, or that flag more than the others.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src-main/store';
import { insertPart } from './api-fixture';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '..', '..', 'bin', 'ganomaly-inspector.js');
let dir: string;
let db: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-status-'));
  db = join(dir, 'library.sqlite');
  const store = openStore(db);
  try {
    const p = store.projects.ensure('default');
    const [lotA, lotB] = ['/line/lot-a', '/line/lot-b'].map((root) => store.imports.start(p.id, [root]).id);
    // Lot b: two of its three parts beyond the limit the model saved; lot a: one of three (its trained part not counted).
    const parts: Array<[string, number, number]> = [['t', lotA, 0.9], ['a1', lotA, 0.1], ['a2', lotA, 0.9], ['a3', lotA, 0.2], ['b1', lotB, 0.8], ['b2', lotB, 0.7], ['b3', lotB, 0.1]];
    const ids = parts.map(([name, importId]) => insertPart(store, p.id, `/line/${name}.png`, { label: 'good', importId }));
    const m = store.models.create({ projectId: p.id, name: 'whole', options: { isize: 32 }, scoreKind: 'recon-top1', trainImageIds: [ids[0]] });
    store.models.update(m.id, { status: 'ready', validationStats: { calibration: {}, epochKept: 1, trainCount: 1, validationCount: 1, kept: null, shiftLimit: 0.5 } });
    store.scores.write(m.id, parts.map(([, , shift], i) => ({ imageId: ids[i], score: i / 10, reconTop1: i / 10, shift })));
    store.follows.save({ projectId: p.id, importId: lotB, roots: ['/line/lot-b'], modelId: m.id, failed: 0, since: Date.UTC(2026, 11, 1, 6) });
  } finally {
    store.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('status --db', () => {
  it('names the import most of whose parts differ as a whole, in text and JSON', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'status', '--db', db], { timeout: 60_000 });
    expect(stdout).toMatch(/^ {2}#1 "whole" ready, score recon-top1, 7 scored, no threshold$/m);
    expect(stdout).toMatch(/^warning, model #1: import #2 from \/line\/lot-b \(2 of 3\): most parts differ from the good parts as a whole/m);
    expect(stdout).not.toMatch(/lot-a/);
    // What the library follows (api/follow.ts) is said too.
    expect(stdout).toMatch(/^following: \/line\/lot-b since 2026-12-01 06:00:00, new images scored by model #1 \(while the app or serve runs\)$/m);
    const json = JSON.parse((await run(process.execPath, [CLI, 'status', '--db', db, '--json'], { timeout: 60_000 })).stdout);
    expect(json.summary.following).toMatchObject({ roots: ['/line/lot-b'], modelId: 1 });
    expect(json.shifted).toEqual([{ modelId: 1, warning: expect.stringMatching(/^import #2 from \/line\/lot-b \(2 of 3\)/) }]);
  });

  it('says how many of the followed folder\u2019s parts the model flags and nobody has reviewed', async () => {
    const store = openStore(db);
    try {
      // Scores 0.0 to 0.6; at 0.45, b2 and b3 are flagged (the trained part t is no part of the line's).
      store.thresholds.set(1, { value: 0.45, lower: null, source: 'manual' });
    } finally {
      store.close();
    }
    const { stdout } = await run(process.execPath, [CLI, 'status', '--db', db], { timeout: 60_000 });
    expect(stdout).toMatch(/^following: .*\(while the app or serve runs\); 2 of them flagged and not reviewed$/m);
    const json = JSON.parse((await run(process.execPath, [CLI, 'status', '--db', db, '--json'], { timeout: 60_000 })).stdout);
    expect(json.summary.following.flaggedUnreviewed).toMatchObject({ count: 2 });
  });

  it('names a lot that flags more than the other lots beyond chance at the saved threshold', async () => {
    const jumpDb = join(dir, 'jump.sqlite');
    const store = openStore(jumpDb);
    try {
      const p = store.projects.ensure('default');
      // Long ago a test set of known defects, all flagged, then seven quiet lots: beyond the eight newest, as on the
      // Threshold screen, so not named. Yesterday's camera: 1 of 60 parts above the threshold; tonight's: 6 of 10.
      const old = store.imports.start(p.id, ['/lab/test']).id;
      const quiet = Array.from({ length: 7 }, (_, k) => store.imports.start(p.id, [`/line/quiet${k}`]).id);
      const day = store.imports.start(p.id, ['/line/day']).id;
      const night = store.imports.start(p.id, ['/line/night']).id;
      const parts = [...Array.from({ length: 10 }, (_, i) => ({ name: `t${i}`, importId: old, score: 0.9 })),
        ...quiet.flatMap((importId, k) => Array.from({ length: 10 }, (_, i) => ({ name: `q${k}-${i}`, importId, score: 0.1 }))),
        ...Array.from({ length: 60 }, (_, i) => ({ name: `d${i}`, importId: day, score: i === 0 ? 0.9 : 0.1 })),
        ...Array.from({ length: 10 }, (_, i) => ({ name: `n${i}`, importId: night, score: i < 6 ? 0.8 : 0.2 }))];
      const ids = parts.map((q) => insertPart(store, p.id, `/line/${q.name}.png`, { importId: q.importId }));
      // Its training image scores high and counts in no lot.
      const trained = insertPart(store, p.id, '/train/t.png', { label: 'good', importId: night });
      const m = store.models.create({ projectId: p.id, name: 'patches', options: { isize: 32 }, scoreKind: 'recon-top1', trainImageIds: [trained] });
      store.models.update(m.id, { status: 'ready' });
      store.scores.write(m.id, [...parts.map((q, i) => ({ imageId: ids[i], score: q.score, reconTop1: q.score })), { imageId: trained, score: 0.9, reconTop1: 0.9 }]);
      store.thresholds.set(m.id, { value: 0.5, lower: null, source: 'manual' });
    } finally {
      store.close();
    }
    const { stdout } = await run(process.execPath, [CLI, 'status', '--db', jumpDb], { timeout: 60_000 });
    expect(stdout).toMatch(/^warning, model #1: import #10 from \/line\/night flags 6 of 10 parts \(60\.0 %\) where the other lots flag 7\.9 % \(11 of 140\): more than chance gives at a 3-sigma control limit/m);
    expect(stdout).not.toMatch(/\/lab\/test flags/);
    const json = JSON.parse((await run(process.execPath, [CLI, 'status', '--db', jumpDb, '--json'], { timeout: 60_000 })).stdout);
    expect(json.flagJumps).toEqual([{ modelId: 1, warning: expect.stringMatching(/^import #10 from \/line\/night flags 6 of 10 parts \(60\.0 %\) where [^;]*: more than chance/) }]);
    // No capture-shift limit saved (as for a patch model): nothing to say of that.
    expect(json.shifted).toEqual([]);
  });
});
