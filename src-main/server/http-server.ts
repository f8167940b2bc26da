// The local web mode: the contract over HTTP (POST /api/<name>), events over SSE (/api/events),
// library media (/media/image/<id>/<variant>), a model as one .zip (/download/model/<id>.zip) and the built renderer, from
// one node:http server.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpStatus, toApiError } from '../api/dispatch';
import type { Dispatcher } from '../api/dispatch';
import type { EventHub } from '../api/events';
import { parseMediaRef } from '../api/media-ref';
import type { MediaRef } from '../api/media-ref';
import type { ModelDownload } from '../api/model-download';
import type { ApiError, Envelope } from '../api/contract';
import { authorize, isLoopbackHost, newToken, tokenCookie } from './auth';
import { resolveStatic, sendFile } from './static-files';
import { CONTENT_SECURITY_POLICY } from './csp';
import { sendMedia } from './media-response';
import type { MediaSource } from './media-response';
import { receiveUpload } from './upload-request';
import type { UploadReceiver } from './upload-request';

export interface ServerOptions {
  dispatcher: Dispatcher;
  events: Pick<EventHub, 'subscribe'>;
  media: (ref: MediaRef) => Promise<MediaSource>;
  /** GET /download/model/<id>.zip: a model's folder as one file; absent: not served. */
  modelDownload?: (modelId: number) => Promise<ModelDownload>;
  /** GET /download/library.sqlite: a fresh backup of the library's database, removed once sent. */
  libraryDownload?: () => Promise<{ path: string; filename: string; release(): Promise<void> }>;
  /** Takes PUT /upload/<sha256> bodies; absent: uploads are refused as not available. */
  upload?: UploadReceiver;
  /** Built renderer folder; null serves the API only. */
  staticDir: string | null;
  host?: string;
  port?: number;
  /** Every request's token; generated when not given. null asks for none: loopback only. */
  token?: string | null;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string; // includes ?token= when one is needed
  host: string;
  port: number;
  token: string | null;
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;
const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...securityHeaders, ...extra });
  res.end(text);
}

function sendError(res: ServerResponse, error: ApiError, extra: Record<string, string> = {}): void {
  const body: Envelope<never> = { ok: false, error };
  sendJson(res, httpStatus(error.code), body, extra);
}

class BodyTooLarge extends Error {}

/** How long a refused upload's remaining body is read before the answer goes anyway (the limit over a LAN). */
const DRAIN_MS = 10_000;

/** Reads and drops what is left of a request's body; resolves once it has all come in, the client went, or `ms` passed. */
function afterBody(req: IncomingMessage, ms: number): Promise<void> {
  req.resume();
  if (req.complete || req.destroyed) return Promise.resolve();
  return new Promise((ok) => {
    const timer = setTimeout(ok, ms);
    const done = () => {
      clearTimeout(timer);
      ok();
    };
    req.once('end', done);
    req.once('close', done);
  });
}

/** Rejects with BodyTooLarge as soon as the body passes MAX_BODY; the caller answers 413 and closes. */
function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY) return Promise.reject(new BodyTooLarge(`Request body over ${MAX_BODY} bytes`));
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > MAX_BODY) return; // already refused
      size += chunk.length;
      if (size > MAX_BODY) reject(new BodyTooLarge(`Request body over ${MAX_BODY} bytes`));
      else chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function handleApi(opts: ServerOptions, req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
  if (req.method !== 'POST') return sendError(res, { code: 'bad-request', message: 'Use POST for API requests' }, { allow: 'POST' });
  // JSON only: a cross-site form cannot send it without a CORS preflight, which we never grant.
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    return sendError(res, { code: 'bad-request', message: 'Send the input as application/json' });
  }
  let input: unknown;
  try {
    const text = await readBody(req);
    input = text.trim() === '' ? undefined : JSON.parse(text);
  } catch (err) {
    if (err instanceof BodyTooLarge) {
      // Answer first, then drop the connection: the rest of the body is never read.
      res.on('finish', () => req.destroy());
      return sendError(res, { code: 'too-large', message: err.message }, { connection: 'close' });
    }
    return sendError(res, { code: 'bad-request', message: `Body is not valid JSON: ${(err as Error).message}` });
  }
  const envelope = await opts.dispatcher.handle(name, input);
  sendJson(res, envelope.ok ? 200 : httpStatus(envelope.error.code), envelope);
}

