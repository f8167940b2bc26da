// Who reviews at this window: the name saved with each decision (an audit asks who dispositioned a part). Kept in
// this browser or desktop window across restarts, since a line PC is usually one inspector's per shift; changed on
// the Review screen when another takes over.
import { keptValue } from './kept-value';

const KEY = 'inspector.reviewer';

const kept = keptValue<string>(globalThis.localStorage?.getItem(KEY) ?? '');

export const reviewerName = (): string => kept.get();
export const onReviewerName = (listener: () => void): (() => void) => kept.subscribe(listener);

/** Trimmed; empty forgets the name (decisions are then saved without one). */
export function setReviewerName(name: string): void {
  const v = name.trim();
  if (v) globalThis.localStorage?.setItem(KEY, v);
  else globalThis.localStorage?.removeItem(KEY);
  kept.set(v);
}
