import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveStatic } from '../../../src-main/server/static-files';

let dir: string;
let app: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'static-'));
  app = join(dir, 'renderer');
  await mkdir(join(app, 'assets'), { recursive: true });
  await writeFile(join(app, 'index.html'), '<!doctype html>');
  await writeFile(join(app, 'assets', 'app.js'), '');
  await writeFile(join(dir, 'secret.txt'), 'outside');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('static files', () => {
  it('serves files inside the folder and the app for routes', async () => {
    expect(await resolveStatic(app, '/')).toBe(join(app, 'index.html'));
    expect(await resolveStatic(app, '/assets/app.js')).toBe(join(app, 'assets', 'app.js'));
    expect(await resolveStatic(app, '/results')).toBe(join(app, 'index.html'));
    expect(await resolveStatic(app, '/assets/missing.js')).toBeNull();
  });

  it('never leaves the folder', async () => {
    expect(await resolveStatic(app, '/../secret.txt')).toBeNull();
    expect(await resolveStatic(app, '/..%2fsecret.txt')).toBeNull();
    expect(await resolveStatic(app, '/%2e%2e/secret.txt')).toBeNull();
    expect(await resolveStatic(app, '/assets/%00.js')).toBeNull();
    expect(await resolveStatic(app, '/%E0%A4%A')).toBeNull();
  });
});
