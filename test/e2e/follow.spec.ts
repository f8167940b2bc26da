// A followed camera folder in a real browser: parts the camera wrote come in and are scored by themselves, the ones
// the model flags are said above every screen, and Show them lists exactly those. Its own server and data folder
// (workflow.spec wants a fresh shared library). The library is prepared over the HTTP API as a line's script would
// (import ELPV cells, a tiny training, scoring, a threshold under every score so that any new part is flagged); the
// following is started from the Library's button, as a user starts it.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ELPV_DIR } from '../fixtures/elpv';
import { ownServer } from '../fixtures/serve';

test.skip(!existsSync(join(ELPV_DIR, 'train/good')), `the elpv-mono images are not at ${ELPV_DIR}`);

const own = ownServer('inspector-e2e-follow-');

/** Copies the first `n` cells of an ELPV folder into the camera's folder. */
function copyCells(from: string, to: string, n: number): string[] {
  mkdirSync(to, { recursive: true });
  const names = readdirSync(join(ELPV_DIR, from)).filter((f) => f.endsWith('.png')).sort().slice(0, n);
  for (const f of names) copyFileSync(join(ELPV_DIR, from, f), join(to, f));
  return names;
}

test('a followed folder\u2019s flagged parts are said on every screen, Show them lists them, and Review these reviews only them', async ({ page }) => {
  test.setTimeout(4 * 60_000);
  const cam = join(own.work, 'camera');
  copyCells('train/good', join(cam, 'good'), 16);
  const server = await own.start();
  const url = new URL(server.open);
  const api = async <T>(name: string, input: unknown): Promise<T> => {
    const res = await fetch(`${url.origin}/api/${name}`, {
      method: 'POST', body: JSON.stringify(input), headers: { 'content-type': 'application/json', authorization: `Bearer ${url.searchParams.get('token')}` },
    });
    const body = (await res.json()) as { ok: boolean; data: T; error?: { message: string } };
    if (!body.ok) throw new Error(`${name}: ${body.error?.message}`);
    return body.data;
  };
  const done = async (jobId: number) => {
    for (let status = ''; ; await new Promise((r) => setTimeout(r, 200))) {
      status = (await api<{ status: string }>('jobs.get', { jobId })).status;
      if (!['queued', 'running'].includes(status)) return status;
    }
  };
  const projectId = (await api<Array<{ id: number }>>('projects.list', {}))[0]?.id ?? (await api<{ id: number }>('projects.create', { name: 'default' })).id;
  expect(await done((await api<{ jobId: number }>('import.start', { projectId, paths: [cam] })).jobId)).toBe('done');
  const { jobId, modelId } = await api<{ jobId: number; modelId: number }>('training.start', {
    projectId, name: 'line model', options: { isize: 16, crop: 'whole', epochs: 1, batchSize: 4, nz: 8, ngf: 8, ndf: 8 },
  });
  expect(await done(jobId)).toBe('done');
  expect(await done((await api<{ jobId: number }>('scoring.start', { modelId, scope: 'missing' })).jobId)).toBe('done');
  const scores = (await api<{ scores: number[] }>('results.scores', { modelId })).scores;
  await api('thresholds.set', { modelId, value: Math.min(...scores) });
  // The camera writes the next two parts before anyone follows: the first look takes them in.
  const next = copyCells('test/defective', join(cam, 'new'), 2);

  await page.goto(`${server.open}#/library`);
  await page.getByRole('button', { name: 'Follow these folders' }).click();
  const banner = page.getByRole('status', { name: 'Flagged parts from the followed folder' });
  await expect(banner).toContainText('2 parts from the followed folder are flagged by line model and not reviewed yet', { timeout: 2 * 60_000 });
  // Said on every screen.
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Metrics', exact: true }).click();
  await expect(banner).toBeVisible();
  await banner.getByRole('button', { name: 'Show them' }).click();
  await expect(page).toHaveURL(/#\/results$/);
  await expect(page.getByText(/came in since/)).toBeVisible();
  const rows = page.getByTestId('ranking-row');
  await expect(rows).toHaveCount(2);
  for (const name of next) await expect(rows.filter({ hasText: name })).toHaveCount(1);
  await page.screenshot({ path: 'test-results/e2e/follow-show-them.png', fullPage: true });
  // Those two, and only those, in the keyboard queue; G judges the first, and the banner counts one fewer.
  await page.getByRole('button', { name: 'Review these' }).click();
  await expect(page).toHaveURL(/#\/review$/);
  await expect(page.getByTestId('review-scope')).toContainText(/Only: not trained on, came in since/);
  await expect(page.getByText('0 of 2 reviewed')).toBeVisible();
  await page.keyboard.press('g');
  await expect(page.getByText('1 of 2 reviewed')).toBeVisible();
  await expect(banner).toContainText('1 part from the followed folder is flagged');
});
