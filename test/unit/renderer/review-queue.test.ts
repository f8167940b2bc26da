import { describe, expect, it } from 'vitest';
import { currentItem, initialReview, reviewProgress, reviewReducer, type QueueItem } from '../../../src-renderer/review/review-queue';
import { reviewKeyAction } from '../../../src-renderer/review/review-keys';

const items = (decisions: Array<QueueItem['decision']>): QueueItem[] =>
  decisions.map((decision, i) => ({ imageId: 100 + i, decision }));

describe('review queue', () => {
  it('starts at the first image not yet reviewed', () => {
    expect(initialReview(items(['good', 'defect', null, null])).index).toBe(2);
    expect(initialReview(items(['good', 'good'])).index).toBe(0);
    expect(initialReview([]).index).toBe(0);
  });

  it('moves within bounds', () => {
    let s = initialReview(items([null, null, null]));
    s = reviewReducer(s, { type: 'prev' });
    expect(s.index).toBe(0);
    s = reviewReducer(reviewReducer(reviewReducer(s, { type: 'next' }), { type: 'next' }), { type: 'next' });
    expect(s.index).toBe(2);
    expect(reviewReducer(s, { type: 'goto', index: 99 }).index).toBe(2);
  });

  it('records a decision, advances, and undo restores the previous decision and position', () => {
    let s = initialReview(items([null, 'unsure', null]));
    s = reviewReducer(s, { type: 'decide', decision: 'defect' });
    expect(s.items[0].decision).toBe('defect');
    expect(s.index).toBe(1);
    s = reviewReducer(s, { type: 'decide', decision: 'good' });
    expect(s.items[1].decision).toBe('good');
    expect(reviewProgress(s)).toEqual({ done: 2, total: 3 });

    s = reviewReducer(s, { type: 'undo' });
    expect(s.items[1].decision).toBe('unsure');
    expect(currentItem(s)?.imageId).toBe(101);
    s = reviewReducer(s, { type: 'undo' });
    expect(s.items[0].decision).toBeNull();
    expect(s.index).toBe(0);
    expect(reviewReducer(s, { type: 'undo' })).toBe(s);
  });

  it('stays on the last image after deciding it and ignores decisions on an empty queue', () => {
    let s = initialReview(items([null]));
    s = reviewReducer(s, { type: 'decide', decision: 'good' });
    expect(s.index).toBe(0);
    const empty = initialReview([]);
    expect(reviewReducer(empty, { type: 'decide', decision: 'good' })).toBe(empty);
  });
});

describe('review keys', () => {
  it('maps the documented keys', () => {
    expect(reviewKeyAction({ key: 'j' })).toEqual({ type: 'next' });
    expect(reviewKeyAction({ key: 'J' })).toEqual({ type: 'next' });
    expect(reviewKeyAction({ key: 'ArrowDown' })).toEqual({ type: 'next' });
    expect(reviewKeyAction({ key: 'ArrowRight' })).toEqual({ type: 'next' });
    expect(reviewKeyAction({ key: 'k' })).toEqual({ type: 'prev' });
    expect(reviewKeyAction({ key: 'ArrowUp' })).toEqual({ type: 'prev' });
    expect(reviewKeyAction({ key: 'g' })).toEqual({ type: 'decide', decision: 'good' });
    expect(reviewKeyAction({ key: 'd' })).toEqual({ type: 'decide', decision: 'defect' });
    expect(reviewKeyAction({ key: 'u' })).toEqual({ type: 'decide', decision: 'unsure' });
    expect(reviewKeyAction({ key: 'z' })).toEqual({ type: 'undo' });
    expect(reviewKeyAction({ key: 'z', ctrlKey: true })).toEqual({ type: 'undo' });
    expect(reviewKeyAction({ key: 'd', ctrlKey: true })).toBeNull();
    expect(reviewKeyAction({ key: 'x' })).toBeNull();
  });

  it('ignores keys typed into text fields', () => {
    const target = { tagName: 'TEXTAREA', isContentEditable: false };
    expect(reviewKeyAction({ key: 'g', target })).toBeNull();
  });
});
