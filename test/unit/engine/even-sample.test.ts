import { describe, expect, it } from 'vitest';
import { spread } from '../../../src-main/engine/even-sample';

describe('spread', () => {
  it('takes the first item, then every length/count-th', () => {
    expect(spread([0, 1, 2, 3, 4, 5, 6, 7], 4)).toEqual([0, 2, 4, 6]);
    expect(spread([0, 1, 2, 3, 4, 5, 6], 3)).toEqual([0, 2, 4]);
  });
  it('gives all of them, as a copy, when asked for as many or more', () => {
    const items = [1, 2, 3];
    const all = spread(items, 5);
    expect(all).toEqual([1, 2, 3]);
    expect(all).not.toBe(items);
    expect(spread(items, 3)).toEqual([1, 2, 3]);
  });
});
