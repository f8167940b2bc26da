// Which Chromium the end-to-end tests drive: one named by an environment variable, else Playwright's
// own (after `npx playwright install chromium`), else a system Chromium or Chrome where each OS puts
// it. Run directly (`tsx scripts/find-browser.ts`), it prints the choice, or one line saying how to get
// a browser and exits 1: `npm test` runs it first, so a machine without a browser fails in seconds.
import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const BROWSER_ENV_VARS = ['PLAYWRIGHT_CHROMIUM_EXECUTABLE', 'CHROME_PATH'] as const;

export const NO_BROWSER_MESSAGE =
  'No Chromium for the end-to-end tests: run `npx playwright install chromium`, install Chromium or Chrome (Debian: `apt-get install chromium`), or set PLAYWRIGHT_CHROMIUM_EXECUTABLE to its executable.';

export function systemLocations(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'darwin') {
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      ...(env.HOME ? [join(env.HOME, 'Applications/Google Chrome.app/Contents/MacOS/Google Chrome')] : []),
    ];
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => !!r);
    return roots.flatMap((r) => [join(r, 'Google', 'Chrome', 'Application', 'chrome.exe'), join(r, 'Chromium', 'Application', 'chrome.exe')]);
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];
}

/** A regular file this process may execute (a bare `exists` would accept a folder or /dev/null). */
export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (process.platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export type BrowserChoice = { path: string; from: string } | { error: string };

export interface FindOptions {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** Where Playwright's own Chromium would be (it need not be installed). */
  playwrightPath: string | null;
  usable?: (path: string) => boolean;
}

export function findChromium({ env, platform, playwrightPath, usable = isExecutableFile }: FindOptions): BrowserChoice {
  for (const name of BROWSER_ENV_VARS) {
    const named = env[name];
    if (!named) continue;
    // A variable that names no browser is a mistake to report, not a reason to drive another one.
    return usable(named) ? { path: named, from: name } : { error: `${name} is set to "${named}", which is not an executable file.` };
  }
  if (playwrightPath && usable(playwrightPath)) return { path: playwrightPath, from: "Playwright's own Chromium" };
  const system = systemLocations(platform, env).find((p) => usable(p));
  return system ? { path: system, from: 'the system' } : { error: NO_BROWSER_MESSAGE };
}

async function playwrightChromiumPath(): Promise<string | null> {
  try {
    const { chromium } = await import('@playwright/test');
    return chromium.executablePath();
  } catch {
    return null; // not installed yet: only the other places count
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const choice = findChromium({ env: process.env, platform: process.platform, playwrightPath: await playwrightChromiumPath() });
  if ('error' in choice) {
    console.error(choice.error);
    process.exit(1);
  }
  console.log(`end-to-end browser: ${choice.path} (${choice.from})`);
}
