// Median time of each UI query over a store of 100k scored images with some reviews.
// Run: npx tsx bench/store-queries.ts [images=100000] [reps=15]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Decision, type Label, type NewImage, type RankingFilter, type Split } from '../src-main/store';
import { trainingSetOf } from '../src-main/jobs/training-set';
import { backupLibrary } from '../src-main/services/library-backup';

const N = Number(process.argv[2] ?? 100_000);
const REPS = Number(process.argv[3] ?? 15);
const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
const store = openStore(join(dir, 'bench.db'));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// Wall time and this process's CPU time: on a shared machine the wall time stretches with others' load.
function time(name: string, fn: (rep: number) => unknown, before?: (rep: number) => void): void {
  before?.(-1);
  fn(-1); // warm the statement cache and the page cache
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < REPS; k++) {
    before?.(k);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn(k);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  console.log(
    `${name.padEnd(46)} ${median(wall).toFixed(2).padStart(8)} ms wall ${median(cpu).toFixed(2).padStart(8)} ms cpu`,
  );
}

let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

const t0 = performance.now();
const project = store.projects.create('bench');
const labels: (Label | null)[] = ['good', 'good', 'good', 'defect', null];
const splits: Split[] = ['train', 'test'];
const imageRow = (k: number, folder = `/data/line${k % 7}`): NewImage => ({
  projectId: project.id, path: `${folder}/part-${k}.png`, hash: `h${k}`, width: 300, height: 300, channels: 1, hasAlpha: false,
  format: 'png', bitDepth: 8, bytes: 90_000, mtimeMs: 0, label: labels[k % 5], split: splits[k % 2], defectType: null, folder,
  importId: null, thumbnailPath: `/thumbs/h${k}.webp`,
});
const ids: number[] = [];
for (let start = 0; start < N; start += 5000) {
  store.transaction(() => {
    for (let k = start; k < Math.min(N, start + 5000); k++) ids.push(store.images.insert(imageRow(k)).id);
  });
}
const model = store.models.create({ projectId: project.id, name: 'm', options: {}, trainImageIds: ids.slice(0, 500) });
for (let start = 0; start < N; start += 5000) {
  const batch = ids.slice(start, start + 5000).map((imageId) => {
    const s = rand();
    return { imageId, score: s, latent: s, reconTop1: s * 2, baseline: s / 2, calibrated: s, percentile: s };
  });
  store.scores.write(model.id, batch);
}
const decisions: Decision[] = ['good', 'defect', 'unsure'];
const reviewed = ids.filter(() => rand() < 0.05);
store.reviews.addMany(reviewed.map((imageId, k) => ({ imageId, decision: decisions[k % 3], note: k % 4 ? null : 'looked' })));
store.reviews.addMany(reviewed.slice(0, 500).map((imageId) => ({ imageId, decision: 'defect' as const })));
store.thresholds.set(model.id, { value: 0.9, lower: 0.85, source: 'manual' });
console.log(`${N} images, median of ${REPS} repetitions; filled ${N} images + scores, ${reviewed.length + 500} reviews in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const filters: [string, RankingFilter][] = [
  ['none', {}],
  ['flagged', { flagged: true }],
  ['unreviewed', { unreviewed: true }],
  ['label=defect', { label: 'defect' }],
  ['label=none', { label: 'none' }],
  ['folder', { folder: '/data/line3' }],
  ['split=test', { split: 'test' }],
  ['decision=defect', { decision: 'defect' }],
  ['flagged+unreviewed+label+split', { flagged: true, unreviewed: true, label: 'good', split: 'test' }],
];
for (const [name, f] of filters) time(`rank page 1 (100), filter ${name}`, () => store.ranking.rank(model.id, f, { limit: 100 }));
const deep = store.ranking.rank(model.id, {}, { limit: 1, offset: 50_000 }).rows[0];
time('rank page at row 50k, keyset', () =>
  store.ranking.rank(model.id, {}, { limit: 100, after: { score: deep.score, imageId: deep.imageId } }),
);
time('rank page at row 50k, offset', () => store.ranking.rank(model.id, {}, { limit: 100, offset: 50_000 }));
time('counts at threshold, slider (index cached)', (k) => store.stats.countsAt(model.id, 0.5 + k / 100));
time('counts at threshold, cold (after a review)', (k) => store.stats.countsAt(model.id, 0.5 + k / 100), (k) =>
  store.reviews.add({ imageId: ids[k + 100], decision: 'good' }),
);
time('histogram 50 bins (index cached)', () => store.stats.histogram(model.id, 50));
time('histogram 50 bins, cold (after a review)', () => store.stats.histogram(model.id, 50), (k) =>
  store.reviews.add({ imageId: ids[k + 200], decision: 'defect' }),
);
time('histogram 50 bins, label=good', () => store.stats.histogram(model.id, 50, { label: 'good' }));
time('images to score (first 1000)', () => store.scores.toScore(model.id, 1000));
time('counts by label and split', () => store.images.countsByLabelSplit(project.id));
time('status summary', () => store.status.summary(project.id));
time(`export (${N} rows)`, () => store.stats.exportRows(model.id));

// The backup (services/library-backup): SQLite's online backup, then the copy's integrity check, which runs on the
// event loop of whatever process asks (the app's main process for Save a backup…).
const backups: number[] = [];
const checks: number[] = [];
for (let k = 0; k < 3; k++) {
  const to = join(dir, `backup-${k}.sqlite`);
  const t1 = performance.now();
  await backupLibrary(store, to);
  backups.push(performance.now() - t1);
  const copy = openStore(to, { readonly: true });
  const t2 = performance.now();
  copy.integrityCheck();
  checks.push(performance.now() - t2);
  copy.close();
}
console.log(`${'backup, checked (services/library-backup)'.padEnd(46)} ${median(backups).toFixed(0).padStart(8)} ms wall, of it the integrity check ${median(checks).toFixed(0)} ms`);

// Taking a folder out keeps its images' reviews (migration 16's triggers copy them into removed_reviews): once, as
// it changes the store; the trail then reads both tables.
time('review trail (export.reviews)', () => store.reviews.trail(project.id));
const t3 = performance.now();
const removed = store.images.removeFolder(project.id, '/data/line3');
console.log(`${`remove a folder (${removed} images), reviews kept`.padEnd(46)} ${(performance.now() - t3).toFixed(0).padStart(8)} ms wall, once`);
time('review trail, with the removed folder\'s', () => store.reviews.trail(project.id));
time('training set (jobs/training-set)', () => trainingSetOf(store, project.id));
// The folder imported again: its parts keep their decisions from before for the training set (removed reviews by content).
store.transaction(() => {
  for (let k = 3; k < N; k += 7) store.images.insert(imageRow(k, '/data/line3-again'));
});
time('training set, the folder imported again', () => trainingSetOf(store, project.id));

store.close();
rmSync(dir, { recursive: true, force: true });
