// The webgpu backend on Dawn's software adapter (OpenGL over Mesa's llvmpipe): a real GANomaly training
// step and scoring, compared with wasm from the same seed. Kept tiny: the software adapter is slow and
// compiles every shader on first use.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, type BackendInfo } from '../../../../src-main/engine/backends/select';
import { adapterName, softwareReason, type AdapterFacts } from '../../../../src-main/engine/backends/webgpu';
import { parseOptions } from '../../../../src-main/engine/options';
import { flattenGrads } from '../../../../src-main/engine/parallel/flat';
import { resolveWorkers } from '../../../../src-main/engine/parallel/step-runner';
import { scoreBatch, type ScoreResult } from '../../../../src-main/engine/scoring';
import { createNets, disposeNets, stepGradients, trainStep, type StepLosses } from '../../../../src-main/engine/train-step';
import { makeParts } from '../../../fixtures/synthetic-parts';
import { webgpuSkipReason } from '../../../fixtures/webgpu';

const facts = (f: Partial<AdapterFacts>): AdapterFacts => ({
  vendor: '', architecture: '', device: '', description: '', isFallbackAdapter: false, compatibilityOnly: false, ...f,
});

describe('adapter classification', () => {
  it('calls software rasterisers, fallback and compatibility-mode adapters software; real GPUs not', () => {
    expect(softwareReason(facts({ device: 'llvmpipe-llvm-15-0-6-256-bits-', compatibilityOnly: true }))).toMatch(/software rasteriser \(llvmpipe\)/);
    expect(softwareReason(facts({ description: 'SwiftShader Device (Subzero)' }))).toMatch(/SwiftShader/);
    expect(softwareReason(facts({ device: 'llvmpipe (LLVM 15.0.6, 256 bits)', vendor: 'mesa' }))).toMatch(/llvmpipe/);
    expect(softwareReason(facts({ description: 'Microsoft Basic Render Driver' }))).toMatch(/Basic Render Driver/);
    expect(softwareReason(facts({ vendor: 'nvidia', isFallbackAdapter: true }))).toMatch(/fallback/);
    expect(softwareReason(facts({ vendor: 'nvidia', compatibilityOnly: true }))).toMatch(/compatibility-mode/);
    expect(softwareReason(facts({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' }))).toBeNull();
    expect(softwareReason(facts({ vendor: 'apple', architecture: 'metal-3' }))).toBeNull();
  });

  it('names an adapter from what the driver fills in', () => {
    expect(adapterName(facts({ vendor: 'nvidia', description: 'NVIDIA H200' }))).toBe('nvidia, NVIDIA H200');
    expect(adapterName(facts({}))).toBe('unnamed adapter');
  });
});

const skip = webgpuSkipReason();
const o = parseOptions({ isize: 16, nz: 8, ngf: 8, ndf: 8, batchSize: 8, seed: 3 });
const parts = makeParts({ count: 8, isize: 16, seed: 1 });
const meanImage = new Float32Array(16 * 16).fill(-0.2);

interface Run { losses: StepLosses[]; gradsG: Float32Array; gradsD: Float32Array; scores: ScoreResult }

/** The same seeded nets on `backend`: first-step gradients, two training steps, then scoring with maps. */
async function runOn(backend: 'wasm' | 'webgpu'): Promise<Run> {
  await selectBackend(backend);
  const nets = createNets(o);
  const x = tf.tensor4d(parts.images, [8, 16, 16, 1]);
  try {
    const s = await stepGradients(nets, x, o);
    const gradsG = await flattenGrads(s.gradsG, nets.varsG);
    const gradsD = await flattenGrads(s.gradsD, nets.varsD);
    tf.dispose([...Object.values(s.gradsG), ...Object.values(s.gradsD)]);
    const losses = [await trainStep(nets, x, o), await trainStep(nets, x, o)];
    const scores = await scoreBatch({ netG: nets.netG, netD: nets.netD, isize: 16, nc: 1, meanImage }, parts.images, 8, true);
    return { losses, gradsG, gradsD, scores };
  } finally {
    x.dispose();
    disposeNets(nets);
  }
}

/** Largest difference relative to the largest magnitude: float32 sums in another order stay near 1e-6. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(b.length).toBe(a.length);
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(a[i]));
  }
  return diff / scale;
}

describe.skipIf(skip !== null)(`webgpu on the software adapter${skip ? ` (${skip})` : ''}`, () => {
  let info: BackendInfo;
  let wasm: Run;
  let gpu: Run;

  beforeAll(async () => {
    wasm = await runOn('wasm');
    info = await selectBackend('webgpu');
    gpu = await runOn('webgpu');
  }, 300_000);
  afterAll(async () => { await selectBackend('wasm'); });

  it('runs on webgpu when asked by name, naming the adapter and calling it software', () => {
    expect(info).toMatchObject({ name: 'webgpu', gpu: false, reason: 'asked for by name' });
    expect(info.adapter).toMatch(/\S/);
    expect(info.detail).toContain(info.adapter);
    expect(info.detail).toMatch(/software rasteriser|compatibility-mode|fallback/);
  });

  it('gives the same gradients as wasm for one GANomaly step', () => {
    expect(relativeError(wasm.gradsG, gpu.gradsG)).toBeLessThan(1e-3);
    expect(relativeError(wasm.gradsD, gpu.gradsD)).toBeLessThan(1e-3);
    expect(gpu.gradsG.some((v) => v !== 0)).toBe(true);
  });

  it('gives the same losses as wasm over two training steps', () => {
    for (let i = 0; i < 2; i++) {
      for (const k of ['errG', 'errGAdv', 'errGCon', 'errGEnc', 'errD'] as const) {
        expect(Math.abs(gpu.losses[i][k] - wasm.losses[i][k])).toBeLessThan(1e-3 * Math.max(1, Math.abs(wasm.losses[i][k])));
      }
    }
    expect(gpu.losses[1].errG).not.toBe(gpu.losses[0].errG); // the first step changed the weights
  });

  it('scores like wasm: every kind, reconstructions and difference maps', () => {
    for (const k of ['latent', 'recon-top1', 'baseline'] as const) expect(relativeError(wasm.scores.raw[k], gpu.scores.raw[k])).toBeLessThan(1e-3);
    expect(relativeError(wasm.scores.reconstructions!, gpu.scores.reconstructions!)).toBeLessThan(1e-3);
    expect(relativeError(wasm.scores.diffMaps!, gpu.scores.diffMaps!)).toBeLessThan(1e-3);
  });

  it('keeps tensors and GPU memory flat over many steps (buffers disposed and reused)', async () => {
    await selectBackend('webgpu');
    const nets = createNets(o);
    const x = tf.tensor4d(parts.images, [8, 16, 16, 1]);
    type GpuMemory = tf.MemoryInfo & { numBytesInGPU: number; numBytesAllocatedInGPU: number };
    try {
      for (let i = 0; i < 3; i++) await trainStep(nets, x, o); // Adam's slots appear, the buffer pool fills
      const before = tf.memory() as GpuMemory;
      for (let i = 0; i < 5; i++) await trainStep(nets, x, o);
      const after = tf.memory() as GpuMemory;
      expect(after.numTensors).toBe(before.numTensors);
      expect(after.numBytesInGPU).toBe(before.numBytesInGPU);
      expect(after.numBytesAllocatedInGPU).toBeLessThanOrEqual(before.numBytesAllocatedInGPU);
    } finally {
      x.dispose();
      disposeNets(nets);
    }
  });

  it('trains with one replica: workers auto is 1 and more are refused with a reason', () => {
    expect(resolveWorkers('auto', 'webgpu', 64)).toBe(1);
    expect(() => resolveWorkers(2, 'webgpu', 64)).toThrow(/webgpu trains on one device.*only on wasm or cpu/);
  });
});
