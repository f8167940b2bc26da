// Writes one media file (a path the library resolved, or bytes converted on the fly).
import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { MediaSource } from '../api/media';

export type { MediaSource };

export function sendMedia(res: ServerResponse, source: MediaSource, headers: Record<string, string>): Promise<void> {
  const base = { 'content-type': source.mime, 'cache-control': 'private, max-age=60', ...headers };
  if ('body' in source) {
    res.writeHead(200, { ...base, 'content-length': String(source.body.length) });
    res.end(source.body);
    return Promise.resolve();
  }
  return new Promise((ok, fail) => {
    const stream = createReadStream(source.path);
    stream.once('error', fail);
    stream.once('open', () => {
      res.writeHead(200, base);
      stream.pipe(res);
      stream.once('end', () => ok());
    });
  });
}
