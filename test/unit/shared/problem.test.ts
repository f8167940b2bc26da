import { describe, expect, it } from 'vitest';
import { problemDetail } from '../../../src-main/shared/problem';
import { ImageError } from '../../../src-main/library/errors';

describe('problemDetail', () => {
  it("drops the image error's leading path, said beside it already", () => {
    const e = new ImageError('corrupt', '/parts/a: b.png', 'image data is damaged or cut short');
    expect(problemDetail(e.path, e.message)).toBe('image data is damaged or cut short');
  });
  it('keeps a message that does not start with its path', () => {
    expect(problemDetail('/parts/a.png', 'the PNG ends early')).toBe('the PNG ends early');
    expect(problemDetail('/parts/a.png', '/parts/a.pngx: other')).toBe('/parts/a.pngx: other');
  });
});
