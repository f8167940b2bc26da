// crashReason on what Node really prints when a process dies: stderr of real crashed processes.
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { crashReason } from '../../../src-main/jobs/job-process';

const stderrOf = (args: string[]): string =>
  spawnSync(process.execPath, args, { cwd: tmpdir(), encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }).stderr;

describe('crashReason', () => {
  it('names a thrown error, not the version line Node ends with', () => {
    const err = stderrOf(['-e', 'const a = {}; a.b.c']);
    expect(err).toMatch(/Node\.js v\d/);
    expect(crashReason(err)).toBe("TypeError: Cannot read properties of undefined (reading 'c')");
  });

  it('names a loader that cannot be found (an error with fields, then "}")', () => {
    const err = stderrOf(['--import', 'no-such-loader-pkg', '-e', '0']);
    expect(crashReason(err)).toMatch(/^Error \[ERR_MODULE_NOT_FOUND\]: Cannot find package 'no-such-loader-pkg'/);
  });

  it('falls back to the last lines when no error is named, and keeps to its length', () => {
    expect(crashReason('warming up\nstill going\n\nkilled by the watchdog\n')).toBe('warming up still going killed by the watchdog');
    expect(crashReason(`RangeError: ${'x'.repeat(600)}`, 50)).toHaveLength(50);
  });
});
