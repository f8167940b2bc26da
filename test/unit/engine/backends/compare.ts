// Runs the same computation on two backends from the same random inputs and compares the results.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

export type Compute = (inputs: tf.Tensor[]) => tf.Tensor | tf.Tensor[];

let seed = 1;
export function randomInputs(shapes: number[][]): Float32Array[] {
  return shapes.map((s) => tf.tidy(() => tf.randomNormal(s, 0, 1, 'float32', seed++).dataSync() as Float32Array));
}

export async function runOn(backend: string, values: Float32Array[], shapes: number[][], fn: Compute): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const inputs = values.map((v, i) => tf.tensor(v, shapes[i]));
    const out = fn(inputs);
    return (Array.isArray(out) ? out : [out]).map((t) => t.dataSync() as Float32Array);
  });
}

/** max |a - b| relative to the largest |b| (at least 1), over every output. */
export function relError(a: Float32Array[], b: Float32Array[]): number {
  expect(a.map((x) => x.length)).toEqual(b.map((x) => x.length));
  let worst = 0;
  for (let k = 0; k < a.length; k++) {
    let scale = 1;
    for (const v of b[k]) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < a[k].length; i++) {
      const d = Math.abs(a[k][i] - b[k][i]) / scale;
      if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
    }
  }
  return worst;
}

/** Same inputs through our wasm kernels and the stock pure-JS ('cpu') kernels; the worst relative error. */
export async function against(shapes: number[][], fn: Compute): Promise<number> {
  const values = randomInputs(shapes);
  const ours = await runOn('wasm', values, shapes, fn);
  const reference = await runOn('cpu', values, shapes, fn);
  await tf.setBackend('wasm');
  return relError(ours, reference);
}
