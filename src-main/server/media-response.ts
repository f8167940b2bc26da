// Writes one media file (a path the library resolved, or bytes converted on the fly).
import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
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
      // pipeline, not pipe: a client that goes away mid-file (a thumbnail scrolled out of view) must
      // close the file too, or every aborted request leaks a descriptor.
      pipeline(stream, res).then(ok, (err: NodeJS.ErrnoException) => (err.code === 'ERR_STREAM_PREMATURE_CLOSE' ? ok() : fail(err)));
    });
  });
}
