// Files a browser uploads, kept by the library under <data folder>/uploads:
//   blobs/<aa>/<sha256>       each content once, named by its hash (a re-upload of it is free)
//   tree/p<project>/<path>    hard links to the blobs at the relative paths the user dropped, so the
//                             import service reads folder names (train/good, test/<defect>) as labels
//   incoming/                 bodies being received; renamed into blobs/ only once complete and
//                             verified, so a killed server never leaves a partial blob behind
// A folder taken out of a project, or a deleted project, takes its tree files with it (else the next
// upload under the same names, or a new project given the same id, would import them again), and each
// blob no other tree file links to. A blob sent but not placed yet stays: a cut-off upload resumes.
// Nothing is ever written outside the uploads folder: relative paths are checked segment by segment.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, lstatSync, mkdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { copyFile, link, lstat, mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';

export const UPLOAD_LIMITS = {
  /** Largest single file accepted; `serve --max-upload-mb` changes it. */
  maxFileBytes: 256 * 1024 * 1024,
  maxPathChars: 1024,
  maxSegmentBytes: 255,
  maxDepth: 32,
  /** Files named in one place request (keeps its JSON body far under the server's 1 MiB). */
  maxFilesPerRequest: 2000,
};

const SHA256 = /^[0-9a-f]{64}$/;

/** Why an upload cannot be taken; the HTTP layer turns `status` into its answer. */
export class UploadRefused extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
    this.name = 'UploadRefused';
  }
}

export const isSha256 = (s: string): boolean => SHA256.test(s);

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;

export function tooLargeMessage(bytes: number | null, max: number): string {
  return `${bytes === null ? 'The file' : `The file (${mb(bytes)})`} is larger than the ${mb(max)} an upload may be`;
}

/**
 * The segments of a relative path as a browser gives it ("train/good/cell1.png"), or the reason it
 * is refused: absolute paths, drive letters, backslashes, `.`/`..`, NUL and other control
 * characters, and over-long names could all point a write somewhere else.
 */
export function checkRelativePath(raw: string): { segments: string[] } | { reason: string } {
  if (raw.length === 0) return { reason: 'the name is empty' };
  if (raw.length > UPLOAD_LIMITS.maxPathChars) return { reason: `the path is longer than ${UPLOAD_LIMITS.maxPathChars} characters` };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return { reason: 'the name holds a NUL or control character' };
  if (raw.startsWith('/') || /^[a-zA-Z]:/.test(raw)) return { reason: 'an absolute path is not a relative one' };
  if (raw.includes('\\')) return { reason: 'backslashes are not allowed in uploaded names' };
  const segments = raw.split('/');
  if (segments.length > UPLOAD_LIMITS.maxDepth) return { reason: `the path is more than ${UPLOAD_LIMITS.maxDepth} folders deep` };
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..') return { reason: `"${s}" is not a usable file or folder name (no empty, "." or ".." parts)` };
    if (Buffer.byteLength(s) > UPLOAD_LIMITS.maxSegmentBytes) return { reason: `a name is longer than ${UPLOAD_LIMITS.maxSegmentBytes} bytes` };
  }
  return { segments };
}

export interface PlaceRequest {
  path: string;
  sha256: string;
  /** The file's size as the client sees it: a stored blob of another size is damaged and sent again. */
  bytes?: number;
}

export interface PlaceResult {
  /** Files now in the project's tree (new links and ones already there). */
  placed: number;
  /** Entries whose content has not been uploaded yet: send these blobs, then place them again. */
  missing: PlaceRequest[];
  refused: Array<{ path: string; reason: string }>;
}

export interface UploadStore {
  readonly dir: string;
  readonly maxFileBytes: number;
  has(sha256: string): boolean;
  /** Streams a body into the store; resolves once the blob is complete, verified and renamed in place. */
  receive(sha256: string, body: Readable, declaredBytes: number | null): Promise<{ sha256: string; bytes: number; existed: boolean }>;
  place(projectId: number, files: PlaceRequest[]): Promise<PlaceResult>;
  /** The project's tree folder for one top-level name of an upload (a dropped folder or loose file). */
  rootPath(projectId: number, name: string): string;
  treeDir(projectId: number): string;
  /** Whether `path` is one of the library's uploaded copies (under this folder). */
  holds(path: string): boolean;
  /** Whether an import's roots were a browser upload (all of them uploaded copies), not folders on disk. */
  isUpload(roots: readonly string[]): boolean;
  /** A folder of the uploaded copies as the browser sent it ('' for a project's loose files); null for a folder outside them. */
  droppedAs(folder: string): string | null;
  /** Removes the files directly in `folder` (as a folder's rows are) when it is in the project's tree; how many. */
  dropFolder(projectId: number, folder: string): Promise<number>;
  /** Removes the project's whole tree. */
  dropProject(projectId: number): Promise<void>;
  /**
   * Gathers uploaded blobs as the flat folder they came from (a model's folder sent from a browser), under
   * incoming/ so a stop of the server clears it. `release` removes the folder and each blob no tree file holds.
   */
  stage(files: StagedFile[]): Promise<{ dir: string; release(): Promise<void> }>;
}

