// Serves the built renderer (out/renderer). Only files inside that folder; anything else is 404.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/** Resolves a URL path to a file inside root, or null when it escapes root or is not a file. */
export async function resolveStatic(root: string, pathname: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const rel = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const full = resolve(join(base, rel));
  if (full !== base && !full.startsWith(base + sep)) return null;
  try {
    const info = await stat(full);
    if (info.isFile()) return full;
  } catch {
    // fall through: not found
  }
  // Unknown paths without an extension are app routes: give them the app.
  if (!extname(rel)) {
    const index = join(base, 'index.html');
    try {
      if ((await stat(index)).isFile()) return index;
    } catch {
      return null;
    }
  }
  return null;
}

export function sendFile(res: ServerResponse, file: string, headers: Record<string, string> = {}): void {
  const type = types[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const stream = createReadStream(file);
  stream.on('error', () => {
    if (!res.headersSent) res.writeHead(404).end();
    else res.destroy();
  });
  stream.once('open', () => {
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache', ...headers });
    // pipeline closes the file when the client goes away mid-transfer; pipe would leak it.
    pipeline(stream, res, () => undefined);
  });
}
