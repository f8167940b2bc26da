import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, defineConfig } from '@playwright/test';
import { findChromium } from './scripts/find-browser';

// The runner and its workers each load this file; the first load picks a free port and a fresh data
// folder and passes them on through the environment, so every process agrees on one server.
function freePort(): number {
  const script = "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}
process.env.INSPECTOR_E2E_PORT ??= String(freePort());
process.env.INSPECTOR_E2E_DATA ??= mkdtempSync(join(tmpdir(), 'inspector-e2e-'));
// The server asks for a token on loopback too; the tests open `/?token=…` as a user opens the printed URL.
process.env.INSPECTOR_E2E_TOKEN ??= randomBytes(24).toString('base64url');
const port = Number(process.env.INSPECTOR_E2E_PORT);
// An environment variable's browser, Playwright's own, or a system one; none: one line, before any test.
const browser = findChromium({ env: process.env, platform: process.platform, playwrightPath: chromium.executablePath() });
if ('error' in browser) {
  console.error(browser.error);
  process.exit(1);
}
const dataDir = process.env.INSPECTOR_E2E_DATA;

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '*.spec.ts',
  outputDir: 'test-results/e2e',
  timeout: 120_000,
  // Two shared cores: one browser at a time.
  workers: 1,
  fullyParallel: false,
  reporter: [['list']],
  globalTeardown: './test/e2e/global-teardown.ts',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: { executablePath: browser.path },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  webServer: {
    // Build the renderer first so the test sees the current code, then serve a fresh library.
    command: `npx electron-vite build --logLevel warn && node bin/ganomaly-inspector.js serve --port ${port} --db ${join(dataDir, 'library.sqlite')}`,
    url: `http://127.0.0.1:${port}/?token=${process.env.INSPECTOR_E2E_TOKEN}`,
    env: { GANOMALY_DATA_DIR: dataDir, GANOMALY_WEB_TOKEN: process.env.INSPECTOR_E2E_TOKEN },
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
