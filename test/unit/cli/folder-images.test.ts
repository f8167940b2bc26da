import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { andColour, displayPath, printSkip, problemLine, type FolderImage } from '../../../src-main/cli/folder-images';
import { ImageError } from '../../../src-main/library/errors';

const at = (path: string) => ({ path }) as FolderImage;

describe('folder-mode output', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('prints images under the working folder relative to it, and others by their full path', () => {
    expect(displayPath(at(join(process.cwd(), 'parts', 'a.png')))).toBe(join('parts', 'a.png'));
    const outside = resolve(process.cwd(), '..', 'elsewhere', 'b.png');
    expect(displayPath(at(outside))).toBe(outside);
  });

  it('names a skipped file once, with its kind and what is wrong', () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { lines.push(String(chunk)); return true; });
    const err = new ImageError('empty', '/data/z.png', 'file is empty (0 bytes)');
    printSkip({ path: err.path, kind: err.kind, message: err.message });
    expect(lines).toEqual(['skipped /data/z.png: empty: file is empty (0 bytes)\n']);
    // A stored message that does not start with its path (older rows) is kept whole.
    expect(problemLine({ path: '/data/y.png', kind: 'corrupt', message: 'cut short' })).toBe('/data/y.png: corrupt: cut short');
  });

  it('names the colour images that make a mostly gray set RGB', () => {
    const img = (name: string, channels: number) => ({ path: join('/parts', name), channels });
    expect(andColour([img('a.png', 1), img('b.png', 1)])).toBe('');
    expect(andColour([img('a.png', 3), img('b.png', 3)])).toBe('');
    expect(andColour([img('a.png', 1), img('stray.jpg', 3), img('c.png', 1)])).toBe('; stray.jpg has colour, the other 2 are gray');
    expect(andColour([img('x.jpg', 3), img('a.png', 1), img('y.jpg', 3)])).toBe('; 2 images have colour (e.g. x.jpg), the other 1 is gray');
  });
});
