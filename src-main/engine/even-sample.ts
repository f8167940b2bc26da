// An evenly spread subset of a sorted list, so a sample of files spans a set's parts instead of its first
// few. No imports: tests, benches and the end-to-end spec take it without loading TensorFlow.js.

/** `count` items spread evenly over `items` (first, then every length/count-th; all of them when count >= their number). */
export function spread<T>(items: T[], count: number): T[] {
  if (count >= items.length) return items.slice();
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]);
}
