// train / score / eval on webgpu through the command line, as a user runs them, on Dawn's software
// adapter here (OpenGL over Mesa's llvmpipe), compared with wasm on the same folder and seed. Tiny sizes:
// the software adapter is a correctness device, not a fast one.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli as runCli } from '../fixtures/cli';
import { writePartFolder } from '../fixtures/part-images';
import { webgpuSkipReason } from '../fixtures/webgpu';

// One replica on wasm too: data-parallel replicas normalise their parts apart, which changes the losses.
const TINY = ['--isize', '16', '--nz', '8', '--ngf', '8', '--ndf', '8', '--batch', '8', '--epochs', '2', '--workers', '1'];
// The software adapter is slow: four minutes a command before it counts as hung.
const cli = (args: string[]) => runCli(args, 240_000);

const LOSSES = ['errD', 'errG', 'errGAdv', 'errGCon', 'errGEnc'] as const;
const close = (a: number, b: number, rel = 1e-3) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));

const skip = webgpuSkipReason();

describe.skipIf(skip !== null)(`the command line on webgpu${skip ? ` (${skip})` : ''}`, () => {
  let dir: string;
  let data: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gi-webgpu-'));
    data = join(dir, 'parts');
    await writePartFolder(data, { trainGood: 18, testGood: 4, testDefect: 4, size: 24 });
  });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  it('trains with --backend webgpu, names the adapter, saves it with the model and matches wasm', async () => {
    const [gpu, cpu] = [join(dir, 'model-webgpu'), join(dir, 'model-wasm')];
    const r = await cli(['train', data, '--out', gpu, ...TINY, '--backend', 'webgpu']);
    expect(r.stderr).toMatch(/backend: webgpu \(CPU\), WebGPU \(Dawn OpenGL\) on '[^']+', a software rasteriser/);
    expect(r.code, r.stderr).toBe(0);
    expect((await cli(['train', data, '--out', cpu, ...TINY, '--backend', 'wasm'])).code).toBe(0);
    const a = JSON.parse(await readFile(join(gpu, 'model.json'), 'utf8'));
    const b = JSON.parse(await readFile(join(cpu, 'model.json'), 'utf8'));
    expect(a.backend).toMatchObject({ name: 'webgpu', gpu: false });
    expect(a.backend.adapter).toMatch(/\S/);
    expect(a.history).toHaveLength(2);
    for (let e = 0; e < 2; e++) {
      for (const k of LOSSES) {
        expect(close(a.history[e].train[k], b.history[e].train[k]), `epoch ${e + 1} train ${k}`).toBe(true);
        expect(close(a.history[e].validation[k], b.history[e].validation[k]), `epoch ${e + 1} validation ${k}`).toBe(true);
      }
    }
  }, 300_000);

  it('scores and evaluates with --backend webgpu as wasm does', async () => {
    const model = join(dir, 'model-webgpu');
    const rows = async (backend: string) => {
      const r = await cli(['score', join(data, 'test'), '--model', model, '--json', '--all-kinds', '--backend', backend]);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { path: string; scores: Record<string, number> });
    };
    const [gpu, cpu] = [await rows('webgpu'), await rows('wasm')];
    expect(gpu.map((g) => g.path)).toEqual(cpu.map((c) => c.path));
    expect(gpu).toHaveLength(8);
    gpu.forEach((g, i) => {
      for (const k of ['recon-top1', 'latent', 'baseline']) expect(close(g.scores[k], cpu[i].scores[k]), `${g.path} ${k}`).toBe(true);
    });
    const e = await cli(['eval', join(data, 'test'), '--model', model, '--json', '--backend', 'webgpu']);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stderr).toMatch(/backend: webgpu/);
    const own = JSON.parse(await readFile(join(model, 'model.json'), 'utf8')).scoreKind;
    expect(JSON.parse(e.stdout)).toMatchObject({ good: 4, defect: 4, scoreKind: own });
  }, 300_000);
});
