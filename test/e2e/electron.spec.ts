// The desktop app through Playwright's Electron driver. Needs the Electron binary, which this build
// machine cannot download (ELECTRON_SKIP_BINARY_DOWNLOAD): the test skips there and says so.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { _electron as electron, expect, test } from '@playwright/test';

function electronBinary(): string | null {
  try {
    const pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const rel = readFileSync(join(pkgDir, 'path.txt'), 'utf8').trim();
    const bin = join(pkgDir, 'dist', rel);
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();

test('the desktop window opens hardened, with the preload bridge', async () => {
  test.skip(!binary, 'Electron binary not installed (node_modules/electron/dist missing: ELECTRON_SKIP_BINARY_DOWNLOAD)');
  test.skip(!existsSync('out/main/index.js'), 'App not built: run `npx electron-vite build` first');
  const dataDir = mkdtempSync(join(tmpdir(), 'inspector-electron-'));
  const app = await electron.launch({
    executablePath: binary!,
    args: ['out/main/index.js', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    env: { ...process.env, GANOMALY_DATA_DIR: dataDir },
  });
  try {
    const page = await app.firstWindow();
    await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
    await expect(page.getByText('Desktop')).toBeVisible();
    const seen = await page.evaluate(() => {
      const g = globalThis as { inspector?: unknown; require?: unknown; process?: unknown };
      return { bridge: typeof g.inspector, node: typeof g.require, process: typeof g.process };
    });
    expect(seen).toEqual({ bridge: 'object', node: 'undefined', process: 'undefined' });
    // New windows are denied and navigation away from the app is blocked.
    const opened = await page.evaluate(() => (globalThis as unknown as { open(u: string): unknown }).open('about:blank') === null);
    expect(opened).toBe(true);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    const info = await page.evaluate(() =>
      (globalThis as unknown as { inspector: { request(n: string, i: unknown): Promise<unknown> } }).inspector.request('app.info', {}),
    );
    expect(info).toMatchObject({ ok: true, data: { mode: 'electron' } });
    expect(existsSync(join(dataDir, 'library.sqlite'))).toBe(true);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
