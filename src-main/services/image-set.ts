// Training images as the engine's ImageSet: decoded on demand from files, kept decoded when they fit.
// Whole images are squeezed to isize x isize; in patch mode each image is decoded once at its working
// scale and the set hands out isize crops of it. Also where the crop option is resolved for a set.
import type { CropDraw, ImageSet } from '../engine/image-set';
import type { GanomalyOptions } from '../engine/options';
import {
  AUTO_PATCHES_FROM, AUTO_POSITION_LIMIT, AUTO_POSITION_SAMPLE, extractPatches, medianSize, patchGrid, resolveCrop, scaledSize, type PatchScale,
} from '../engine/patches';
import { PositionShare } from '../engine/position-share';
import { spread } from '../engine/even-sample';
import { createRng } from '../engine/random';
import { mapLimit } from '../library/map-limit';
import { DEFAULT_CONCURRENCY, imageSize, loadBatch, loadScaled, type FloatImage } from '../library/prepare';
import { leftOutShares, viewOf, type ImageView } from '../shared/left-out';

/** Decoded images stay in memory up to this size, so later epochs skip sharp entirely. */
const CACHE_BYTES = 512 * 2 ** 20;

/** Fixed crops per validation image in patch mode: enough to cover a good part of each, few enough to be quick. */
const VALIDATION_VIEWS = 4;

export function cachedImageSet(paths: string[], isize: number, nc: 1 | 3, view?: ImageView | null): ImageSet {
  const per = isize * isize * nc;
  const cache = paths.length * per * 4 <= CACHE_BYTES ? new Map<number, Float32Array>() : undefined;
  return {
    count: paths.length,
    isize,
    nc,
    leftOut: view ? leftOutShares(view) : undefined,
    async load(indices) {
      const out = new Float32Array(indices.length * per);
      const todo = indices.filter((i) => !cache?.has(i));
      if (todo.length) {
        const data = await loadBatch(todo.map((i) => paths[i]), isize, nc, undefined, view);
        todo.forEach((i, k) => cache?.set(i, data.subarray(k * per, (k + 1) * per)));
        if (!cache) return data; // no cache: every index was loaded, in order
      }
      indices.forEach((i, k) => out.set(cache!.get(i)!, k * per));
      return out;
    },
  };
}

/** Where crop `draw` of image `index` starts, for an image of height x width: seeded, so reproducible. */
export function cropAt(index: number, draw: CropDraw | undefined, height: number, width: number, isize: number): { y: number; x: number } {
  const seed = draw && 'random' in draw ? (draw.random * 2654435761 + index * 97 + 1) >>> 0 : ((draw?.view ?? 0) * 7919 + index * 104729 + 0x5eed) >>> 0;
  const rng = createRng(seed);
  return { y: Math.floor(rng.next() * (height - isize + 1)), x: Math.floor(rng.next() * (width - isize + 1)) };
}

/** Patch mode: each image (or its region) at 1/scale of its size (never under one patch), handing out isize crops. */
export function croppedImageSet(paths: string[], isize: number, nc: 1 | 3, scale: number, view?: ImageView | null): ImageSet {
  const cache = new Map<number, FloatImage>();
  let cachedBytes = 0;
  const image = async (i: number): Promise<FloatImage> => {
    const hit = cache.get(i);
    if (hit) return hit;
    const img = await loadScaled(paths[i], nc, (w, h) => scaledSize(w, h, isize, scale), view);
    if (cachedBytes + img.data.byteLength <= CACHE_BYTES) { cache.set(i, img); cachedBytes += img.data.byteLength; }
    return img;
  };
  const per = isize * isize * nc;
  return {
    count: paths.length,
    isize,
    nc,
    patches: { scale, views: VALIDATION_VIEWS, image },
    leftOut: view ? leftOutShares(view) : undefined,
    async load(indices, draw) {
      const out = new Float32Array(indices.length * per);
      await mapLimit(indices, DEFAULT_CONCURRENCY, async (i, k) => {
        const img = await image(i);
        const { y, x } = cropAt(i, draw, img.height, img.width, isize);
        for (let r = 0; r < isize; r++) {
          const from = ((y + r) * img.width + x) * nc;
          out.set(img.data.subarray(from, from + isize * nc), (k * isize + r) * isize * nc);
        }
      });
      return out;
    },
  };
}

/** The crop option resolved for a training set, and why, in words for the plan line. */
export interface CropChoice { scale: PatchScale; why: string }

/**
 * options.crop for these files (each cut to options.region). 'auto' looks at their sizes (headers only) and, where
 * those ask for patches, at how far a sample's patches are bound to their place (decoded at the working scale).
 */
export async function resolveCropFor(paths: string[], o: Pick<GanomalyOptions, 'crop' | 'isize' | 'nc' | 'region' | 'leaveOut'>): Promise<CropChoice> {
  if (o.crop !== 'auto') return { scale: resolveCrop(o.crop, [], o.isize), why: `set to ${o.crop}` };
  const view = viewOf(o);
  const sizes = await mapLimit(paths, DEFAULT_CONCURRENCY, (p) => imageSize(p, view));
  const scale = resolveCrop('auto', sizes, o.isize);
  const median = medianSize(sizes);
  const side = `${Math.min(median.width, median.height)} px`;
  if (scale === null) return { scale, why: `auto: the images' shorter side, ${side}, is under ${AUTO_PATCHES_FROM} x isize` };
  const share = await positionShare(spread(paths, AUTO_POSITION_SAMPLE), o.isize, o.nc, scale, median, view);
  if (Number.isNaN(share)) return { scale, why: `auto: ${side} images (too few to compare patches by place)` };
  const said = `where a patch sits explains ${Math.round(share * 100)} % of its variation`;
  return share >= AUTO_POSITION_LIMIT
    ? { scale: null, why: `auto: ${side} images, but ${said}: parts shot in place, which patches would see out of place` }
    : { scale, why: `auto: ${side} images, and ${said}: a surface, which patches see at a finer scale` };
}

/** engine/position-share of these images' patches, each image decoded at the working scale of the set's median size. */
async function positionShare(
  paths: string[], isize: number, nc: 1 | 3, scale: number, median: { width: number; height: number }, view?: ImageView | null,
): Promise<number> {
  const size = scaledSize(median.width, median.height, isize, scale);
  const grid = patchGrid(size.height, size.width, isize);
  const images = await mapLimit(paths, DEFAULT_CONCURRENCY, (p) => loadScaled(p, nc, () => size, view));
  const share = new PositionShare(grid.count, isize * isize * nc);
  for (const img of images) share.add(extractPatches(img.data, nc, grid));
  return share.result();
}

/**
 * The training set for a resolved crop scale: whole images, or crops at that scale; each image first cut to
 * options.region, here for every caller, so no training set can miss the region its model is saved with.
 */
export function trainingImageSet(paths: string[], o: Pick<GanomalyOptions, 'isize' | 'nc' | 'region' | 'leaveOut'>, scale: PatchScale): ImageSet {
  const view = viewOf(o);
  return scale === null ? cachedImageSet(paths, o.isize, o.nc, view) : croppedImageSet(paths, o.isize, o.nc, scale, view);
}
