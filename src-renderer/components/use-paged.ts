// Rows of a large list fetched a page at a time as they scroll into view (100k rows stay smooth:
// only visible pages are ever requested, and each at most once per query).
import { useCallback, useEffect, useRef, useState } from 'react';
import { pagesForRange } from './paged';

export interface PageAnswer<T> {
  total: number;
  items: T[];
}

export interface Paged<T> {
  total: number | null;
  get: (index: number) => T | undefined;
  ensure: (start: number, end: number) => void;
  error: unknown;
  reload: () => void;
  version: number;
}

export function usePaged<T>(key: string | null, fetchPage: (offset: number, limit: number) => Promise<PageAnswer<T>>, pageSize = 200): Paged<T> {
  const pages = useRef(new Map<number, T[]>());
  const pending = useRef(new Set<number>());
  const generation = useRef(0);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const [tick, setTick] = useState(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const load = useCallback(
    (p: number) => {
      if (pages.current.has(p) || pending.current.has(p)) return;
      pending.current.add(p);
      const gen = generation.current;
      fetchRef.current(p * pageSize, pageSize).then(
        (answer) => {
          if (gen !== generation.current) return;
          pending.current.delete(p);
          pages.current.set(p, answer.items);
          setTotal(answer.total);
          setVersion((v) => v + 1);
        },
        (e: unknown) => {
          if (gen !== generation.current) return;
          pending.current.delete(p);
          setError(e);
        },
      );
    },
    [pageSize],
  );

  // A new query (or reload) drops the cache but keeps the old total until the first page answers,
  // so the list does not jump to empty while the slider moves.
  useEffect(() => {
    generation.current++;
    pages.current = new Map();
    pending.current = new Set();
    setError(null);
    if (key === null) {
      setTotal(null);
      return;
    }
    load(0);
  }, [key, tick, load]);

  const ensure = useCallback(
    (start: number, end: number) => {
      for (const p of pagesForRange(start, end, pageSize, total)) load(p);
    },
    [load, pageSize, total],
  );

  const get = useCallback((i: number) => pages.current.get(Math.floor(i / pageSize))?.[i % pageSize], [pageSize]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { total, get, ensure, error, reload, version };
}
