// Review queue state: where the reviewer is, what they decided, and an undo stack.
// Pure reducer so navigation and undo are tested without the UI; the screen saves each decision.
import type { Decision } from '../api/client';

export type { Decision } from '../api/client';

export interface QueueItem {
  imageId: number;
  /** Latest decision already stored for this image (null when never reviewed). */
  decision: Decision | null;
}

export interface UndoEntry {
  imageId: number;
  index: number;
  previous: Decision | null;
}

export interface ReviewState {
  items: QueueItem[];
  index: number;
  undo: UndoEntry[];
}

export type ReviewAction =
  | { type: 'load'; items: QueueItem[] }
  | { type: 'next' }
  | { type: 'prev' }
  | { type: 'goto'; index: number }
  | { type: 'decide'; decision: Decision }
  | { type: 'undo' };

export function initialReview(items: QueueItem[] = []): ReviewState {
  return { items, index: firstUndecided(items, 0), undo: [] };
}

function clamp(i: number, n: number): number {
  return n === 0 ? 0 : Math.min(Math.max(i, 0), n - 1);
}

function firstUndecided(items: QueueItem[], from: number): number {
  for (let i = from; i < items.length; i++) if (items[i].decision === null) return i;
  return clamp(from, items.length);
}

export function reviewReducer(state: ReviewState, action: ReviewAction): ReviewState {
  const n = state.items.length;
  switch (action.type) {
    case 'load':
      return initialReview(action.items);
    case 'next':
      return { ...state, index: clamp(state.index + 1, n) };
    case 'prev':
      return { ...state, index: clamp(state.index - 1, n) };
    case 'goto':
      return { ...state, index: clamp(action.index, n) };
    case 'decide': {
      if (n === 0) return state;
      const item = state.items[state.index];
      const items = state.items.slice();
      items[state.index] = { ...item, decision: action.decision };
      // After a decision the reviewer wants the next image, even if it was decided before.
      return {
        items,
        index: clamp(state.index + 1, n),
        undo: [...state.undo, { imageId: item.imageId, index: state.index, previous: item.decision }],
      };
    }
    case 'undo': {
      const last = state.undo[state.undo.length - 1];
      if (!last) return state;
      const items = state.items.map((it) => (it.imageId === last.imageId ? { ...it, decision: last.previous } : it));
      return { items, index: clamp(last.index, items.length), undo: state.undo.slice(0, -1) };
    }
  }
}

export function reviewProgress(state: ReviewState): { done: number; total: number } {
  return { done: state.items.filter((i) => i.decision !== null).length, total: state.items.length };
}

export function currentItem(state: ReviewState): QueueItem | undefined {
  return state.items[state.index];
}
