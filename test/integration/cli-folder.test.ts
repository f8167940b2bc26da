// The folder-mode command line as a user runs it: a real process, real PNG files, a real (tiny) training.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli, TINY_TRAIN as TINY } from '../fixtures/cli';
import { writeCorruptPng, writePartFolder } from '../fixtures/part-images';



describe('ganomaly-inspector folder commands', () => {
  let dir: string;
  let data: string;
  let model: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gi-cli-'));
    data = join(dir, 'parts with space');
    await writePartFolder(data, { trainGood: 24, testGood: 6, testDefect: 6, size: 40 });
    await writeCorruptPng(join(data, 'train', 'good', 'broken.png'));
    model = join(dir, 'model');
  });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  it('trains on train/good, reports the corrupt file and saves a model', async () => {
    const r = await cli(['train', data, '--out', model, ...TINY]);
    expect(r.stderr).toMatch(/skipped .*broken\.png: not-an-image/);
    expect(r.stderr).toMatch(/backend: wasm/);
    expect(r.stderr).toMatch(/training on 24 images/);
    // The plan and its measured ETA come before the first step.
    const lines = r.stderr.split('\n');
    const plan = lines.findIndex((l) => /^plan: 2 epochs, \d+ steps of \d+ images; (under a minute|about \d+ min) — timed 2 steps on this machine \(/.test(l));
    expect(plan, r.stderr).toBeGreaterThanOrEqual(0);
    expect(plan).toBeLessThan(lines.findIndex((l) => l.startsWith('training on 24 images')));
    // --workers auto: one data-parallel replica per core, two at most.
    if (availableParallelism() >= 2) expect(r.stderr).toMatch(/data-parallel on 2 threads/);
    expect(r.code).toBe(0);
    const meta = JSON.parse(await readFile(join(model, 'model.json'), 'utf8'));
    expect(meta.options).toMatchObject({ isize: 16, nc: 1, epochs: 2 });
    expect(meta.backend.name).toBe('wasm');
    expect(meta.history).toHaveLength(2);
  });

  it('scores every image of a folder, one line each, with maps', async () => {
    const maps = join(dir, 'maps');
    const r = await cli(['score', join(data, 'test'), '--model', model, '--json', '--maps', maps, '--backend', 'wasm']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(12);
    // latent (E) and feature (D twice) only when one is the model's own kind, or with --all-kinds.
    const own = JSON.parse(await readFile(join(model, 'model.json'), 'utf8')).synthetic.best;
    const cheap = ['baseline', 'recon-top1', 'recon-z', 'ssim'];
    for (const row of rows) {
      expect(Number.isFinite(row.raw)).toBe(true);
      expect(Number.isFinite(row.calibrated)).toBe(true);
      expect(Object.keys(row.scores).sort()).toEqual(own === 'feature' || own === 'latent' ? [...cheap, own].sort() : cheap);
    }
    const all = await cli(['score', join(data, 'test'), '--model', model, '--json', '--all-kinds', '--backend', 'wasm']);
    const allRows = all.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(allRows.every((row) => Number.isFinite(row.scores.feature) && Number.isFinite(row.scores.latent))).toBe(true);
    expect(allRows.map((row) => row.raw)).toEqual(rows.map((row) => row.raw));
    expect((await readdir(maps)).filter((f) => f.endsWith('-difference.png'))).toHaveLength(12);
  });

  it('never scores its own maps when --maps lies inside the scored folder', async () => {
    const maps = join(data, 'test', 'maps');
    try {
      for (let run = 0; run < 2; run++) {
        const r = await cli(['score', join(data, 'test'), '--model', model, '--maps', maps, '--backend', 'wasm']);
        expect(r.code).toBe(0);
        expect(r.stdout.trim().split('\n'), `run ${run + 1}`).toHaveLength(12);
      }
      expect((await readdir(maps)).filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(24);
    } finally {
      await rm(maps, { recursive: true, force: true });
    }
  });

  it("evaluates a labelled folder for the model's score, the kinds its passes give and the baseline; every kind with --all-kinds", async () => {
    const r = await cli(['eval', join(data, 'test'), '--model', model, '--json', '--backend', 'wasm']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    // 'auto': the kind that did best on the synthetic-defect check at the end of training, saved with the model.
    const meta = JSON.parse(await readFile(join(model, 'model.json'), 'utf8'));
    expect(meta.options.scoreKind).toBe('auto');
    expect(out).toMatchObject({ good: 6, defect: 6, scoreKind: meta.synthetic.best, synthetic: meta.synthetic.auroc });
    const inRange = (f: { auroc: number }) => f.auroc >= 0 && f.auroc <= 1;
    expect(Object.keys(out.figures).sort()).toEqual([...new Set(['baseline', 'recon-top1', 'recon-z', 'ssim', meta.synthetic.best])].sort());
    expect(Object.values(out.figures).every((f) => inRange(f as { auroc: number }))).toBe(true);
    const all = JSON.parse((await cli(['eval', join(data, 'test'), '--model', model, '--json', '--all-kinds', '--backend', 'wasm'])).stdout);
    expect(Object.keys(all.figures).sort()).toEqual(['baseline', 'feature', 'latent', 'recon-top1', 'recon-z', 'ssim']);
    expect(all.figures['recon-top1']).toEqual(out.figures['recon-top1']);
    const text = await cli(['eval', join(data, 'test'), '--model', model, '--backend', 'wasm']);
    expect(text.stdout).toMatch(/not computed: --all-kinds/);
    // The model-free baseline normalised per pixel, from statistics saved with the model; a model saved
    // without them (older versions) leaves the line out.
    expect(meta.weights.deviationStats).toMatchObject({ file: 'deviation-stats.bin' });
    expect(inRange(out.normalisedBaseline)).toBe(true);
    expect(text.stdout).toMatch(/^baseline-z\s+\d\.\d{3} .*model-free: the baseline normalised per pixel/m);
    // The comparison in words: the model's own kind against the plain baseline, on the same parts.
    const lead = out.figures[meta.synthetic.best].auroc - out.figures.baseline.auroc;
    expect(out.verdict.lead).toBeCloseTo(lead, 9);
    expect(out.verdict.kind).toBe(lead >= 0.05 ? 'clear' : lead > 0 ? 'narrow' : 'trails');
    expect(text.stdout).toMatch(/\n(The model ranks these parts clearly better|The model is only narrowly ahead|The model-free baseline ranks these parts at least as well)[^\n]*AUROC \d\.\d{3} against \d\.\d{3}/);
    const older = join(dir, 'older-model');
    await cp(model, older, { recursive: true });
    delete meta.weights.deviationStats;
    await writeFile(join(older, 'model.json'), JSON.stringify(meta));
    const old = JSON.parse((await cli(['eval', join(data, 'test'), '--model', older, '--json', '--backend', 'wasm'])).stdout);
    expect(old.normalisedBaseline).toBeNull();
    expect(old.figures['recon-top1']).toEqual(out.figures['recon-top1']);
    // One kind of defect (test/scratch): nothing per kind. Two: each kind's AUROC against all good parts, the
    // model's and the baseline's, which weighted by parts give the overall figures back.
    expect(out.byDefectKind).toEqual([]);
    const twoKinds = join(dir, 'two kinds', 'test'); // test/<kind>: a kind of defect
    await cp(join(data, 'test'), twoKinds, { recursive: true });
    await mkdir(join(twoKinds, 'dent'));
    for (const f of (await readdir(join(twoKinds, 'scratch'))).sort().slice(0, 2)) await rename(join(twoKinds, 'scratch', f), join(twoKinds, 'dent', f));
    const kinds = JSON.parse((await cli(['eval', twoKinds, '--model', model, '--json', '--backend', 'wasm'])).stdout);
    expect(kinds.byDefectKind.map((k: { kind: string; parts: number }) => [k.kind, k.parts])).toEqual([['dent', 2], ['scratch', 4]]);
    const weighted = (key: 'auroc' | 'baseline' | 'baselineZ') => kinds.byDefectKind.reduce((s: number, k: Record<string, number>) => s + k[key] * k.parts, 0) / 6;
    expect(weighted('auroc')).toBeCloseTo(out.figures[meta.synthetic.best].auroc, 9);
    expect(weighted('baseline')).toBeCloseTo(out.figures.baseline.auroc, 9);
    expect(weighted('baselineZ')).toBeCloseTo(out.normalisedBaseline.auroc, 9); // whole images: the normalised rule too
    const table = (await cli(['eval', twoKinds, '--model', model, '--backend', 'wasm'])).stdout;
    expect(table).toMatch(/\nkind of defect\s+parts\s+\S+\s+baseline\s+baseline-z\s+shift\s+\(AUROC of each kind against all 6 good parts\)\ndent\s+2\s+(\d\.\d{3}\s+){3}\d\.\d{3}\nscratch\s+4\s+/);
    expect(table).not.toMatch(/differ from the good parts as a whole/);
    // Dents shot brighter than the good parts: their images differ as a whole, which eval says (shift: each
    // image's median deviation, blind to a small defect, ranks them above every good part).
    for (const f of await readdir(join(twoKinds, 'dent'))) {
      const p = join(twoKinds, 'dent', f);
      await writeFile(p, await sharp(await readFile(p)).linear(1, 60).png().toBuffer());
    }
    const shifted = await cli(['eval', twoKinds, '--model', model, '--backend', 'wasm']);
    // Counted by the limit the model saved, as the Metrics screen counts them: the dents differ, the good parts not.
    expect(shifted.stdout).toMatch(/\ndiffer as a whole \(beyond the model's capture-shift limit\): [0-3] of 6 good, \d of 6 defective\nwarning: dent \(2 of 2\): most of these parts differ from the good parts as a whole/);
    // Said once: that warning names the dents, so the line from their shift AUROC (the table's 1.000) is not printed too.
    expect(shifted.stdout).toMatch(/\ndent\s+2\s+(\d\.\d{3}\s+){3}1\.000\n/);
    expect(shifted.stdout).not.toMatch(/these images differ/);
    // A model saved without a limit (an older one) cannot count them: the shift AUROC alone says it.
    const noLimit = join(dir, 'model without a shift limit');
    await cp(model, noLimit, { recursive: true });
    const { shiftLimit: _, ...metaWithout } = JSON.parse(await readFile(join(noLimit, 'model.json'), 'utf8'));
    await writeFile(join(noLimit, 'model.json'), JSON.stringify(metaWithout));
    const olderOut = (await cli(['eval', twoKinds, '--model', noLimit, '--backend', 'wasm'])).stdout;
    expect(olderOut).toMatch(/\ndent: these images differ from the good parts as a whole \(shift 1\.000: /);
    expect(olderOut).not.toMatch(/\nscratch: these images differ|warning: /);
    expect(table).not.toMatch(/warning: /);
    const counted = JSON.parse((await cli(['eval', twoKinds, '--model', model, '--json', '--backend', 'wasm'])).stdout);
    expect(counted.shifted.defective).toBeGreaterThanOrEqual(2);
    expect(counted.shiftWarning).toMatch(/^dent \(2 of 2\): /);
    // `score` takes a folder as one lot: one of brighter parts is a capture to check, the good parts are not.
    const lot = await cli(['score', join(twoKinds, 'dent'), '--model', model, '--json', '--backend', 'wasm']);
    expect(lot.stderr).toMatch(/warning: .*dent \(2 of 2\): most parts differ from the good parts as a whole/);
    expect(lot.stdout.trim().split('\n').map((l) => JSON.parse(l).shift).every((v: number) => v > meta.shiftLimit)).toBe(true);
    expect((await cli(['score', join(twoKinds, 'good'), '--model', model, '--backend', 'wasm'])).stderr).not.toMatch(/warning: /);
  });

  it("leaves the model's own training images out of eval on a folder that holds them, and says how many", async () => {
    const meta = JSON.parse(await readFile(join(model, 'model.json'), 'utf8'));
    expect(meta.trainingHashes).toHaveLength(24);
    const r = await cli(['eval', data, '--model', model, '--json', '--backend', 'wasm']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/left out 24 image\(s\) the model trained or validated on/);
    expect(JSON.parse(r.stdout)).toMatchObject({ good: 6, defect: 6, leftOut: 24 });
    const testOnly = JSON.parse((await cli(['eval', join(data, 'test'), '--model', model, '--json', '--backend', 'wasm'])).stdout);
    expect(testOnly).toMatchObject({ good: 6, defect: 6, leftOut: 0 });
  });

  it('stops on Ctrl-C after the running batch, saves the last epoch, and --resume continues from it', async () => {
    const out = join(dir, 'stopped');
    const tiny = TINY.filter((_, i) => TINY[i] !== '--epochs' && TINY[i - 1] !== '--epochs');
    const child = spawn(process.execPath, [BIN, 'train', data, '--out', out, ...tiny, '--epochs', '200']);
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      if (/\nepoch 1:/.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(0);
    const stoppedAt = Number(/stopped after epoch (\d+) \(--resume continues the run\); model saved to/.exec(stderr)?.[1]);
    expect(stoppedAt).toBeGreaterThanOrEqual(1);
    expect(stoppedAt).toBeLessThan(200);
    const resumed = await cli(['train', data, '--out', out, ...tiny, '--epochs', String(stoppedAt + 1), '--resume']);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`resuming after epoch ${stoppedAt}`);
    expect(resumed.stderr).toMatch(new RegExp(`model saved to .* of ${stoppedAt + 1} kept`));
  });

  it('fails with one clear line and a non-zero exit on bad use', async () => {
    const noOut = await cli(['train', data]);
    expect(noOut.code).not.toBe(0);
    expect(noOut.stderr.trim()).toBe('error: train <folder> needs --out <model-dir> (or --db <file> to train a library project)');
    const noModel = await cli(['score', data, '--model', join(dir, 'nowhere')]);
    expect(noModel.code).not.toBe(0);
    expect(noModel.stderr.trim().split('\n')).toHaveLength(1);
    expect(noModel.stderr).toMatch(/^error: .*nowhere[\\/]model\.json not found$/m);
    const typo = await cli(['import', join(dir, 'prats'), data, '--db', join(dir, 'typo.sqlite')]);
    expect(typo.code).not.toBe(0);
    expect(typo.stderr.trim()).toBe(`error: no such file or folder: ${join(dir, 'prats')}`);
    expect(existsSync(join(dir, 'typo.sqlite'))).toBe(false); // nothing imported, not even the other folder
    const badOption = await cli(['train', data, '--out', model, '--isize', '40']);
    expect(badOption.code).not.toBe(0);
    // Refused before the folder is read: its broken file is not reported first.
    expect(badOption.stderr.trim()).toMatch(/^error: .*isize must be a multiple of 16/);
    const badCrop = await cli(['train', data, '--out', model, '--crop', 'half']);
    expect(badCrop.code).not.toBe(0);
    expect(badCrop.stderr).toMatch(/--crop.*expected auto, whole or a number/);
    const smallCrop = await cli(['train', data, '--out', model, '--crop', '0.5']);
    expect(smallCrop.stderr).toMatch(/crop must be at least 1/);
  });

  it('trains and scores in patch mode with --crop: the scale is printed, saved and used, maps at the images\' own size', async () => {
    const patchModel = join(dir, 'patch-model');
    const r = await cli(['train', data, '--out', patchModel, ...TINY, '--crop', '1.25']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/crop: patches of 16x16 at 1\/1\.25 scale \(20 native pixels each\)/);
    const meta = JSON.parse(await readFile(join(patchModel, 'model.json'), 'utf8'));
    expect(meta).toMatchObject({ patchScale: 1.25, options: { crop: 1.25 } });
    const maps = join(dir, 'patch-maps');
    const scored = await cli(['score', join(data, 'test'), '--model', patchModel, '--json', '--maps', maps, '--backend', 'wasm']);
    expect(scored.code).toBe(0);
    expect(scored.stdout.trim().split('\n')).toHaveLength(12);
    const diff = (await readdir(maps)).find((f) => f.endsWith('-difference.png'))!;
    expect(await sharp(join(maps, diff)).metadata()).toMatchObject({ width: 40, height: 40 });
    const e = await cli(['eval', join(data, 'test'), '--model', patchModel, '--json', '--backend', 'wasm']);
    expect(JSON.parse(e.stdout)).toMatchObject({ patchScale: 1.25, good: 6, defect: 6 });
  });
});
