import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { currentBackend, selectBackend, unpackedAsarPath, wasmDistDir } from '../../../../src-main/engine/backends/select';

describe('selectBackend', () => {
  afterAll(async () => {
    await selectBackend('wasm');
  });

  it('picks wasm on this machine (no tfjs-node-gpu, no GPU adapter) and says why in one line', async () => {
    const lines: string[] = [];
    const info = await selectBackend('auto', (l) => lines.push(l));
    expect(info).toMatchObject({ name: 'wasm', gpu: false, threads: 1 });
    expect(tf.getBackend()).toBe('wasm');
    expect(currentBackend()).toEqual(info);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^backend: wasm \(CPU\), WebAssembly.*\[auto: tensorflow skipped: .*@tensorflow\/tfjs-node-gpu.*; webgpu skipped: .+\]$/);
    // Never the software adapter: whatever Dawn finds here, auto says why webgpu was passed over.
    expect(info.reason).toMatch(/webgpu skipped: (no GPU adapter|only a software rasteriser|only a compatibility|the optional package)/);
  });

  it('is idempotent', async () => {
    const a = await selectBackend('auto');
    const b = await selectBackend('wasm');
    expect(b).toBe(a);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('refuses an explicit tensorflow preference quickly, naming the missing package, and keeps the backend', async () => {
    const t0 = performance.now();
    await expect(selectBackend('tensorflow')).rejects.toThrow(/backend 'tensorflow' unavailable: @tensorflow\/tfjs-node-gpu cannot be loaded/);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(tf.getBackend()).toBe('wasm');
    expect(currentBackend()?.name).toBe('wasm');
  });

  it('rejects an unknown name with the accepted ones', async () => {
    await expect(selectBackend('metal' as never)).rejects.toThrow(/unknown backend 'metal'.*'auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'/);
    await expect(selectBackend('toString' as never)).rejects.toThrow(/unknown backend 'toString'/);
  });

  it('switches to the pure-JS backend on request without the tfjs-node banner', async () => {
    const warn = vi.spyOn(console, 'warn');
    try {
      const info = await selectBackend('cpu');
      expect(info).toMatchObject({ name: 'cpu', gpu: false, threads: 1 });
      tf.tidy(() => tf.add(tf.tensor([1, 2]), 1).dataSync());
      expect(warn.mock.calls.flat().join(' ')).not.toMatch(/tfjs-node/);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('selectBackend sequencing', () => {
  it('runs concurrent calls one after another and ends on the last request', async () => {
    const [a, b, c] = await Promise.all([selectBackend('cpu'), selectBackend('wasm'), selectBackend('auto')]);
    expect([a.name, b.name, c.name]).toEqual(['cpu', 'wasm', 'wasm']);
    expect(tf.getBackend()).toBe('wasm');
  });

  it("goes back to the best backend on 'auto' after an explicit 'cpu'", async () => {
    await selectBackend('cpu');
    expect((await selectBackend('auto')).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
});

describe('wasm binaries location', () => {
  it('resolves the package dist folder holding the .wasm files', () => {
    const dir = wasmDistDir();
    expect(existsSync(join(dir, 'tfjs-backend-wasm-simd.wasm'))).toBe(true);
  });

  it('maps paths inside app.asar to app.asar.unpacked, once, on both separators', () => {
    expect(unpackedAsarPath('/opt/App/resources/app.asar/node_modules/x/dist')).toBe('/opt/App/resources/app.asar.unpacked/node_modules/x/dist');
    expect(unpackedAsarPath('C:\\App\\resources\\app.asar\\node_modules\\x')).toBe('C:\\App\\resources\\app.asar.unpacked\\node_modules\\x');
    expect(unpackedAsarPath('/opt/App/resources/app.asar.unpacked/x')).toBe('/opt/App/resources/app.asar.unpacked/x');
    expect(unpackedAsarPath('/home/me/app.asarx/node_modules')).toBe('/home/me/app.asarx/node_modules');
  });
});
