// The parent's handle on one replica worker thread: starting it the way this process runs (tsx or the
// Electron bundle), requests answered in order, failure and termination.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './protocol';

/**
 * Where the worker's entry is. Unbundled (tsx, vitest) this module sits beside worker.ts. In the Electron
 * build electron-vite bundles worker.ts as the extra main entry `train-worker` (electron.vite.config.ts),
 * out/main/train-worker.js, while this code lands in out/main/index.js, job-child.js or a shared chunk in
 * out/main/chunks/: so look beside this file, then one folder up. Inside app.asar Node's Worker reads the
 * file through Electron's asar support.
 */
export function workerEntry(here: string = import.meta.url): URL {
  if (/\.[cm]?ts$/.test(new URL(here).pathname)) return new URL('./worker.ts', here);
  const candidates = [new URL('./train-worker.js', here), new URL('../train-worker.js', here)];
  const found = candidates.find((u) => existsSync(fileURLToPath(u)));
  if (!found) throw new Error(`training worker entry not found (looked for ${candidates.map((u) => fileURLToPath(u)).join(', ')})`);
  return found;
}

/**
 * Under tsx the TypeScript entry cannot be the worker's own entry: on Node 20 the loader hooks that
 * `--import tsx` registers (and which a worker inherits through execArgv) do not reach a worker's entry
 * ("Unknown file extension .ts"), under tsx's CLI and vitest alike. So a one-line ES module bootstraps
 * it through tsx's API, which loads the entry and all it imports as the parent's loader would.
 */
function bootstrap(entry: URL): URL {
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const code = `import { tsImport } from ${JSON.stringify(api)};\nawait tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

let live = 0;
/** Replica worker threads running now in this process (tests check none outlives training). */
export function liveReplicaWorkers(): number {
  return live;
}

type Reply<T extends FromWorker['type']> = Extract<FromWorker, { type: T }>;

export class ReplicaWorker {
  private readonly worker: Worker;
  private readonly pending: Array<{ resolve: (m: FromWorker) => void; reject: (e: Error) => void }> = [];
  private failure: Error | undefined;
  private exited: Promise<void>;

  constructor() {
    const entry = workerEntry();
    this.worker = new Worker(entry.pathname.endsWith('.ts') ? bootstrap(entry) : entry);
    live++;
    this.worker.on('message', (m: FromWorker) => {
      const p = this.pending.shift();
      if (!p) return;
      if (m.type === 'error') {
        // A replica that failed mid-request no longer matches the others: nothing after it is trusted.
        const err = new Error(`training worker: ${m.message}`);
        this.fail(err);
        p.reject(err);
      } else {
        p.resolve(m);
      }
    });
    this.worker.on('error', (err) => this.fail(new Error(`training worker crashed: ${err.message}`)));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        live--;
        this.fail(new Error(`training worker exited (code ${code})`));
        resolve();
      });
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.splice(0)) p.reject(this.failure);
  }

  request<T extends FromWorker['type']>(m: ToWorker, expect: T, transfer: ArrayBufferLike[] = []): Promise<Reply<T>> {
    const p = new Promise<Reply<T>>((resolve, reject) => {
      if (this.failure) { reject(this.failure); return; }
      this.pending.push({
        resolve: (r) => (r.type === expect ? resolve(r as Reply<T>)
          : reject(new Error(`training worker answered '${r.type}' to '${m.type}'`))),
        reject,
      });
      this.worker.postMessage(m, transfer as ArrayBuffer[]); // ours are never shared buffers
    });
    p.catch(() => undefined); // a failure is reported to whoever awaits, or by the next request
    return p;
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
    await this.exited;
  }
}
