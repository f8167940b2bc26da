// Images per second importing a folder (default: the ELPV set) into a fresh database; median of 3 runs.
// Run: npx tsx bench/import.ts [folder] [runs=3] [concurrency=4]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFolders } from '../src-main/services/import-folders';
import { openStore } from '../src-main/store';
import { ELPV_DIR } from '../test/fixtures/elpv';

const root = process.argv[2] ?? ELPV_DIR;
const runs = Number(process.argv[3] ?? 3);
const concurrency = Number(process.argv[4] ?? 4);

const rates: number[] = [];
for (let run = 0; run < runs; run++) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  const store = openStore(join(dir, 'bench.db'));
  try {
    const project = store.projects.create('bench');
    const cpu0 = process.cpuUsage();
    const r = await importFolders(store, { projectId: project.id, roots: [root], thumbnailsDir: join(dir, 'thumbs'), concurrency });
    const rate = r.seen / r.seconds;
    rates.push(rate);
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000 / r.seen;
    console.log(
      `run ${run + 1}: ${r.imported} imported, ${r.failed} failed in ${r.seconds.toFixed(2)} s = ` +
        `${rate.toFixed(1)} images/s; ${cpuMs.toFixed(1)} ms CPU per image (all threads)`,
    );
    if (run === runs - 1) {
      const t0 = performance.now();
      const again = await importFolders(store, { projectId: project.id, roots: [root], thumbnailsDir: join(dir, 'thumbs'), concurrency });
      const s = (performance.now() - t0) / 1000;
      console.log(`re-import of the same folder: ${again.skipped} skipped in ${s.toFixed(2)} s = ${(again.seen / s).toFixed(0)} files/s`);
    }
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
rates.sort((a, b) => a - b);
console.log(`median of ${runs}: ${rates[Math.floor(runs / 2)].toFixed(1)} images/s (concurrency ${concurrency}, ${root})`);
