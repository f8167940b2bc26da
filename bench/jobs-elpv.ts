// The library pipeline end to end on the real ELPV cells, through the job queue and its child process:
// import -> train job -> score job (with maps) -> export rows, with the time each step takes, the
// job-process start-up cost, and AUROC of test/good vs test/defective read back from the store.
// Run: nice -n 10 npx tsx bench/jobs-elpv.ts [isize=32] [epochs=3] [ngf=ndf=64] [batch=64]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auroc } from '../src-main/engine/metrics';
import { JobQueue, type JobSnapshot } from '../src-main/jobs/queue';
import { importFolders } from '../src-main/services/import-folders';
import { openStore } from '../src-main/store';
import { ELPV_DIR } from '../test/fixtures/elpv';

const root = ELPV_DIR;
const [isize, epochs, nf, batchSize] = [32, 3, 64, 64].map((d, i) => Number(process.argv[2 + i] ?? d));

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-jobs-'));
  const store = openStore(join(dir, 'library.sqlite'));
  const queue = new JobQueue({ store });
  try {
    const projectId = store.projects.ensure('elpv').id;
    let t = performance.now();
    const imp = await importFolders(store, { projectId, roots: [root], thumbnailsDir: join(dir, 'thumbnails') });
    const importS = (performance.now() - t) / 1000;
    console.log(`import: ${imp.imported} images in ${importS.toFixed(1)} s (${(imp.imported / importS).toFixed(0)} images/s), ${imp.failed} failed`);

    queue.resumeInterrupted();
    const marks: Record<number, { enqueued: number; firstWork?: number; last?: JobSnapshot }> = {};
    queue.subscribe((s) => {
      const m = marks[s.jobId];
      if (!m) return;
      if (!m.firstWork && (s.phase === 'training' || s.phase === 'scoring') && (s.batch ?? 0) > 0) m.firstWork = performance.now();
      if (s.status === 'running' && s.imagesPerSecond) m.last = s;
    });

    t = performance.now();
    const tr = queue.enqueueTrain({ projectId, options: { isize, epochs, ngf: nf, ndf: nf, batchSize } });
    marks[tr.jobId] = { enqueued: t };
    const tj = await queue.waitFor(tr.jobId);
    const trainS = (performance.now() - t) / 1000;
    const model = store.models.get(tr.modelId)!;
    const m1 = marks[tr.jobId];
    console.log(`train job: ${tj.status} in ${trainS.toFixed(1)} s (${model.trainCount} images, isize ${isize}, ${epochs} epochs, ngf=ndf ${nf}, batch ${batchSize}); ` +
      `first batch done ${((m1.firstWork! - m1.enqueued) / 1000).toFixed(1)} s after enqueue; ` +
      `${m1.last?.imagesPerSecond?.toFixed(1)} images/s training; engine time ${((model.trainingMs ?? 0) / 1000).toFixed(1)} s; ${tj.message}`);

    t = performance.now();
    const sc = queue.enqueueScore({ modelId: tr.modelId });
    marks[sc.jobId] = { enqueued: t };
    const sj = await queue.waitFor(sc.jobId);
    const scoreS = (performance.now() - t) / 1000;
    const n = store.scores.count(tr.modelId);
    const m2 = marks[sc.jobId];
    const scoringOnly = (performance.now() - m2.firstWork!) / 1000;
    console.log(`score job: ${sj.status} in ${scoreS.toFixed(1)} s, ${n} images with recon + full-size heat maps: ` +
      `${(n / scoreS).toFixed(1)} images/s overall, ${m2.last?.imagesPerSecond?.toFixed(1)} images/s once running (start-up ${(scoreS - scoringOnly).toFixed(1)} s)`);

    t = performance.now();
    const rows = store.stats.exportRows(tr.modelId);
    const exportMs = performance.now() - t;
    const clean = rows.filter((r) => r.split === 'test' && (r.label === 'good' || r.path.includes('/test/defective/')));
    const a = auroc(clean.map((r) => r.score), clean.map((r) => r.label === 'defect'));
    console.log(`export rows: ${rows.length} in ${exportMs.toFixed(0)} ms; AUROC test/good vs test/defective (${model.scoreKind}): ${a.toFixed(3)}`);
    console.log(`database ${(statSync(join(dir, 'library.sqlite')).size / 2 ** 20).toFixed(1)} MiB, integrity ${store.integrityCheck().join(',')}`);
  } finally {
    await queue.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
