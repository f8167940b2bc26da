// Starts the local web mode for one database: the API host plus the HTTP server. Used by `serve`,
// `npm start` without Electron, and the tests.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApiHost } from '../api/host';
import type { ApiHost, HostOptions } from '../api/host';
import { formatMediaRef } from '../api/media-ref';
import { startServer } from './http-server';
import { newerSources } from './renderer-build';
import type { RunningServer } from './http-server';

export interface WebModeOptions {
  dbPath: string;
  host?: string;
  port?: number;
  /** See ServerOptions.token: undefined generates one, null asks for none (loopback only). */
  token?: string | null;
  /** Built renderer; default out/renderer of this checkout. */
  staticDir?: string | null;
  importFolders?: HostOptions['importFolders'];
  queue?: HostOptions['queue'];
  maxUploadBytes?: HostOptions['maxUploadBytes'];
  followEveryMs?: HostOptions['followEveryMs'];
  log?: (line: string) => void;
}

export interface WebMode {
  server: RunningServer;
  host: ApiHost;
  /** True when a renderer build was found and is being served. */
  servesApp: boolean;
  /** Source folders of a checkout changed since that build (then it shows older screens); else empty. */
  staleBuild: string[];
  close(): Promise<void>;
}

export const defaultRendererDir = (): string => fileURLToPath(new URL('../../out/renderer', import.meta.url));
/** The checkout's root, and what the renderer build is made from there (it imports src-main/shared too). */
const checkoutRoot = (): string => fileURLToPath(new URL('../../', import.meta.url));
const RENDERER_SOURCES = ['src-renderer', 'src-main/shared'];

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export async function startWebMode(opts: WebModeOptions): Promise<WebMode> {
  const staticDir = opts.staticDir === undefined ? defaultRendererDir() : opts.staticDir;
  const servesApp = staticDir !== null && existsSync(join(staticDir, 'index.html'));
  // Listen before opening the host: opening starts the queue's next job, and a busy port must not
  // leave that job 'interrupted'. No request is handled before `host` is set: it is set in the same
  // turn as the listen callback, ahead of any I/O.
  let host: ApiHost | undefined;
  const opened = (): ApiHost => {
    if (!host) throw new Error('the web mode is still starting');
    return host;
  };
  const server = await startServer({
    dispatcher: { handle: (name, input) => opened().dispatcher.handle(name, input) },
    events: { subscribe: (listener) => opened().events.subscribe(listener) },
    media: (ref) => opened().media(ref),
    modelDownload: (modelId) => opened().modelDownload(modelId),
    libraryDownload: () => opened().libraryDownload(),
    upload: { receive: (sha, body, bytes) => opened().uploads.receive(sha, body, bytes) },
    staticDir: servesApp ? staticDir : null,
    host: opts.host,
    port: opts.port,
    token: opts.token,
    log: opts.log,
  });
  try {
    host = openApiHost({
      dbPath: opts.dbPath,
      mode: 'web',
      version: packageVersion(),
      mediaUrl: (ref) => `/media/${formatMediaRef(ref)}`,
      importFolders: opts.importFolders,
      queue: opts.queue,
      maxUploadBytes: opts.maxUploadBytes,
      followEveryMs: opts.followEveryMs,
      log: opts.log,
    });
  } catch (err) {
    await server.close();
    throw err;
  }
  const api = host;
  return {
    server,
    host: api,
    servesApp,
    staleBuild: servesApp && opts.staticDir === undefined ? newerSources(staticDir!, checkoutRoot(), RENDERER_SOURCES) : [],
    async close() {
      await server.close();
      await api.close();
    },
  };
}
