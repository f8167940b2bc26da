import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../src-main/engine/backends/select';
import { registerWasmKernels, WASM_KERNELS, wasmHeapBytes } from '../../../../src-main/engine/backends/wasm-kernels';
import { against } from './compare';

const TOL = 1e-4;

type Pad = 'same' | 'valid' | number;
interface Case { b: number; h: number; w: number; ci: number; co: number; k: number; s: number | [number, number]; pad: Pad }

const cases: Case[] = [];
for (const s of [1, 2]) {
  for (const pad of ['same', 'valid'] as const) {
    for (const [h, k, ci, co] of [[8, 4, 3, 5], [7, 3, 1, 4], [9, 4, 6, 2], [6, 1, 2, 3]]) {
      cases.push({ b: 2 + (h % 2), h, w: h + 1, ci, co, k, s, pad });
    }
  }
}
cases.push({ b: 2, h: 8, w: 9, ci: 3, co: 4, k: 4, s: [1, 2], pad: 'same' });
cases.push({ b: 3, h: 8, w: 8, ci: 2, co: 3, k: 4, s: 2, pad: 1 });
cases.push({ b: 3, h: 4, w: 4, ci: 5, co: 7, k: 4, s: 1, pad: 'valid' }); // whole-input window: matmul path

const label = (c: Case) => `${c.b}x${c.h}x${c.w}x${c.ci} k${c.k} s${c.s} ${c.pad} -> ${c.co}`;

describe('wasm training kernels match the stock cpu backend', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('installs every kernel, idempotently, and reports the heap', () => {
    registerWasmKernels();
    const funcs = WASM_KERNELS.map((n) => tf.getKernel(n, 'wasm')?.kernelFunc);
    registerWasmKernels();
    expect(WASM_KERNELS.map((n) => tf.getKernel(n, 'wasm')?.kernelFunc)).toEqual(funcs);
    expect(funcs.every((f) => typeof f === 'function')).toBe(true);
    expect(wasmHeapBytes()).toBeGreaterThan(1 << 20);
  });

  it.each(cases.map((c) => [label(c), c] as const))('conv2d gradients %s', async (_name, c) => {
    const y = tf.tidy(() => tf.conv2d(tf.zeros([c.b, c.h, c.w, c.ci]) as tf.Tensor4D, tf.zeros([c.k, c.k, c.ci, c.co]) as tf.Tensor4D, c.s, c.pad));
    const dyShape = y.shape;
    y.dispose();
    const err = await against([[c.b, c.h, c.w, c.ci], [c.k, c.k, c.ci, c.co], dyShape], ([x, f, dy]) =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad))([x, f], dy),
    );
    expect(err).toBeLessThan(TOL);
  });

  it.each(cases.filter((c) => typeof c.pad === 'string').map((c) => [label(c), c] as const))('conv2dTranspose forward and gradients %s', async (_name, c) => {
    // The transposed conv maps [b,oh,ow,co] back to [b,h,w,ci]: its forward is Conv2DBackpropInput.
    const out = tf.tidy(() => tf.conv2d(tf.zeros([c.b, c.h, c.w, c.ci]) as tf.Tensor4D, tf.zeros([c.k, c.k, c.ci, c.co]) as tf.Tensor4D, c.s, c.pad).shape);
    const xShape: [number, number, number, number] = [c.b, c.h, c.w, c.ci];
    const err = await against([out, [c.k, c.k, c.ci, c.co], xShape], ([dy, f, g]) => {
      const fn = (a: tf.Tensor, b: tf.Tensor) => tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, xShape, c.s, c.pad as 'same');
      return [fn(dy, f), ...tf.grads(fn)([dy, f], g)];
    });
    expect(err).toBeLessThan(TOL);
  });

  it.each([
    ['[1,1,1,C] over batch and space', [1, 1, 1, 6], [3, 4, 5, 1]],
    ['leading ones only partly tiled', [1, 1, 3], [2, 1, 1]],
    ['inner dim tiled (stock path)', [2, 3], [2, 3]],
    ['no repeat', [2, 3], [1, 1]],
  ])('tile %s', async (_name, shape, reps) => {
    const err = await against([shape], ([x]) => [tf.tile(x, reps), tf.tile(x.toInt(), reps).toFloat()]);
    expect(err).toBe(0);
  });

  it.each([
    ['NHWC over batch and space', [3, 4, 5, 6], [0, 1, 2]],
    ['first axis only', [4, 3, 2], [0]],
    ['negative axes', [3, 4, 5], [-3, -2]],
    ['inner axes (stock path)', [3, 4, 5], [1, 2]],
    ['all axes (stock path)', [3, 4], [0, 1]],
  ] as const)('sum and mean %s', async (_name, shape, axis) => {
    const err = await against([[...shape]], ([x]) => [
      tf.sum(x, [...axis]),
      tf.mean(x, [...axis], true),
      tf.sum(x.toInt(), [...axis]).toFloat(),
      ...tf.grads((v: tf.Tensor) => tf.mean(v.square(), [...axis]))([x]),
    ]);
    expect(err).toBeLessThan(TOL);
  });

  it('clones share the buffer yet stay independent of later variable updates and disposal', () => {
    const v = tf.variable(tf.tensor([1, 2, 3]));
    const a = v.clone();
    v.assign(tf.tensor([7, 8, 9]));
    const b = a.clone();
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(v.dataSync())).toEqual([7, 8, 9]);
    tf.dispose([v, b]);
  });

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('matMul and fused matMul, transposeA %s transposeB %s', async (ta, tb) => {
    const a = ta ? [2, 5, 3] : [2, 3, 5];
    const b = tb ? [2, 4, 5] : [2, 5, 4];
    // Fused only in 2D: stock wasm _FusedMatMul with a batch dim > 1 and a bias is wrong already
    // (rows after the first), with or without our wrapper; dense layers only use 2D.
    const a2 = ta ? [5, 3] : [3, 5];
    const b2 = tb ? [4, 5] : [5, 4];
    const err = await against([a, b, a2, b2, [4]], ([x, y, x2, y2, bias]) => [
      tf.matMul(x, y, ta, tb),
      ...tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.matMul(p, q, ta, tb).square())([x, y]),
      tf.fused.matMul({ a: x2, b: y2, transposeA: ta, transposeB: tb, bias, activation: 'relu' }),
      ...tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.fused.matMul({ a: p, b: q, transposeA: ta, transposeB: tb, bias, activation: 'elu' }))([x2, y2]),
    ]);
    expect(err).toBeLessThan(TOL);
  });
});
