// Sum/Mean over the leading axes (BatchNorm's statistics and their gradients reduce NHWC over [0,1,2]).
// Stock wasm transposes the whole tensor first; a ones-row matmul makes XNNPACK pack the tensor as
// weights on every call (~8 ms for 64x8x8x128). Adding rows straight from the heap takes ~1 ms.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from './kernel-ops';
import { float32View } from './wasm-heap';

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Column sums of x viewed as [n, c], accumulated in float64 (at least as exact as the GEMM it replaces). */
export function columnSums(x: Float32Array, n: number, c: number, scale: number): Float32Array {
  const acc = new Float64Array(c);
  let i = 0;
  // Four rows per pass: a quarter of the accumulator loads and stores.
  for (let base = 0; i + 4 <= n; i += 4, base += 4 * c) {
    for (let j = 0, r = base; j < c; j++, r++) acc[j] += (x[r] + x[r + c]) + (x[r + 2 * c] + x[r + 3 * c]);
  }
  for (let base = i * c; i < n; i++, base += c) {
    for (let j = 0; j < c; j++) acc[j] += x[base + j];
  }
  const out = new Float32Array(c);
  for (let j = 0; j < c; j++) out[j] = acc[j] * scale;
  return out;
}

export function leadingAxesReduce(stock: tf.KernelFunc, mean: boolean): tf.KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs.x as TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const k = axes.length;
    const leading = k > 0 && k < rank && axes.every((a, i) => a === i);
    const n = x.shape.slice(0, k).reduce((a, b) => a * b, 1);
    const c = x.shape.slice(k).reduce((a, b) => a * b, 1);
    if (!leading || x.dtype !== 'float32' || n === 0 || c === 0) {
      const out = stock(args);
      return Array.isArray(out) ? out[0] : out;
    }
    const backend = args.backend as tf.KernelBackend;
    const values = columnSums(float32View(backend, x), n, c, mean ? 1 / n : 1);
    const shape = keepDims ? x.shape.map((d, i) => (i < k ? 1 : d)) : x.shape.slice(k);
    return { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
  };
}
