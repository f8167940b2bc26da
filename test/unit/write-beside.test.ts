// Files written whole or not at all, over a real folder.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeBeside, writeFileBeside } from '../../src-main/write-beside';

describe('writeBeside', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gi-beside-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('gives the file its name only once whole, and leaves nothing of a failed write, the old file kept', async () => {
    const to = join(dir, 'checkpoint.json');
    await writeFileBeside(to, '{"epoch":1}');
    await expect(writeBeside(to, async (partial) => {
      await writeFile(partial, '{"epo'); // half written, then the disk fills
      throw new Error('ENOSPC: no space left on device');
    })).rejects.toThrow(/ENOSPC/);
    expect(await readFile(to, 'utf8')).toBe('{"epoch":1}');
    expect(await readdir(dir)).toEqual(['checkpoint.json']);
  });

  it('keeps two writes of one name at once apart: the file is one of them, whole', async () => {
    const to = join(dir, 'results.csv');
    const a = 'a'.repeat(1 << 20);
    const b = 'b'.repeat(1 << 20);
    await Promise.all([writeFileBeside(to, a), writeFileBeside(to, b)]);
    expect([a, b]).toContain(await readFile(to, 'utf8'));
    expect(await readdir(dir)).toEqual(['results.csv']);
  });
});
