import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../../src-main/api/dispatch';
import { formatMediaRef, mimeForPath, parseMediaRef } from '../../../src-main/api/media-ref';

const q = (s = '') => new URLSearchParams(s);
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof ApiFailure ? err.code : 'other';
  }
  return 'none';
};

describe('media addresses', () => {
  it('round-trips every variant', () => {
    for (const ref of [
      { imageId: 7, variant: 'original' as const, modelId: null },
      { imageId: 7, variant: 'thumb' as const, modelId: null },
      { imageId: 7, variant: 'recon' as const, modelId: 3 },
      { imageId: 12345, variant: 'diff' as const, modelId: 9 },
    ]) {
      const text = formatMediaRef(ref);
      const [path, query] = text.split('?');
      expect(parseMediaRef(path, q(query))).toEqual(ref);
    }
  });

  it('writes the version into the address and never reads it back (it only tells a browser the picture changed)', () => {
    expect(formatMediaRef({ imageId: 7, variant: 'thumb', modelId: null, version: 'ab12' })).toBe('image/7/thumb?v=ab12');
    expect(formatMediaRef({ imageId: 7, variant: 'diff', modelId: 3, version: 'ab12-x' })).toBe('image/7/diff?model=3&v=ab12-x');
    expect(parseMediaRef('image/7/diff', q('model=3&v=ab12-x'))).toEqual({ imageId: 7, variant: 'diff', modelId: 3 });
  });

  it('ignores a model on images that have none, and requires one for maps', () => {
    expect(parseMediaRef('image/1/original', q('model=4')).modelId).toBeNull();
    expect(codeOf(() => parseMediaRef('image/1/diff', q()))).toBe('bad-request');
    expect(codeOf(() => parseMediaRef('image/1/diff', q('model=0')))).toBe('bad-request');
  });

  it('refuses anything that is not an id-based address', () => {
    expect(codeOf(() => parseMediaRef('etc/passwd', q()))).toBe('forbidden');
    expect(codeOf(() => parseMediaRef('image/1/../../x', q()))).toBe('forbidden');
    expect(codeOf(() => parseMediaRef('file/%2Fetc%2Fpasswd/original', q()))).toBe('forbidden');
    expect(codeOf(() => parseMediaRef('image/01/original', q()))).toBe('bad-request');
    expect(codeOf(() => parseMediaRef('image/-1/original', q()))).toBe('bad-request');
    expect(codeOf(() => parseMediaRef('image/1/raw', q()))).toBe('bad-request');
  });

  it('names the image types browsers show', () => {
    expect(mimeForPath('/a/b.PNG')).toBe('image/png');
    expect(mimeForPath('/a/b.tiff')).toBe('image/tiff');
    expect(mimeForPath('/a/noext')).toBe('application/octet-stream');
  });
});
