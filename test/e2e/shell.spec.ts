// The local web mode in a real browser: the app's first screen loads under the strict CSP, talks to
// the API over HTTP, and raises no errors.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

const token = process.env.INSPECTOR_E2E_TOKEN!;

test('on loopback too, only the printed URL with its token gets in', async ({ request }) => {
  expect((await request.get('/')).status()).toBe(401);
  expect((await request.post('/api/projects.list', { data: {} })).status()).toBe(401);
  expect((await request.get(`/?token=${token}`)).status()).toBe(200);
});

test('web mode opens the app on its first screen', async ({ page }) => {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`${res.status()} ${res.url()}`);
  });

  const response = await page.goto(`/?token=${token}`);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");

  await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
  await expect(page.getByText('GANomaly Inspector').first()).toBeVisible();
  // The client picked the HTTP transport and the shell says so.
  await expect(page.getByText('Local web mode')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Library' })).toHaveAttribute('aria-current', 'page');

  // The page's own origin answers the contract (same transport the client uses).
  const info = await page.evaluate(async () => {
    const res = await fetch('/api/app.info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    return res.json();
  });
  expect(info).toMatchObject({ ok: true, data: { mode: 'web', name: 'GANomaly Inspector' } });

  await page.screenshot({ path: 'test-results/e2e/shell-first-screen.png', fullPage: true });
  expect(problems).toEqual([]);
});

test('bound beyond loopback, the browser gets in only through the printed URL with its token', async ({ page, request }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'inspector-e2e-token-'));
  const serve = spawn(process.execPath, ['bin/ganomaly-inspector.js', 'serve', '--host', '0.0.0.0', '--port', '0'], {
    env: { ...process.env, GANOMALY_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const printed = await new Promise<string>((ok, fail) => {
      let out = '';
      serve.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /web mode: (http:\S+)/.exec(out);
        if (m) ok(m[1]);
      });
      serve.once('exit', (code) => fail(new Error(`serve exited with ${code}`)));
    });
    const url = new URL(printed.replace('0.0.0.0', '127.0.0.1'));
    expect(url.searchParams.get('token')).toMatch(/^[\w-]{24,}$/);

    const bare = await request.get(`${url.origin}/`);
    expect(bare.status()).toBe(401);

    const failures: string[] = [];
    page.on('response', (res) => {
      if (res.status() >= 400) failures.push(`${res.status()} ${res.url()}`);
    });
    page.on('pageerror', (err) => failures.push(`page error: ${err.message}`));
    await page.goto(url.toString());
    await expect(page.getByText('Local web mode')).toBeVisible();
    // The project picker appears only after API calls with the token succeeded.
    await expect(page.getByText(/Project/).first()).toBeVisible();
    await expect(page.getByRole('combobox').first()).toBeVisible();
    expect(failures).toEqual([]);
  } finally {
    serve.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
