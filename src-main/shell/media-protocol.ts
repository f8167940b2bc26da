// inspector-media://image/<id>/<variant>[?model=<id>]: library images and maps for the renderer,
// resolved by id through the store, so a page can never name a file path.
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { MEDIA_SCHEME } from '../api/channels';
import { httpStatus, toApiError } from '../api/dispatch';
import type { ApiHost } from '../api/host';
import { formatMediaRef, parseMediaRef } from '../api/media-ref';
import type { MediaRef } from '../api/media-ref';

/** Must run before app 'ready'. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

export const mediaUrl = (ref: MediaRef): string => `${MEDIA_SCHEME}://${formatMediaRef(ref)}`;

export function handleMediaScheme(host: ApiHost): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    try {
      const url = new URL(request.url);
      const source = await host.media(parseMediaRef(`${url.host}${url.pathname}`, url.searchParams));
      const body = 'body' in source ? source.body : await readFile(source.path);
      return new Response(new Uint8Array(body), { headers: { 'content-type': source.mime, 'cache-control': 'private, max-age=60' } });
    } catch (err) {
      const error = toApiError(err);
      return new Response(error.message, { status: httpStatus(error.code), headers: { 'content-type': 'text/plain' } });
    }
  });
}
