// `npm run bench`: every benchmark in turn, each in its own process so backends and heaps do not mix.
// Figures only; nothing here is a test. Pass --quick for a short pass (fewer epochs and rows).
// `npm run bench -- <name> [args]` runs one: profile (where a training step's time goes), reference
// (side by side with the reference PyTorch GANomaly), or any bench/<name>.ts.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ELPV_DIR } from '../test/fixtures/elpv';

const quick = process.argv.includes('--quick');
const named = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : undefined;
const all: [string, string[]][] = [
  ['engine-speed.ts', quick ? ['--sizes', '32', '--steps', '2'] : []],
  ['engine-elpv.ts', quick ? ['32', '3'] : ['32', '15']],
  // GPU backends beside wasm; on the software adapter (no GPU) small, as it is a correctness device there.
  ['webgpu.ts', quick ? ['--sizes', '16', '--batch', '8', '--steps', '1'] : ['--sizes', '32', '--batch', '16', '--steps', '2']],
  ['decode.ts', quick ? [join(ELPV_DIR, 'train', 'good'), '2'] : []],
  ['import.ts', quick ? [ELPV_DIR, '1'] : []],
  ['store-queries.ts', quick ? ['20000', '5'] : []],
];
const runs: [string, string[]][] = named ? [[`${named.replace(/\.ts$/, '')}.ts`, process.argv.slice(3)]] : all;

let failed = 0;
for (const [file, args] of runs) {
  console.log(`\n=== bench/${file} ${args.join(' ')}`);
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', `bench/${file}`, ...args], { stdio: 'inherit' });
  console.log(`=== ${file}: ${r.status === 0 ? 'done' : `FAILED (exit ${r.status})`} in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
