import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newerSources } from '../../../src-main/server/renderer-build';

describe('newerSources', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('names the source folders changed after the renderer build, at any depth, and nothing for an installed app', () => {
    root = mkdtempSync(join(tmpdir(), 'build-age-'));
    const at = (path: string, seconds: number) => {
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, 'x');
      utimesSync(path, seconds, seconds);
    };
    at(join(root, 'out', 'renderer', 'index.html'), 2000);
    at(join(root, 'src-renderer', 'train', 'TrainForm.tsx'), 1000);
    at(join(root, 'src-main', 'shared', 'truth.ts'), 1000);
    const built = join(root, 'out', 'renderer');
    const sources = ['src-renderer', 'src-main/shared'];
    expect(newerSources(built, root, sources)).toEqual([]);
    at(join(root, 'src-renderer', 'train', 'TrainForm.tsx'), 3000);
    expect(newerSources(built, root, sources)).toEqual(['src-renderer']);
    expect(newerSources(built, join(root, 'elsewhere'), sources)).toEqual([]); // no sources beside it
    expect(newerSources(join(root, 'no-build'), root, sources)).toEqual([]);
  });
});
