// Browser-upload throughput: the renderer's uploader (hash, place, send what is missing) over real
// HTTP into a fresh web mode, then the import it starts; then the same folder again (nothing sent).
// Beside it, the plain folder import of the same files in the same run, as the reference.
// Run: npx tsx bench/upload.ts [folder=ELPV] [runs=3]
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { createClient, httpTransport } from '../src-renderer/api/client';
import type { ApiClient } from '../src-renderer/api/client';
import { uploadAndImport } from '../src-renderer/library/upload/uploader';
import type { UploadFile } from '../src-renderer/library/upload/uploader';
import { startWebMode } from '../src-main/server/web-mode';
import { ELPV_DIR } from '../test/fixtures/elpv';

const root = process.argv[2] ?? ELPV_DIR;
const runs = Number(process.argv[3] ?? 3);

function files(dir: string, out: UploadFile[] = []): UploadFile[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else out.push({ path: `${basename(root)}/${relative(root, p).split('\\').join('/')}`, file: new File([readFileSync(p)], name) });
  }
  return out;
}

async function waitForJob(client: ApiClient, jobId: number): Promise<void> {
  for (;;) {
    const job = await client.call('jobs.get', { jobId });
    if (job.status !== 'running' && job.status !== 'queued') return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function importByPath(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-upload-ref-'));
  const web = await startWebMode({ dbPath: join(dir, 'library.sqlite'), port: 0, staticDir: null, queue: null });
  try {
    const client = createClient(httpTransport(`http://127.0.0.1:${web.server.port}`, web.server.token ?? undefined));
    const projectId = (await client.call('projects.create', { name: 'by path' })).id;
    const t = performance.now();
    const { jobId } = await client.call('import.start', { projectId, paths: [root] });
    await waitForJob(client, jobId);
    return (performance.now() - t) / 1000;
  } finally {
    await web.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const list = files(root);
const mb = list.reduce((n, f) => n + f.file.size, 0) / 1024 / 1024;
console.log(`${list.length} files, ${mb.toFixed(1)} MB from ${root}`);
const first: number[] = [];
const uploadOnly: number[] = [];
const again: number[] = [];
const pathImport: number[] = [];
for (let run = 0; run < runs; run++) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-upload-'));
  const web = await startWebMode({ dbPath: join(dir, 'library.sqlite'), port: 0, staticDir: null, queue: null });
  try {
    const client = createClient(httpTransport(`http://127.0.0.1:${web.server.port}`, web.server.token ?? undefined));
    const projectId = (await client.call('projects.create', { name: 'bench' })).id;
    let t = performance.now();
    const r = await uploadAndImport(client, projectId, list);
    const sent = (performance.now() - t) / 1000;
    await waitForJob(client, r.jobId!);
    const total = (performance.now() - t) / 1000;
    t = performance.now();
    const r2 = await uploadAndImport(client, projectId, list);
    await waitForJob(client, r2.jobId!);
    const second = (performance.now() - t) / 1000;
    // The reference in its own fresh library, so it makes its own thumbnails as the upload's import did.
    const byPath = await importByPath();
    first.push(list.length / total);
    uploadOnly.push(list.length / sent);
    again.push(list.length / second);
    pathImport.push(list.length / byPath);
    console.log(
      `run ${run + 1}: upload ${sent.toFixed(2)} s (${(mb / sent).toFixed(1)} MB/s) + import = ${total.toFixed(2)} s; ` +
        `same folder again ${second.toFixed(2)} s (${r2.bytesSent} bytes sent); import by path ${byPath.toFixed(2)} s`,
    );
  } finally {
    await web.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(
  `median files/s: upload only ${median(uploadOnly).toFixed(0)}, upload + import ${median(first).toFixed(0)}, ` +
    `same folder again ${median(again).toFixed(0)}, import by path (reference) ${median(pathImport).toFixed(0)}; ` +
    `upload + import takes ${(median(pathImport) / median(first)).toFixed(2)}× the time of an import by path`,
);
