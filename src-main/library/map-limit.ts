// Bounded concurrency for file work: sharp decodes and PNG encodes run on libuv's pool, so a few in
// flight keep every core busy without queueing hundreds of buffers.

/**
 * `fn` over `items` with at most `limit` calls in flight; results in input order. The first failure
 * rejects the whole call and no new item is started after it.
 */
export async function mapLimit<T, U>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<U>): Promise<U[]> {
  if (!(Number.isInteger(limit) && limit > 0)) throw new RangeError('concurrency must be a positive integer');
  const out = new Array<U>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i], i);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
