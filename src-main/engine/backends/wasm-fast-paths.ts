// Wrappers around wasm kernels whose stock versions are slow for the shapes training produces; each
// handles its fast case and hands everything else to the stock kernel.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from './kernel-ops';

type KernelArgs = Parameters<tf.KernelFunc>[0];
type Backend = tf.KernelBackend;

function runStock(stock: tf.KernelFunc, args: KernelArgs): TensorInfo {
  const out = stock(args);
  return Array.isArray(out) ? out[0] : out;
}

/**
 * Tile of a tensor whose leading dims are 1 along exactly the dims being repeated (batch-norm's
 * gradient tiles [1,1,1,C] to [B,H,W,C]) is the same block repeated: copy it by doubling instead
 * of the stock per-element index loop (~100x faster at these sizes).
 */
export function fastTile(stock: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs.x as TensorInfo;
    const reps = (args.attrs as unknown as { reps: number[] }).reps;
    const k = splitPoint(x.shape, reps);
    if (k < 0 || (x.dtype !== 'float32' && x.dtype !== 'int32')) return runStock(stock, args);
    const backend = args.backend as Backend;
    const block = backend.readSync(x.dataId) as Float32Array | Int32Array;
    const copies = reps.slice(0, k).reduce((a, b) => a * b, 1);
    const out = x.dtype === 'float32' ? new Float32Array(block.length * copies) : new Int32Array(block.length * copies);
    out.set(block);
    for (let filled = block.length; filled < out.length; filled *= 2) {
      out.copyWithin(filled, 0, Math.min(filled, out.length - filled));
    }
    const shape = x.shape.map((s, i) => s * reps[i]);
    return { dataId: backend.write(out, shape, x.dtype), shape, dtype: x.dtype };
  };
}

/** Index k with shape[i] == 1 for i < k and reps[i] == 1 for i >= k, or -1. */
function splitPoint(shape: number[], reps: number[]): number {
  let k = 0;
  while (k < shape.length && shape[k] === 1) k++;
  for (let i = k; i < reps.length; i++) if (reps[i] !== 1) return -1;
  return k;
}

/**
 * wasm's (fused) BatchMatMul with transposeA/transposeB is 10-30x slower than without; dense-layer
 * gradients always ask for one. Transposing explicitly first is bit-identical and cheap.
 */
export function explicitTransposeMatMul(stock: tf.KernelFunc, transpose: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const attrs = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (!attrs.transposeA && !attrs.transposeB) return runStock(stock, args);
    const backend = args.backend as Backend;
    const made: TensorInfo[] = [];
    const flip = (t: TensorInfo) => {
      const r = t.shape.length;
      const perm = [...Array(r).keys()];
      [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
      const out = runStock(transpose, { inputs: { x: t }, backend, attrs: { perm } });
      made.push(out);
      return out;
    };
    const inputs = { ...args.inputs } as Record<string, TensorInfo>;
    if (attrs.transposeA) inputs.a = flip(inputs.a);
    if (attrs.transposeB) inputs.b = flip(inputs.b);
    try {
      return runStock(stock, { inputs, backend, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const t of made) backend.disposeData(t.dataId);
    }
  };
}

/**
 * The engine clones every tensor it saves for the backward pass; stock wasm Identity copies the
 * data each time. Tensors are immutable, so sharing the buffer with a reference count (what the cpu
 * backend and wasm's own Reshape do) is equivalent and copies nothing.
 */
export function sharedIdentity(stock: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string') return runStock(stock, args);
    const backend = args.backend as Backend & { incRef(dataId: tf.DataId): void };
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
