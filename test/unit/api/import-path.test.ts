import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPath } from '../../../src-main/api/handlers/library';

describe('typed import paths', () => {
  it('keeps absolute paths, expands ~ and trims', () => {
    expect(importPath(' /data/parts ')).toBe('/data/parts');
    expect(importPath('~/parts')).toBe(join(homedir(), 'parts'));
    expect(importPath('~')).toBe(homedir());
  });

  it('refuses relative paths and other users\' homes with a clear message', () => {
    expect(() => importPath('parts')).toThrow(/full path of "parts"/);
    expect(() => importPath('~bob/parts')).toThrow(/full path/);
  });
});
