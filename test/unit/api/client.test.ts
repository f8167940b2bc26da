// The renderer's client over both transports, against the real main side: HTTP to a web-mode server,
// and a bridge wired exactly like the preload's (dispatcher + event hub).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRequestError, bridgeTransport, createClient, defaultTransport, httpTransport } from '../../../src-renderer/api/client';
import type { EventMessage, InspectorBridge } from '../../../src-main/api/contract';
import { startWebMode } from '../../../src-main/server/web-mode';
import type { WebMode } from '../../../src-main/server/web-mode';

let dir: string;
let web: WebMode;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'client-'));
  web = await startWebMode({ dbPath: join(dir, 'lib.sqlite'), port: 0, staticDir: null, queue: null });
});
afterAll(async () => {
  await web.close();
  await rm(dir, { recursive: true, force: true });
});

function bridge(): InspectorBridge {
  return {
    request: (name, input) => web.host.dispatcher.handle(name, input),
    onEvent: (listener: (m: EventMessage) => void) => web.host.events.subscribe(listener),
    pathForFile: () => '/dropped/folder',
    platform: 'linux',
  };
}

describe('typed client', () => {
  it('calls requests over HTTP and raises the server error as ApiRequestError', async () => {
    const api = createClient(httpTransport(`http://127.0.0.1:${web.server.port}`, web.server.token ?? undefined));
    expect(api.mode).toBe('web');
    const p = await api.call('projects.create', { name: 'Over HTTP' });
    expect((await api.call('projects.list')).map((x) => x.id)).toContain(p.id);
    const err = await api.call('projects.create', { name: 'Over HTTP' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiRequestError);
    expect(err).toMatchObject({ code: 'conflict', request: 'projects.create' });
    expect(api.pathForFile({} as File)).toBe('');
  });

  it('says clearly when the server cannot be reached', async () => {
    const api = createClient(httpTransport('http://127.0.0.1:1'));
    await expect(api.call('projects.list')).rejects.toMatchObject({ code: 'internal', message: /Cannot reach/ });
  });

  it('calls and listens through the preload bridge, and unsubscribes', async () => {
    const api = createClient(bridgeTransport(bridge()));
    expect(api.mode).toBe('electron');
    expect(api.pathForFile({} as File)).toBe('/dropped/folder');
    const seen: number[] = [];
    const before = web.host.events.size;
    const off = api.on('library.changed', (e) => seen.push(e.projectId));
    expect(web.host.events.size).toBe(before + 1);
    const p = await api.call('projects.create', { name: 'Over IPC' });
    expect(seen).toEqual([p.id]);
    off();
    expect(web.host.events.size).toBe(before);
    await api.call('projects.create', { name: 'After unsubscribe' });
    expect(seen).toEqual([p.id]);
    await expect(api.call('library.counts', { projectId: 999 })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('picks the preload bridge when the page has one, else HTTP', () => {
    const g = globalThis as { inspector?: InspectorBridge };
    expect(defaultTransport().mode).toBe('web');
    g.inspector = bridge();
    try {
      expect(defaultTransport().mode).toBe('electron');
    } finally {
      delete g.inspector;
    }
  });
});
