// Which browser the e2e tests drive, on any OS: a named one, Playwright's own, a system one; with none,
// `npm test` stops in its first seconds with one line saying how to get one.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_BROWSER_MESSAGE, findChromium, systemLocations } from '../../../scripts/find-browser';

const root = join(import.meta.dirname, '..', '..', '..');
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const only = (...paths: string[]) => (p: string) => paths.includes(p);

describe('findChromium', () => {
  const pw = '/home/dev/.cache/ms-playwright/chromium-1/chrome-linux64/chrome';

  it('takes the browser an environment variable names, and reports one that is not there', () => {
    expect(findChromium({ env: { CHROME_PATH: '/opt/c' }, platform: 'linux', playwrightPath: pw, usable: only('/opt/c', pw) })).toEqual({ path: '/opt/c', from: 'CHROME_PATH' });
    const wrong = findChromium({ env: { PLAYWRIGHT_CHROMIUM_EXECUTABLE: '/nope' }, platform: 'linux', playwrightPath: pw, usable: only(pw) });
    expect(wrong).toEqual({ error: expect.stringContaining('PLAYWRIGHT_CHROMIUM_EXECUTABLE is set to "/nope"') });
  });

  it("prefers Playwright's own Chromium to a system one, and needs no /usr/bin/chromium", () => {
    expect(findChromium({ env: {}, platform: 'linux', playwrightPath: pw, usable: only(pw, '/usr/bin/chromium') })).toMatchObject({ path: pw });
    expect(findChromium({ env: {}, platform: 'linux', playwrightPath: pw, usable: only(pw) })).toMatchObject({ path: pw });
  });

  it('finds the usual system Chromium or Chrome on Linux, macOS and Windows', () => {
    expect(findChromium({ env: {}, platform: 'linux', playwrightPath: pw, usable: only('/usr/bin/google-chrome') })).toMatchObject({ path: '/usr/bin/google-chrome' });
    const mac = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(findChromium({ env: {}, platform: 'darwin', playwrightPath: null, usable: only(mac) })).toMatchObject({ path: mac });
    const env = { PROGRAMFILES: 'C:\\Program Files', LOCALAPPDATA: 'C:\\Users\\q\\AppData\\Local' };
    const win = systemLocations('win32', env).find((p) => p.includes('AppData') && p.endsWith('chrome.exe'))!;
    expect(findChromium({ env, platform: 'win32', playwrightPath: null, usable: only(win) })).toMatchObject({ path: win });
  });

  it('with no browser anywhere says how to get one, in one line', () => {
    const none = findChromium({ env: {}, platform: 'linux', playwrightPath: pw, usable: () => false });
    expect(none).toEqual({ error: NO_BROWSER_MESSAGE });
    expect(NO_BROWSER_MESSAGE).not.toContain('\n');
    expect(NO_BROWSER_MESSAGE).toMatch(/npx playwright install chromium/);
  });
});

describe('scripts/find-browser.ts, the first step of npm test', () => {
  const dir = mkdtempSync(join(tmpdir(), 'find-browser-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("finds Playwright's own Chromium where `npx playwright install chromium` puts it", () => {
    const env = { ...process.env, PLAYWRIGHT_BROWSERS_PATH: dir, PLAYWRIGHT_CHROMIUM_EXECUTABLE: '', CHROME_PATH: '' };
    const where = execFileSync(process.execPath, ['-e', "import('@playwright/test').then((m) => process.stdout.write(m.chromium.executablePath()))"], { cwd: root, env, encoding: 'utf8' });
    expect(where.startsWith(dir)).toBe(true);
    mkdirSync(dirname(where), { recursive: true });
    writeFileSync(where, '#!/bin/sh\n');
    chmodSync(where, 0o755);
    const run = spawnSync(process.execPath, [tsx, 'scripts/find-browser.ts'], { cwd: root, env, encoding: 'utf8' });
    expect(run.stdout.trim()).toBe(`end-to-end browser: ${where} (Playwright's own Chromium)`);
    expect(run.status).toBe(0);
  });

  it('fails with exactly one line when the named browser is missing', () => {
    const run = spawnSync(process.execPath, [tsx, 'scripts/find-browser.ts'], {
      cwd: root,
      env: { ...process.env, PLAYWRIGHT_CHROMIUM_EXECUTABLE: join(dir, 'no-such-chrome') },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([`PLAYWRIGHT_CHROMIUM_EXECUTABLE is set to "${join(dir, 'no-such-chrome')}", which is not an executable file.`]);
  });
});
