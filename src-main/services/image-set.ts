// Training images as the engine's ImageSet: decoded on demand from files, kept decoded when they fit.
import type { ImageSet } from '../engine/image-set';
import { loadBatch } from '../library/prepare';

/** Decoded images stay in memory up to this size, so later epochs skip sharp entirely. */
const CACHE_BYTES = 512 * 2 ** 20;

export function cachedImageSet(paths: string[], isize: number, nc: 1 | 3): ImageSet {
  const per = isize * isize * nc;
  const cache = paths.length * per * 4 <= CACHE_BYTES ? new Map<number, Float32Array>() : undefined;
  return {
    count: paths.length,
    isize,
    nc,
    async load(indices) {
      const out = new Float32Array(indices.length * per);
      const todo = indices.filter((i) => !cache?.has(i));
      if (todo.length) {
        const data = await loadBatch(todo.map((i) => paths[i]), isize, nc);
        todo.forEach((i, k) => cache?.set(i, data.subarray(k * per, (k + 1) * per)));
        if (!cache) return data; // no cache: every index was loaded, in order
      }
      indices.forEach((i, k) => out.set(cache!.get(i)!, k * per));
      return out;
    },
  };
}
