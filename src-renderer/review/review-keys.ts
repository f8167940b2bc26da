// Keyboard map of the review screen, kept pure so every key is unit-tested.
import type { ReviewAction } from './review-queue';

export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** Element that had focus; typing in the note field must not trigger decisions. */
  target?: unknown;
}

// Structural check (no DOM types) so this module also type-checks under the Node config of the tests.
function isTextEntry(target: unknown): boolean {
  const el = target as { tagName?: unknown; isContentEditable?: unknown } | null | undefined;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName.toLowerCase();
  return tag === 'input' || tag === 'textarea' || tag === 'select' || el.isContentEditable === true;
}

export function reviewKeyAction(e: KeyLike): ReviewAction | null {
  if (isTextEntry(e.target)) return null;
  if (e.altKey) return null;
  const mod = e.ctrlKey || e.metaKey;
  const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (mod) return k === 'z' ? { type: 'undo' } : null;
  switch (k) {
    case 'j':
    case 'ArrowDown':
    case 'ArrowRight':
      return { type: 'next' };
    case 'k':
    case 'ArrowUp':
    case 'ArrowLeft':
      return { type: 'prev' };
    case 'g':
      return { type: 'decide', decision: 'good' };
    case 'd':
      return { type: 'decide', decision: 'defect' };
    case 'u':
      return { type: 'decide', decision: 'unsure' };
    case 'z':
      return { type: 'undo' };
    default:
      return null;
  }
}

export const REVIEW_KEY_HELP: Array<[string, string]> = [
  ['J / ↓ / →', 'next image'],
  ['K / ↑ / ←', 'previous image'],
  ['G', 'good'],
  ['D', 'defect'],
  ['U', 'unsure'],
  ['Z', 'undo last decision'],
];
