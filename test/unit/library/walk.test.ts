import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkImageFiles, type WalkEntry } from '../../../src-main/library/walk';
import { makeBadCorpus, type CorpusEntry } from '../../fixtures/bad-corpus';

async function collect(roots: string[]): Promise<WalkEntry[]> {
  const out: WalkEntry[] = [];
  for await (const entry of walkImageFiles(roots)) out.push(entry);
  return out;
}
const files = (entries: WalkEntry[]) => entries.flatMap((e) => (e.kind === 'file' ? [e.path] : []));
const errors = (entries: WalkEntry[]) => entries.flatMap((e) => (e.kind === 'error' ? [[e.error.kind, e.error.path]] : []));

describe('walkImageFiles', () => {
  let dir: string;
  let corpus: CorpusEntry[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'walk-'));
    corpus = await makeBadCorpus(join(dir, 'corpus'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('yields every image file of the corpus once, in code-unit order, and reports loops and dangling links', async () => {
    const root = join(dir, 'corpus');
    await writeFile(join(root, 'readme.txt'), 'not an image extension');
    await writeFile(join(root, '.hidden.png'), 'skipped: a dot file');
    const entries = await collect([root]);
    const expectedFiles = corpus
      .filter((c) => c.expected !== 'symlink-loop' && c.expected !== 'not-found')
      .map((c) => c.path);
    // Depth first, names compared by code unit: "nested/deeper/x" comes before "notes.png".
    const byPathSegments = (a: string, b: string) => {
      const [sa, sb] = [a.split('/'), b.split('/')];
      for (let i = 0; i < Math.min(sa.length, sb.length); i++) if (sa[i] !== sb[i]) return sa[i] < sb[i] ? -1 : 1;
      return sa.length - sb.length;
    };
    expect(files(entries)).toEqual([...expectedFiles].sort(byPathSegments));
    expect(entries.every((e) => e.kind !== 'file' || e.root === root)).toBe(true);
    expect(errors(entries)).toEqual([
      ['not-found', join(root, 'dangling.png')],
      ['symlink-loop', join(root, 'nested', 'loop')],
      ['symlink-loop', join(root, 'self-loop.png')],
    ]);
  });

  it('carries on past a missing root, takes a file as a root and never yields a file twice', async () => {
    const root = join(dir, 'corpus');
    const single = join(root, 'png-rgb8.png');
    const entries = await collect([join(dir, 'missing'), single, root, join(root, 'nested')]);
    expect(errors(entries)[0]).toEqual(['not-found', join(dir, 'missing')]);
    expect(entries[1]).toEqual({ kind: 'file', path: single, root });
    const paths = files(entries);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths.filter((p) => p.endsWith('png-rgb8.png'))).toHaveLength(1);
  });

  it('follows links to folders elsewhere and catches a loop two links long', async () => {
    const base = join(dir, 'links');
    await mkdir(join(base, 'a', 'b'), { recursive: true });
    await mkdir(join(base, 'shared'), { recursive: true });
    await writeFile(join(base, 'shared', 'x.PNG'), 'x');
    await symlink(join(base, 'shared'), join(base, 'a', 'b', 'to-shared'));
    await symlink(join(base, 'a'), join(base, 'a', 'b', 'to-a'));
    const entries = await collect([join(base, 'a'), base]);
    expect(files(entries)).toEqual([join(base, 'a', 'b', 'to-shared', 'x.PNG')]);
    expect(errors(entries)).toEqual([['symlink-loop', join(base, 'a', 'b', 'to-a')]]);
  });

  it('resolves relative roots', async () => {
    const entries = await collect([join(dir, 'corpus', 'nested', '..', 'nested', 'deeper')]);
    expect(files(entries)).toEqual([resolve(dir, 'corpus', 'nested', 'deeper', 'nested.png')]);
  });

  // Root reads anything, so as root the child keeps uid 0 but loses the capabilities that override file
  // modes (a child under another uid could not load this checkout's tsx from a clone in a 0700 folder).
  const root = process.getuid?.() === 0;
  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));
  it.skipIf(root && !setpriv)(
    `reports a folder it may not read as unreadable (checked without root's override${root && !setpriv ? ': needs setpriv from util-linux to drop it' : ''})`,
    async () => {
      const base = join(dir, 'perm');
      await mkdir(join(base, 'locked'), { recursive: true });
      await writeFile(join(base, 'locked', 'a.png'), 'x');
      await writeFile(join(base, 'secret.png'), 'x');
      await chmod(join(base, 'locked'), 0o000);
      await chmod(join(base, 'secret.png'), 0o000);
      const node = [process.execPath, '--import', 'tsx', join(__dirname, 'read-without-override.ts'), base, join(base, 'secret.png')];
      const [command, ...args] = root ? [setpriv!, '--bounding-set', '-dac_override,-dac_read_search', ...node] : node;
      const child = spawnSync(command, args, { encoding: 'utf8', cwd: resolve(__dirname, '../../..') });
      await chmod(join(base, 'locked'), 0o755);
      expect(child.stderr).toBe('');
      expect(JSON.parse(child.stdout)).toEqual({
        walked: [`unreadable ${join(base, 'locked')}`, `file ${join(base, 'secret.png')}`],
        inspected: 'unreadable',
      });
    },
  );
});