function handleEvents(opts: ServerOptions, req: IncomingMessage, res: ServerResponse, extra: Record<string, string>): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    ...securityHeaders,
    ...extra,
  });
  res.write('retry: 2000\n\n');
  const unsubscribe = opts.events.subscribe((message) => res.write(`data: ${JSON.stringify(message)}\n\n`));
  const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
  req.on('close', () => {
    clearInterval(ping);
    unsubscribe();
  });
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const loopback = isLoopbackHost(host);
  if (opts.token === null && !loopback) throw new Error(`a server bound to ${host} needs a token: drop --no-token or bind to 127.0.0.1`);
  const token = opts.token === undefined ? newToken() : opts.token;
  const log = opts.log ?? (() => {});
  let port = opts.port ?? 0;

  // Anything thrown while routing (a malformed request line or escape) answers this request; a throw
  // out of a 'request' listener would end the whole server.
  const server = createServer((req, res) => {
    try {
      route(req, res);
    } catch (err) {
      log(`${req.method} ${req.url} refused: ${(err as Error).message}`);
      if (res.headersSent) return void res.destroy();
      const malformed = err instanceof URIError || (err as NodeJS.ErrnoException).code === 'ERR_INVALID_URL';
      sendError(res, malformed ? { code: 'bad-request', message: `Malformed request: ${(err as Error).message}` } : toApiError(err));
    }
  });

  function route(req: IncomingMessage, res: ServerResponse): void {
    // URL parsing would quietly resolve dot segments; a request that uses them is refused instead.
    if (/(^|\/|%2f)(\.|%2e){2}(\/|%2f|$)/i.test(req.url ?? '')) {
      return sendError(res, { code: 'bad-request', message: 'Paths with ".." are not served' });
    }
    const url = new URL(req.url ?? '/', 'http://local');
    const auth = authorize(req, url, token, port, host);
    if (!auth.ok) {
      return sendError(res, { code: auth.code, message: auth.reason }, auth.code === 'unauthorized' ? { 'www-authenticate': 'Bearer' } : {});
    }
    const extra: Record<string, string> = auth.setCookie && token ? { 'set-cookie': tokenCookie(token) } : {};
    const path = url.pathname;
    const done = (p: Promise<void> | void) =>
      Promise.resolve(p).catch((err) => {
        log(`${req.method} ${path} failed: ${(err as Error).message}`);
        if (!res.headersSent) sendError(res, toApiError(err));
        else res.destroy();
      });

    if (path === '/api/events') return void done(handleEvents(opts, req, res, extra));
    if (path.startsWith('/api/')) return void done(handleApi(opts, req, res, decodeURIComponent(path.slice(5))));
    if (path.startsWith('/upload/')) {
      return void done(
        receiveUpload(opts.upload, req, path.slice('/upload/'.length)).then(
          (data) => sendJson(res, 200, { ok: true, data }, extra),
          // The answer waits for the rest of a refused body (read and dropped), then hangs up: closing while the
          // client still sends would cut it off with a reset instead of this answer.
          (err: unknown) => afterBody(req, DRAIN_MS).then(() => sendError(res, toApiError(err), { connection: 'close', ...extra })),
        ),
      );
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendError(res, { code: 'bad-request', message: `${req.method} is not served here` }, { allow: 'GET, HEAD' });
    }
    if (path.startsWith('/media/')) {
      return void done(
        (async () => {
          const source = await opts.media(parseMediaRef(path.slice('/media/'.length), url.searchParams));
          await sendMedia(res, source, { ...securityHeaders, ...extra });
        })(),
      );
    }
    const download = /^\/download\/model\/(\d{1,12})\.zip$/.exec(path);
    if (download && opts.modelDownload) {
      const get = opts.modelDownload;
      return void done(
        (async () => {
          const { bytes, filename } = await get(Number(download[1]));
          const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
          res.writeHead(200, {
            ...securityHeaders, ...extra, 'content-type': 'application/zip', 'content-length': String(bytes.length), 'cache-control': 'no-store',
            'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
          });
          res.end(bytes);
        })(),
      );
    }
    if (path === '/download/library.sqlite' && opts.libraryDownload) {
      const get = opts.libraryDownload;
      return void done(
        (async () => {
          const backup = await get();
          try {
            await sendMedia(res, { path: backup.path, mime: 'application/vnd.sqlite3' }, {
              ...securityHeaders, ...extra, 'cache-control': 'no-store', 'content-disposition': `attachment; filename="${backup.filename}"`,
            });
          } finally {
            await backup.release();
          }
        })(),
      );
    }
    if (!opts.staticDir) return sendError(res, { code: 'not-found', message: 'This server has no renderer build' }, extra);
    const staticDir = opts.staticDir;
    return void done(
      (async () => {
        const file = await resolveStatic(staticDir, path);
        // Browsers ask for a favicon on their own; no icon is not an error worth a console line.
        if (!file && path === '/favicon.ico') return void res.writeHead(204, securityHeaders).end();
        if (!file) return sendError(res, { code: 'not-found', message: `No such file: ${path}` });
        sendFile(res, file, { ...securityHeaders, 'content-security-policy': CONTENT_SECURITY_POLICY, ...extra });
      })(),
    );
  }
  // SSE connections stay open; close() must not wait for them forever.
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      // Later errors (e.g. accept() out of file descriptors) are logged: unheard, they would end the process.
      server.on('error', (err) => log(`web server: ${err.message}`));
      ok();
    });
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/${token ? `?token=${token}` : ''}`;
  return {
    url,
    host,
    port,
    token,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
