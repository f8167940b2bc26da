// Median time of the UI's API requests (validation + handler + JSON encoding) over a library of 100k
// scored images with some reviews: what the renderer waits for, above the store's own query times.
// Run: nice npx tsx bench/api-requests.ts [images=100000] [reps=9]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApiHost } from '../src-main/api/host';

const N = Number(process.argv[2] ?? 100_000);
const REPS = Number(process.argv[3] ?? 9);
const dir = mkdtempSync(join(tmpdir(), 'bench-api-'));
const host = openApiHost({ dbPath: join(dir, 'lib.sqlite'), mode: 'web', version: 'bench', mediaUrl: (r) => `/media/image/${r.imageId}/${r.variant}`, queue: null });
const { store } = host;

let seed = 11;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const project = store.projects.create('bench');
const ids: number[] = [];
for (let start = 0; start < N; start += 5000) {
  store.transaction(() => {
    for (let k = start; k < Math.min(N, start + 5000); k++) {
      const defect = k % 10 === 0;
      ids.push(
        store.images.insert({
          projectId: project.id, path: `/data/line${k % 7}/part-${k}.png`, hash: `h${k}`, width: 300, height: 300,
          channels: 1, hasAlpha: false, format: 'png', bitDepth: 8, bytes: 90_000, mtimeMs: 0,
          label: defect ? 'defect' : 'good', split: k % 2 ? 'test' : 'train', defectType: null,
          folder: `/data/line${k % 7}`, importId: null, thumbnailPath: null,
        }).id,
      );
    }
  });
}
const model = store.models.create({ projectId: project.id, name: 'bench', options: {}, trainImageIds: ids.slice(0, 1000), scoreKind: 'recon-top1' });
store.models.update(model.id, { status: 'ready', validationStats: { 'recon-top1': { sorted: Array.from({ length: 1000 }, (_, i) => i / 1000) } } });
for (let start = 0; start < N; start += 5000) {
  store.scores.write(model.id, ids.slice(start, start + 5000).map((imageId, j) => ({ imageId, score: rand() + ((start + j) % 10 === 0 ? 0.5 : 0) })));
}
store.reviews.addMany(ids.filter((_, k) => k % 50 === 0).map((imageId) => ({ imageId, modelId: model.id, decision: 'defect' as const })));
store.thresholds.set(model.id, { value: 0.95, lower: 0.9, source: 'manual' });

// First call after a change ('cold': memo and store caches empty), then the median of repeats.
async function time(name: string, request: string, input: unknown): Promise<void> {
  const wall: number[] = [];
  let bytes = 0;
  let cold = 0;
  host.events.emit('library.changed', { projectId: 1, what: 'images' });
  for (let k = -1; k < REPS; k++) {
    const t0 = performance.now();
    const r = await host.dispatcher.handle(request, input);
    bytes = JSON.stringify(r).length;
    if (k >= 0) wall.push(performance.now() - t0);
    else cold = performance.now() - t0;
    if (!r.ok) throw new Error(`${request}: ${r.error.message}`);
  }
  const ms = (x: number) => x.toFixed(1).padStart(8);
  console.log(`${name.padEnd(42)} cold ${ms(cold)} ms  warm ${ms(median(wall))} ms ${(bytes / 1024).toFixed(0).padStart(6)} KiB`);
}

const m = model.id;
const p = project.id;
console.log(`${N} images, ${ids.length / 50} reviews; median of ${REPS}`);
await time('library.counts', 'library.counts', { projectId: p });
await time('library.images (offset 50k, 100)', 'library.images', { projectId: p, offset: 50_000, limit: 100 });
await time('results.ranking (top 100)', 'results.ranking', { modelId: m });
await time('results.ranking (offset 50k)', 'results.ranking', { modelId: m, offset: 50_000 });
await time('results.ranking (flagged, unreviewed)', 'results.ranking', { modelId: m, filter: { flagged: true, unreviewed: true } });
await time('results.ranking (label defect, folder)', 'results.ranking', { modelId: m, filter: { label: 'defect', folder: '/data/line3' } });
await time('results.ranking (sort path)', 'results.ranking', { modelId: m, sort: 'path' });
await time('results.ranking (name holds a serial)', 'results.ranking', { modelId: m, filter: { name: 'PART-4711' } });
await time('results.scores (all)', 'results.scores', { modelId: m });
await time('results.histogram (50 bins)', 'results.histogram', { modelId: m });
await time('results.counts (slider preview)', 'results.counts', { modelId: m, threshold: 0.8 });
await time('results.image', 'results.image', { modelId: m, imageId: ids[12345] });
await time('reviews.queue', 'reviews.queue', { modelId: m });
await time('thresholds.suggest best-f1', 'thresholds.suggest', { modelId: m, method: 'best-f1' });
await time('metrics.get', 'metrics.get', { modelId: m });
await time('export.results csv', 'export.results', { modelId: m, format: 'csv' });
await time('export.results csv (flagged list)', 'export.results', { modelId: m, format: 'csv', filter: { flagged: true } });

await host.close();
rmSync(dir, { recursive: true, force: true });
