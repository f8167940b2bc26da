// Uploads dropped or chosen files to the web mode's server and starts their import. Per batch: hash
// each file, ask the server to place the batch (content it holds already costs nothing), send only
// what it lacks, place those. Every finished file is kept by the server, so after a cancel, a lost
// connection or a killed server the same drop again sends only the rest.
import type { UploadingClient, UploadLimits } from '../../api/client';
import { sha256Of } from '../../components/sha256';

/** One file to send, with its path relative to what the user dropped or chose. */
export interface UploadFile {
  file: File;
  /** '/'-separated, relative: the dropped folder's name first, or just the name of a loose file. */
  path: string;
}

export interface UploadProgress {
  filesTotal: number;
  filesDone: number;
  bytesTotal: number;
  bytesDone: number;
  /** Bytes that actually went over the wire (the rest the server already held). */
  bytesSent: number;
  imagesPerSecond: number;
  etaSeconds: number | null;
  /** Files not sent, with why (hostile name, too large, refused by the server). */
  refused: Array<{ path: string; reason: string }>;
  /** Files inside dropped folders that are not images (README, CSV, ...) or hidden: not sent. */
  ignored: number;
  /** Dropped folders that hold a model.json: a model's folder, which Train's import takes, not the library. */
  modelFolders: string[];
}

export interface UploadResult extends UploadProgress {
  /** The import job that reads the uploaded files; null when nothing could be uploaded. */
  jobId: number | null;
}

export interface UploadOptions {
  signal?: AbortSignal;
  onProgress?: (p: UploadProgress) => void;
  /** Files sent at once. */
  concurrency?: number;
  batchSize?: number;
  now?: () => number;
}

const megabytes = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Which files to send: hidden ones never, non-images only when the user dropped them by themselves. */
export function selectFiles(files: UploadFile[], limits: UploadLimits): Pick<UploadProgress, 'ignored' | 'refused' | 'modelFolders'> & { send: UploadFile[] } {
  const send: UploadFile[] = [];
  const refused: UploadProgress['refused'] = [];
  const modelFolders: string[] = [];
  let ignored = 0;
  const extensions = new Set(limits.imageExtensions);
  for (const f of files) {
    const segments = f.path.split('/');
    const name = segments[segments.length - 1];
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 ? name.slice(dot).toLowerCase() : '';
    if (name === 'model.json' && segments.length > 1) modelFolders.push(segments.slice(0, -1).join('/'));
    if (segments.some((s) => s.startsWith('.') && s !== '.' && s !== '..')) ignored += 1;
    else if (segments.length > 1 && !extensions.has(ext)) ignored += 1;
    else if (f.file.size > limits.maxFileBytes) {
      refused.push({ path: f.path, reason: `${megabytes(f.file.size)} is over the ${megabytes(limits.maxFileBytes)} an upload may be` });
    } else send.push(f);
  }
  return { send, ignored, refused, modelFolders };
}

/** Runs `work` over `items` with at most `limit` at once; stops starting new ones after a failure. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

export async function uploadAndImport(client: UploadingClient, projectId: number, files: UploadFile[], opts: UploadOptions = {}): Promise<UploadResult> {
  const upload = client.upload;
  if (!upload) throw new Error('This window cannot upload files: use the path field or the desktop app.');
  const now = opts.now ?? (() => performance.now());
  const limits = await client.call('upload.limits');
  const { send, ignored, refused, modelFolders } = selectFiles(files, limits);
  const started = now();
  const p: UploadProgress = {
    filesTotal: send.length + refused.length,
    filesDone: refused.length,
    bytesTotal: send.reduce((n, f) => n + f.file.size, 0),
    bytesDone: 0,
    bytesSent: 0,
    imagesPerSecond: 0,
    etaSeconds: null,
    refused,
    ignored,
    modelFolders,
  };
  const report = () => {
    const seconds = (now() - started) / 1000;
    p.imagesPerSecond = seconds > 0 ? (p.filesDone - refused.length) / seconds : 0;
    const rate = seconds > 0 ? p.bytesDone / seconds : 0;
    p.etaSeconds = rate > 0 ? (p.bytesTotal - p.bytesDone) / rate : null;
    opts.onProgress?.({ ...p, refused: [...p.refused] });
  };
  report();

  const placedRoots = new Set<string>();
  const batchSize = Math.min(opts.batchSize ?? 100, limits.maxFilesPerRequest);
  const sizeOf = new Map<string, number>();
  for (let i = 0; i < send.length; i += batchSize) {
    opts.signal?.throwIfAborted();
    const batch = send.slice(i, i + batchSize);
    const entries: Array<{ path: string; sha256: string; file: File }> = [];
    for (const f of batch) {
      opts.signal?.throwIfAborted();
      entries.push({ path: f.path, sha256: await sha256Of(f.file), file: f.file });
      sizeOf.set(f.path, f.file.size);
    }
    const done = (path: string) => {
      p.filesDone += 1;
      p.bytesDone += sizeOf.get(path) ?? 0;
      report();
    };
    /** Places a list; counts the placed and refused ones as done and answers those still to send. */
    const place = async (list: typeof entries) => {
      const r = await client.call('upload.place', { projectId, files: list.map(({ path, sha256, file }) => ({ path, sha256, bytes: file.size })) });
      const missing = new Set(r.missing.map((m) => m.path));
      const refusedHere = new Set(r.refused.map((x) => x.path));
      p.refused.push(...r.refused);
      for (const e of list) {
        if (missing.has(e.path)) continue;
        if (!refusedHere.has(e.path)) placedRoots.add(e.path.split('/')[0]);
        done(e.path);
      }
      return list.filter((e) => missing.has(e.path));
    };
    const missing = await place(entries);
    const sent: typeof entries = [];
    await eachLimited(missing, opts.concurrency ?? 4, async (e) => {
      try {
        await upload(e.sha256, e.file, opts.signal);
        p.bytesSent += e.file.size;
        sent.push(e);
      } catch (err) {
        // The server refused this file (too large, cut off): say so and go on with the others. An
        // unreachable server or a cancel stops the whole upload; what was sent stays on the server.
        const code = (err as { code?: string }).code;
        if (opts.signal?.aborted || code === 'internal' || code === undefined) throw err;
        p.refused.push({ path: e.path, reason: (err as Error).message });
        done(e.path);
      }
    });
    if (sent.length) {
      for (const e of await place(sent)) {
        p.refused.push({ path: e.path, reason: 'the server did not keep its content' });
        done(e.path);
      }
    }
  }
  report();
  if (placedRoots.size === 0) return { ...p, jobId: null };
  const { jobId } = await client.call('upload.import', { projectId, roots: [...placedRoots] });
  return { ...p, jobId };
}
