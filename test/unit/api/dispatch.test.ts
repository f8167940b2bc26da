// The dispatcher is what both IPC and HTTP call: every answer is an Envelope, whatever comes in.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiHost } from '../../../src-main/api/host';
import type { ApiHost } from '../../../src-main/api/host';
import { ApiFailure, httpStatus, toApiError } from '../../../src-main/api/dispatch';
import Database from 'better-sqlite3';
import { z } from 'zod';

let dir: string;
let host: ApiHost;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dispatch-'));
  host = openApiHost({ dbPath: join(dir, 'lib.sqlite'), mode: 'electron', version: '1.2.3', mediaUrl: () => '', queue: null });
});
afterAll(async () => {
  await host.close();
  await rm(dir, { recursive: true, force: true });
});

describe('dispatcher', () => {
  it('validates, fills defaults and answers data', async () => {
    const created = await host.dispatcher.handle('projects.create', { name: '  Line 3  ' });
    expect(created).toMatchObject({ ok: true, data: { name: 'Line 3' } });
    const info = await host.dispatcher.handle('app.info', undefined);
    expect(info).toMatchObject({ ok: true, data: { mode: 'electron', version: '1.2.3' } });
  });

  it('turns every kind of bad input into an error object, never a throw', async () => {
    const inputs: unknown[] = [null, 42, 'text', [], { projectId: -1 }, { projectId: 1.5 }, { projectId: 1, extra: true }];
    for (const input of inputs) {
      const r = await host.dispatcher.handle('library.counts', input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('bad-request');
    }
    for (const name of ['', '__proto__', 'constructor', 'toString', 'projects.list.x']) {
      const r = await host.dispatcher.handle(name, {});
      expect(r).toMatchObject({ ok: false, error: { code: 'unknown-request' } });
    }
    const r = await host.dispatcher.handle(42 as unknown as string, {});
    expect(r).toMatchObject({ ok: false, error: { code: 'unknown-request' } });
  });

  it('reports which fields were wrong', async () => {
    const r = await host.dispatcher.handle('thresholds.set', { modelId: 'x', value: 'y' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.issues?.map((i) => i.path)).toEqual(expect.arrayContaining(['modelId', 'value']));
      expect(r.error.message).toMatch(/^Invalid input: /);
    }
  });

  it('answers training with a clear error when this host has no job queue', async () => {
    const p = await host.dispatcher.handle('projects.create', { name: 'queue-less' });
    const id = (p as { data: { id: number } }).data.id;
    const r = await host.dispatcher.handle('training.start', { projectId: id });
    expect(r).toMatchObject({ ok: false, error: { code: 'not-available' } });
  });

  it('maps errors to codes and HTTP statuses', () => {
    expect(toApiError(new ApiFailure('conflict', 'x'))).toEqual({ code: 'conflict', message: 'x' });
    expect(toApiError(new Error('disk full'))).toEqual({ code: 'internal', message: 'disk full' });
    expect(toApiError('weird')).toEqual({ code: 'internal', message: 'weird' });
    const zerr = z.object({ a: z.number() }).safeParse({ a: 'b' }).error!;
    expect(toApiError(zerr).code).toBe('bad-request');
    expect([httpStatus('bad-request'), httpStatus('unauthorized'), httpStatus('not-available')]).toEqual([400, 401, 501]);
  });

  it('refuses a database from a newer version of the app with its own clear error', () => {
    const file = join(dir, 'future.sqlite');
    const db = new Database(file);
    db.pragma('user_version = 999');
    db.close();
    expect(() => openApiHost({ dbPath: file, mode: 'web', version: 'x', mediaUrl: () => '', queue: null })).toThrow(
      /newer|version/i,
    );
  });
});
