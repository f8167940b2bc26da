// A value kept across screen switches that other screens may set, read with useSyncExternalStore: the Results
// filters, the Review queue's scope.

export interface KeptValue<T> {
  get(): T;
  set(v: T): void;
  /** For useSyncExternalStore: calls `listener` on every set, until the returned function is called. */
  subscribe(listener: () => void): () => void;
}

export function keptValue<T>(initial: T): KeptValue<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(v) {
      value = v;
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
