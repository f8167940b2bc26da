import { describe, expect, it } from 'vitest';
import { parsePathField, pathsFromDrop } from '../../../src-renderer/library/drop';

const file = (name: string): File => new File([new Uint8Array(1)], name);

describe('drop handling', () => {
  it('resolves real paths when the shell can, deduplicated', () => {
    const files = [file('a'), file('b'), file('a')];
    const r = pathsFromDrop(files, (f) => `/data/${f.name}`);
    expect(r).toEqual({ kind: 'paths', paths: ['/data/a', '/data/b'] });
  });

  it('reports names when no path can be resolved (browser)', () => {
    expect(pathsFromDrop([file('x.png')], null)).toEqual({ kind: 'no-paths', names: ['x.png'] });
    expect(pathsFromDrop([file('x.png')], () => '')).toEqual({ kind: 'no-paths', names: ['x.png'] });
    expect(pathsFromDrop([], () => '/a')).toEqual({ kind: 'empty' });
  });

  it('splits the path field on new lines and semicolons, keeping commas', () => {
    expect(parsePathField(' /a/b \n/c, d;/a/b;; ')).toEqual(['/a/b', '/c, d']);
    expect(parsePathField('   ')).toEqual([]);
  });
});
