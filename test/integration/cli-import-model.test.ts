// A model trained on one PC (folder mode, `train --out`) brought into another's library with `import-model`, as a
// user runs it: real processes, real PNGs, a real (tiny) training. What is refused leaves the library as it was.
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, TINY_TRAIN } from '../fixtures/cli';
import { openApiHost } from '../../src-main/api/host';
import { writePartFolder } from '../fixtures/part-images';
import { strToU8, zipSync, type Zippable } from 'fflate';

describe('import-model', () => {
  let dir: string;
  let parts: string;
  let model: string;
  let db: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gi-import-model-'));
    parts = join(dir, 'parts');
    await writePartFolder(parts, { trainGood: 16, testGood: 4, testDefect: 4, size: 32 });
    model = join(dir, 'engineering', 'crack-model');
    const trained = await cli(['train', parts, '--out', model, ...TINY_TRAIN]);
    expect(trained.code, trained.stderr).toBe(0);
    db = join(dir, 'line', 'library.sqlite');
    expect((await cli(['import', parts, '--db', db])).code).toBe(0);
  }, 120_000);
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  const models = () => readdirSync(join(dir, 'line', 'models'));

  it('refuses what is no whole model and leaves the library as it was', async () => {
    const notModel = await cli(['import-model', parts, '--db', db]);
    expect(notModel.code).toBe(1);
    expect(notModel.stderr).toMatch(/^error: .*parts is not a model folder: .*model\.json not found$/m);
    const broken = join(dir, 'broken');
    await cp(model, broken, { recursive: true });
    await truncate(join(broken, 'netG.weights.bin'), 100);
    const cut = await cli(['import-model', broken, '--db', db]);
    expect(cut.stderr).toMatch(/netG\.weights\.bin: 100 bytes, the manifest describes \d+ \(truncated or corrupt\)/);
    const badThreshold = join(dir, 'bad-threshold');
    await cp(model, badThreshold, { recursive: true });
    await writeFile(join(badThreshold, 'threshold.json'), '{"value": "high"}');
    expect((await cli(['import-model', badThreshold, '--db', db])).stderr).toMatch(/threshold\.json is not a threshold this version reads/);
    expect((await cli(['status', '--db', db])).stdout).toMatch(/^models: 0$/m);
    expect(existsSync(join(dir, 'line', 'models')) ? models() : []).toEqual([]);
  });

  it('copies the folder in, marks the images it trained on, and scores with it', async () => {
    // What a killed import left (its copy, never recorded) goes with the next import.
    const left = join(dir, 'line', 'models', '.incoming-killed');
    await mkdir(left, { recursive: true });
    await writeFile(join(left, 'model.json'), '{');
    const hoursAgo = new Date(Date.now() - 2 * 3600_000);
    await utimes(left, hoursAgo, hoursAgo);
    const r = await cli(['import-model', join(model, 'model.json'), '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^model #1 "crack-model" imported into project "default" from .*crack-model: trained on 16 images elsewhere \(16 of them in this project, marked trained on\)/);
    expect(r.stdout).toMatch(/^no threshold came with it: set one in the app \(Threshold\)$/m);
    expect(models()).toEqual(['1']);
    expect(readdirSync(join(dir, 'line', 'models', '1')).sort()).toEqual(readdirSync(model).filter((f) => f !== 'checkpoint').sort());
    // The original may go: the library holds its own copy.
    await rm(join(dir, 'engineering'), { recursive: true });
    expect((await cli(['score', '--db', db, '--model', '1'])).code).toBe(0);
    expect((await cli(['status', '--db', db])).stdout).toMatch(/^ {2}#1 "crack-model" ready, imported from .*crack-model, score [\w-]+, 24 scored, no threshold$/m);
    const out = join(dir, 'scores.json');
    expect((await cli(['export', '--db', db, '--model', '1', '--json', out])).code).toBe(0);
    const { rows } = JSON.parse(await readFile(out, 'utf8')) as { rows: Array<{ path: string; trained: boolean }> };
    const own = rows.filter((x) => x.trained);
    expect(own).toHaveLength(16);
    expect(own.every((x) => x.path.includes(join('train', 'good')))).toBe(true);
    // The app's Export these from a script: a list by name, flagged only (refused with no threshold yet).
    const named = await cli(['export', '--db', db, '--name', 'DEFECT', '--json', out]);
    expect(named.stdout).toMatch(/^exported 4 rows of model 1 \(no threshold set, so nothing is flagged\)/);
    expect((JSON.parse(await readFile(out, 'utf8')) as { rows: Array<{ path: string }> }).rows.every((x) => /defect[^/]*$/.test(x.path))).toBe(true);
    expect((await cli(['export', '--db', db, '--flagged', '--csv', out])).stderr).toMatch(/^error: Model 1 has no threshold yet, so nothing can be flagged\.$/m);
    const flagged = await cli(['export', '--db', db, '--flagged', '--threshold', '-1e9', '--name', 'zzz', '--csv', out]);
    expect(flagged.stdout).toMatch(/^exported 0 rows of model 1 \(0 flagged\)/);
    expect((await readFile(out, 'utf8')).trim().split('\r\n')).toHaveLength(1);
  });

  it('takes a model as a .zip (downloaded from a library, or its folder zipped by hand), and nothing of it lands elsewhere', async () => {
    const copy = join(dir, 'line', 'models', '1');
    const entries: Zippable = { 'crack-model/../../evil.txt': strToU8('out of place'), 'crack-model/checkpoint/state.bin': strToU8('not the model') };
    for (const f of readdirSync(copy)) entries[`crack-model/${f}`] = await readFile(join(copy, f));
    const zip = join(dir, 'crack (line 2).zip');
    await writeFile(zip, zipSync(entries));
    const garbage = join(dir, 'garbage.zip');
    await writeFile(garbage, 'PK not really');
    const refused = await cli(['import-model', garbage, '--db', db]);
    expect(refused.stderr).toMatch(/^error: .*garbage\.zip is not a readable \.zip file/m);
    const r = await cli(['import-model', zip, '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^model #2 "crack \(line 2\)" imported into project "default" from .*crack \(line 2\)\.zip: trained on 16 images elsewhere/);
    expect(readdirSync(join(dir, 'line', 'models', '2')).sort()).toEqual(readdirSync(copy).sort());
    expect(models().sort()).toEqual(['1', '2']);
    expect(existsSync(join(dir, 'evil.txt')) || existsSync(join(dir, 'line', 'evil.txt'))).toBe(false);
    expect((await cli(['score', '--db', db, '--model', '2'])).code).toBe(0);
  });

  it("saves a library's model as one .zip where the desktop's save dialog says, which another library imports as that model", async () => {
    const answers: Array<string | null> = [];
    const asked: string[] = [];
    const host = openApiHost({
      dbPath: db, mode: 'electron', version: 'test', mediaUrl: () => '', queue: null,
      savePath: async (suggested) => (asked.push(suggested), answers.shift() ?? null),
    });
    const save = (modelId: number) => host.dispatcher.handle('models.saveArchive', { modelId });
    const target = join(dir, 'usb', 'crack model.zip');
    try {
      answers.push(target);
      // The folder the user picked is gone (a stick pulled): said with the path, nothing left behind.
      expect(await save(1)).toEqual({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/^Could not save .*usb.crack model\.zip: ENOENT/) } });
      // A name that is a folder there: the archive written beside it is taken away again.
      await mkdir(join(dir, 'usb', 'taken.zip'), { recursive: true });
      answers.push(join(dir, 'usb', 'taken.zip'));
      expect(await save(1)).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/^Could not save .*taken\.zip: E/) } });
      expect(readdirSync(join(dir, 'usb'))).toEqual(['taken.zip']);
      await rm(join(dir, 'usb', 'taken.zip'), { recursive: true });
      answers.push(null);
      expect(await save(1)).toEqual({ ok: true, data: { available: true, path: null } });
      expect(readdirSync(join(dir, 'usb'))).toEqual([]);
      answers.push(target);
      expect(await save(1)).toEqual({ ok: true, data: { available: true, path: target } });
      expect(readdirSync(join(dir, 'usb'))).toEqual(['crack model.zip']);
      expect(asked).toEqual(Array(4).fill('crack-model.zip'));
      expect((await save(4242)).ok).toBe(false);
    } finally {
      await host.close();
    }
    const other = join(dir, 'office', 'library.sqlite');
    const r = await cli(['import-model', target, '--db', other]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^model #1 "crack model" imported into project "default" from .*crack model\.zip: trained on 16 images elsewhere/);
    expect(readdirSync(join(dir, 'office', 'models', '1')).sort()).toEqual(readdirSync(join(dir, 'line', 'models', '1')).sort());
  });
});
