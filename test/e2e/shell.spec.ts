// The local web mode in a real browser: the app's first screen loads under the strict CSP, talks to
// the API over HTTP, and raises no errors.
import { expect, test } from '@playwright/test';

test('web mode opens the app on its first screen', async ({ page }) => {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`${res.status()} ${res.url()}`);
  });

  const response = await page.goto('/');
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