/** One file of an uploaded flat folder: its name and the sha256 and size it was uploaded with. */
export interface StagedFile {
  name: string;
  sha256: string;
  bytes: number;
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** `p` with its links resolved, or null when it does not exist. */
function realOrNull(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

export function openUploadStore(dataDir: string, maxFileBytes = UPLOAD_LIMITS.maxFileBytes): UploadStore {
  const dir = join(resolve(dataDir), 'uploads');
  const blobs = join(dir, 'blobs');
  const incoming = join(dir, 'incoming');
  // Bodies cut off by a stop of the server are never finished: start with none.
  rmSync(incoming, { recursive: true, force: true });
  mkdirSync(incoming, { recursive: true });
  mkdirSync(blobs, { recursive: true });

  const blobPath = (sha: string) => join(blobs, sha.slice(0, 2), sha);
  const treeDir = (projectId: number) => join(dir, 'tree', `p${projectId}`);
  const holds = (path: string) => path.startsWith(dir + sep);

  async function receive(sha256: string, body: Readable, declaredBytes: number | null) {
    if (!isSha256(sha256)) throw new UploadRefused(400, 'Name an upload by the sha256 of its content (64 lowercase hex digits)');
    if (declaredBytes !== null && declaredBytes > maxFileBytes) throw new UploadRefused(413, tooLargeMessage(declaredBytes, maxFileBytes));
    const final = blobPath(sha256);
    if (existsSync(final)) {
      body.resume(); // the content is already here: the bytes are not needed
      return { sha256, bytes: statSync(final).size, existed: true };
    }
    const part = join(incoming, `${sha256}.${randomBytes(6).toString('hex')}.part`);
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      await new Promise<void>((ok, fail) => {
        const out = createWriteStream(part, { flags: 'wx' });
        const stop = (err: Error) => {
          body.unpipe(out);
          out.destroy();
          fail(err);
        };
        body.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > maxFileBytes) return stop(new UploadRefused(413, tooLargeMessage(null, maxFileBytes)));
          hash.update(chunk);
        });
        body.on('aborted', () => stop(new UploadRefused(400, 'The upload was cut off before its end')));
        body.on('error', stop);
        out.on('error', stop);
        out.on('finish', ok);
        body.pipe(out);
      });
      if (declaredBytes !== null && bytes !== declaredBytes) throw new UploadRefused(400, `Received ${bytes} of ${declaredBytes} bytes`);
      const got = hash.digest('hex');
      if (got !== sha256) throw new UploadRefused(400, `The content's sha256 is ${got}, not the ${sha256} it was sent as`);
      // No fsync: a killed server loses nothing the kernel holds, and one fsync per file cost 4× the
      // upload time (bench/upload.ts). A power cut can leave a named blob short; place() checks the
      // size the client states and takes such a blob as missing.
      await mkdir(dirname(final), { recursive: true });
      await rename(part, final);
      return { sha256, bytes, existed: false };
    } finally {
      await rm(part, { force: true });
    }
  }

  /** Links the blob at `target`; a different file already there keeps its place and this one gets `name~<hash>`. */
  async function linkInto(blob: string, target: string, sha: string): Promise<void> {
    const blobIno = statSync(blob).ino;
    const ext = extname(target);
    const candidates = [target, `${target.slice(0, target.length - ext.length)}~${sha.slice(0, 12)}${ext}`];
    for (const candidate of candidates) {
      let existing: ReturnType<typeof lstatSync> | undefined;
      try {
        existing = lstatSync(candidate);
      } catch {
        existing = undefined;
      }
      if (existing) {
        if (existing.isFile() && existing.ino === blobIno) return; // placed by an earlier upload
        continue;
      }
      try {
        await link(blob, candidate);
      } catch (err) {
        // Some file systems have no hard links: a copy costs disk but works the same.
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw err;
        await copyFile(blob, candidate);
      }
      return;
    }
    throw new Error('two other files already hold this name');
  }

  /** Unlinks a tree file, and its blob when that was the blob's last link (a copy leaves the blob be). */
  async function dropTreeFile(path: string): Promise<boolean> {
    const st = await lstat(path);
    if (!st.isFile()) return false;
    const blob = st.nlink === 2 ? blobPath(await sha256OfFile(path)) : null;
    await rm(path);
    if (blob) {
      const b = await stat(blob).catch(() => null);
      if (b && b.ino === st.ino && b.nlink === 1) await rm(blob, { force: true });
    }
    return true;
  }

  async function place(projectId: number, files: PlaceRequest[]): Promise<PlaceResult> {
    const root = treeDir(projectId);
    const out: PlaceResult = { placed: 0, missing: [], refused: [] };
    for (const f of files) {
      const checked = checkRelativePath(f.path);
      if ('reason' in checked) {
        out.refused.push({ path: f.path, reason: checked.reason });
        continue;
      }
      if (!isSha256(f.sha256)) {
        out.refused.push({ path: f.path, reason: 'its sha256 is not 64 lowercase hex digits' });
        continue;
      }
      const blob = blobPath(f.sha256);
      if (existsSync(blob) && f.bytes !== undefined && statSync(blob).size !== f.bytes) await rm(blob, { force: true });
      if (!existsSync(blob)) {
        out.missing.push(f);
        continue;
      }
      const target = join(root, ...checked.segments);
      // Belt and braces: the checked segments cannot leave the tree, and this says so.
      if (!target.startsWith(root + sep)) {
        out.refused.push({ path: f.path, reason: 'the name points outside the upload folder' });
        continue;
      }
      try {
        await mkdir(dirname(target), { recursive: true });
        await linkInto(blob, target, f.sha256);
        out.placed += 1;
      } catch (err) {
        // The blob went between the check and the link (its last tree file was dropped): send it again.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(blob)) out.missing.push(f);
        else out.refused.push({ path: f.path, reason: `cannot be stored: ${(err as Error).message}` });
      }
    }
    return out;
  }

  return {
    dir,
    maxFileBytes,
    has: (sha) => isSha256(sha) && existsSync(blobPath(sha)),
    holds,
    isUpload: (roots) => roots.length > 0 && roots.every(holds),
    droppedAs(folder) {
      const tree = join(dir, 'tree');
      if (!folder.startsWith(tree + sep)) return null;
      return relative(tree, folder).split(sep).slice(1).join('/'); // less the project's own p<id>
    },
    receive,
    place,
    treeDir,
    rootPath(projectId, name) {
      const checked = checkRelativePath(name);
      if ('reason' in checked || checked.segments.length !== 1) throw new UploadRefused(400, `"${name}" is not one uploaded folder or file name`);
      return join(treeDir(projectId), name);
    },
    async dropFolder(projectId, folder) {
      const root = realOrNull(treeDir(projectId));
      const real = realOrNull(folder);
      if (!root || !real || (real !== root && !real.startsWith(root + sep))) return 0;
      let dropped = 0;
      for (const e of await readdir(real, { withFileTypes: true })) {
        if (e.isFile() && (await dropTreeFile(join(real, e.name)))) dropped += 1;
      }
      await rmdir(real).catch(() => undefined); // only once nothing is left in it (subfolders keep their rows)
      return dropped;
    },
    async stage(files) {
      const names = new Set<string>();
      for (const f of files) {
        const checked = checkRelativePath(f.name);
        if ('reason' in checked || checked.segments.length !== 1) throw new UploadRefused(400, `"${f.name}" is not a file name of one folder`);
        if (names.has(f.name)) throw new UploadRefused(400, `"${f.name}" is named twice`);
        names.add(f.name);
        if (!isSha256(f.sha256)) throw new UploadRefused(400, `"${f.name}": its sha256 is not 64 lowercase hex digits`);
        const blob = blobPath(f.sha256);
        if (!existsSync(blob) || statSync(blob).size !== f.bytes) throw new UploadRefused(400, `"${f.name}" has not been uploaded (send its content first)`);
      }
      const staged = join(incoming, `folder-${randomBytes(8).toString('hex')}`);
      await mkdir(staged);
      const release = async () => {
        await rm(staged, { recursive: true, force: true });
        for (const f of files) {
          const b = await stat(blobPath(f.sha256)).catch(() => null);
          if (b && b.nlink === 1) await rm(blobPath(f.sha256), { force: true });
        }
      };
      try {
        for (const f of files) await linkInto(blobPath(f.sha256), join(staged, f.name), f.sha256);
      } catch (err) {
        await release();
        throw err;
      }
      return { dir: staged, release };
    },
    async dropProject(projectId) {
      const root = treeDir(projectId);
      if (!existsSync(root)) return;
      for (const e of await readdir(root, { withFileTypes: true, recursive: true })) {
        if (e.isFile()) await dropTreeFile(join(e.parentPath, e.name));
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}
