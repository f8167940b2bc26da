// A library whose thresholds were saved before model folders carried them: opening it puts each ready model's
// current threshold into its folder, so the folder brought to another PC flags there as here; a folder's own file
// is left as it is.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openApiHost } from '../../src-main/api/host';
import { openStore } from '../../src-main/store';
import { insertPart } from './api-fixture';
import { waitUntil } from './jobs-fixture';

const dir = mkdtempSync(join(tmpdir(), 'model-threshold-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('thresholds carried by model folders', () => {
  it('writes the saved threshold into the folders of models that lack it when the library opens', async () => {
    const db = join(dir, 'library.sqlite');
    const folders = ['a', 'b', 'c'].map((n) => join(dir, 'models', n));
    folders.forEach((f) => mkdirSync(f, { recursive: true }));
    writeFileSync(join(folders[1], 'threshold.json'), '{"kept": "as it is"}');
    const store = openStore(db);
    const p = store.projects.ensure('default');
    const part = insertPart(store, p.id, '/line/part.png', { label: 'good' });
    const ids = folders.map((weightsDir, k) => {
      const m = store.models.create({ projectId: p.id, name: `m${k}`, options: {}, trainImageIds: [part] });
      store.models.update(m.id, { status: 'ready', weightsDir });
      return m.id;
    });
    store.thresholds.set(ids[0], { value: 0.2, source: 'percentile' });
    store.thresholds.set(ids[0], { value: 0.42, lower: 0.3, source: 'manual' });
    store.thresholds.set(ids[1], { value: 0.9, source: 'manual' });
    store.close(); // model c has no threshold: nothing to carry
    const host = openApiHost({ dbPath: db, mode: 'web', version: 'test', mediaUrl: () => '', queue: null });
    try {
      const file = join(folders[0], 'threshold.json');
      await waitUntil('the threshold file', () => existsSync(file), 10_000);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ value: 0.42, lower: 0.3, source: 'manual' });
      expect(readFileSync(join(folders[1], 'threshold.json'), 'utf8')).toBe('{"kept": "as it is"}');
      expect(existsSync(join(folders[2], 'threshold.json'))).toBe(false);
    } finally {
      await host.close();
    }
  });
});
