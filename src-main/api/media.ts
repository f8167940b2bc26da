// Resolves a media address to a file the library knows (the image row's path, its thumbnail, or the
// model's maps for it). Formats a browser cannot show (TIFF, ...) are converted to PNG on the fly.
import { stat } from 'node:fs/promises';
import sharp from 'sharp';
import type { Store } from '../store';
import { ApiFailure } from './dispatch';
import type { MediaRef } from './media-ref';
import { mimeForPath } from './media-ref';
import { storedOptions } from '../engine/options';
import { regionPixels } from '../shared/region';
import { leftOutPixels, viewOf } from '../shared/left-out';
import { fillLeftOut } from '../library/left-out';

export type MediaSource = { path: string; mime: string } | { body: Buffer; mime: string };

const browserSafe = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/bmp', 'image/avif']);

async function existing(path: string, what: string): Promise<string> {
  try {
    if ((await stat(path)).isFile()) return path;
  } catch {
    // reported below
  }
  throw new ApiFailure('not-found', `The ${what} file is gone from disk: ${path}`);
}

async function viewable(path: string): Promise<MediaSource> {
  const mime = mimeForPath(path);
  if (browserSafe.has(mime)) return { path, mime };
  try {
    return { body: await sharp(path, { pages: 1 }).png().toBuffer(), mime: 'image/png' };
  } catch (err) {
    throw new ApiFailure('not-found', `Cannot decode ${path} for display: ${(err as Error).message}`);
  }
}

/**
 * The file as the model sees it, in the file's own colours, PNG: cut to its inspection region, its left-out
 * areas filled as decoding fills them (library/left-out); the file itself for a model that sees it whole.
 */
async function viewOfImage(store: Store, modelId: number, path: string): Promise<MediaSource> {
  const model = store.models.get(modelId);
  if (!model) throw new ApiFailure('not-found', `No model with id ${modelId}`);
  const view = viewOf(storedOptions(model.options));
  if (!view) return viewable(path);
  try {
    const image = sharp(path, { pages: 1, autoOrient: true });
    const meta = await image.metadata();
    const own = meta.autoOrient ?? meta;
    const cut = view.region ? image.extract(regionPixels(view.region, own.width, own.height)) : image;
    const boxes = leftOutPixels(view, own.width, own.height);
    if (boxes.length === 0) return { body: await cut.png().toBuffer(), mime: 'image/png' };
    const { data, info } = await cut.raw().toBuffer({ resolveWithObject: true });
    const { width, height, channels } = info;
    const samples = data.length === width * height * channels * 2 ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2) : data;
    fillLeftOut(samples, width, height, channels, boxes);
    return { body: await sharp(samples, { raw: { width, height, channels } }).png().toBuffer(), mime: 'image/png' };
  } catch (err) {
    throw new ApiFailure('not-found', `Cannot decode ${path} for display: ${(err as Error).message}`);
  }
}

export async function resolveMedia(store: Store, ref: MediaRef): Promise<MediaSource> {
  const img = store.images.get(ref.imageId);
  if (!img) throw new ApiFailure('not-found', `No image with id ${ref.imageId}`);
  if (ref.variant === 'original') return viewable(await existing(img.path, 'image'));
  if (ref.variant === 'thumb') {
    if (img.thumbnailPath) {
      try {
        return viewable(await existing(img.thumbnailPath, 'thumbnail'));
      } catch {
        // a deleted thumbnail falls back to the original below
      }
    }
    return viewable(await existing(img.path, 'image'));
  }
  if (ref.modelId === null) throw new ApiFailure('bad-request', `Media "${ref.variant}" needs a model`);
  if (ref.variant === 'region') return viewOfImage(store, ref.modelId, await existing(img.path, 'image'));
  const score = store.scores.get(ref.modelId, ref.imageId);
  const path = score ? (ref.variant === 'recon' ? score.reconMapPath : score.diffMapPath) : null;
  if (!path) throw new ApiFailure('not-found', `Model ${ref.modelId} has no ${ref.variant} map for image ${ref.imageId}`);
  return viewable(await existing(path, `${ref.variant} map`));
}
