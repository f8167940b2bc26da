// What lots cost as a followed line's history grows (an import a minute when parts come: 525 600 a year):
// the andon's lot check (follow.get's lotJump) and the whole-history grouping behind the Threshold screen's lots
// (results.scores, score --db, status --db, the export), on a real SQLite file with 100 000 scored parts.
// Run: npx tsx bench/lots.ts [imports=1000,100000,525600] [reps=5]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../src-main/store';
import { followedLotJump } from '../src-main/api/follow-lot';
import { lotsOf } from '../src-main/shared/lots';

const SIZES = (process.argv[2] ?? '1000,100000,525600').split(',').map(Number);
const REPS = Number(process.argv[3] ?? 5);
const PARTS = 100_000;

const median = (fn: () => unknown): number => {
  const t: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const a = performance.now();
    fn();
    t.push(performance.now() - a);
  }
  return t.sort((a, b) => a - b)[Math.floor(REPS / 2)];
};

for (const imports of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-lots-'));
  const file = join(dir, 'l.sqlite');
  openStore(file).close();
  const db = new Database(file);
  const projectId = (db.prepare("INSERT INTO projects (name, created_at) VALUES ('line', 0) RETURNING id").get() as { id: number }).id;
  const t0 = Date.UTC(2026, 0, 1);
  const imp = db.prepare("INSERT INTO imports (project_id, roots, status, started_at, finished_at) VALUES (?, '[\"/cam\"]', 'done', ?, ?)");
  const img = db.prepare(`INSERT INTO images (project_id, path, hash, width, height, channels, has_alpha, format, bit_depth, bytes, mtime_ms,
    folder, import_id, added_at) VALUES (?, ?, ?, 8, 8, 1, 0, 'png', 8, 1, 1, '/cam', ?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < imports; i++) imp.run(projectId, t0 + i * 60_000, t0 + i * 60_000);
    // The parts spread over the newest imports, as a line's would: the last day's lot holds its share.
    for (let k = 0; k < PARTS; k++) {
      const i = imports - 1 - (k % Math.min(imports, PARTS));
      img.run(projectId, `/cam/${k}.png`, `h${k}`, i + 1, t0 + i * 60_000);
    }
  })();
  db.close();
  const store = openStore(file);
  const ids = Array.from({ length: PARTS }, (_, k) => k + 1);
  const m = store.models.create({ projectId, name: 'm', options: {}, scoreKind: 'recon-top1', trainImageIds: ids.slice(0, 500) });
  store.scores.write(m.id, ids.map((id, i) => ({ imageId: id, score: ((i * 7919) % 1000) / 1000 })));
  store.thresholds.set(m.id, { value: 0.95, lower: null, source: 'manual' });
  const jump = median(() => followedLotJump(store, { projectId, roots: ['/cam'], modelId: m.id }));
  // The first read groups the whole history; later reads only what came since (here nothing).
  const first = median(() => lotsOf(store.imports.startsBetween(projectId, 0, Number.MAX_SAFE_INTEGER)));
  const cached = median(() => store.imports.lots(projectId).lots());
  const lots = store.imports.lots(projectId).lots().length;
  console.log(`${imports} imports (${lots} lots), ${PARTS} scored parts: andon lot check ${jump.toFixed(1)} ms, whole-history lots ${first.toFixed(0)} ms grouped anew, ${cached.toFixed(1)} ms kept (medians of ${REPS})`);
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
