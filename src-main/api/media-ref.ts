// Media addresses name library rows, never file paths, so no request can reach a file the library
// does not know: `image/<imageId>/<variant>[?model=<modelId>]`, under inspector-media:// in Electron
// and /media/ over HTTP. recon, diff and region (the original as the model saw it: cut to its region, left-out areas filled) need the model.
import { MEDIA_VARIANTS } from '../shared/vocabulary';
import type { MediaVariant } from './types';
import { ApiFailure } from './dispatch';

export interface MediaRef {
  imageId: number;
  variant: MediaVariant;
  modelId: number | null;
  /** What the picture shows (content hash, model): only makes the address differ when that changes, since
   *  SQLite gives a new row a deleted one's id and a browser keeps media for a minute. Never read back. */
  version?: string;
}

const variants: readonly MediaVariant[] = MEDIA_VARIANTS;
const positiveInt = /^[1-9][0-9]{0,15}$/;
const MODEL_VARIANTS: ReadonlySet<string> = new Set<MediaVariant>(['recon', 'diff', 'region']);

/** Parses the part after the scheme or /media/ (e.g. "image/12/diff") plus its query. */
export function parseMediaRef(path: string, query: URLSearchParams): MediaRef {
  const parts = path.replace(/^\/+/, '').split('/');
  if (parts.length !== 3 || parts[0] !== 'image') {
    throw new ApiFailure('forbidden', `Not a library media address: "${path}"`);
  }
  const [, idText, variant] = parts;
  if (!positiveInt.test(idText)) throw new ApiFailure('bad-request', `Bad image id "${idText}"`);
  if (!(variants as readonly string[]).includes(variant)) {
    throw new ApiFailure('bad-request', `Unknown media variant "${variant}" (use ${variants.join(', ')})`);
  }
  const modelText = query.get('model');
  let modelId: number | null = null;
  if (MODEL_VARIANTS.has(variant)) {
    if (!modelText || !positiveInt.test(modelText)) {
      throw new ApiFailure('bad-request', `Media "${variant}" needs ?model=<model id>`);
    }
    modelId = Number(modelText);
  }
  return { imageId: Number(idText), variant: variant as MediaVariant, modelId };
}

export function formatMediaRef(ref: MediaRef): string {
  const query = new URLSearchParams();
  if (ref.modelId !== null && MODEL_VARIANTS.has(ref.variant)) query.set('model', String(ref.modelId));
  if (ref.version) query.set('v', ref.version);
  const q = query.toString();
  return `image/${ref.imageId}/${ref.variant}${q ? `?${q}` : ''}`;
}

const mimeByExt: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif',
  bmp: 'image/bmp', tif: 'image/tiff', tiff: 'image/tiff', avif: 'image/avif',
};
export function mimeForPath(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return mimeByExt[ext] ?? 'application/octet-stream';
}
