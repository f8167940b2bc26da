// Kernels the wasm backend lacks (Conv2DBackpropFilter) or runs slowly for training (Conv2DBackpropInput
// is a plain loop ~8x slower than XNNPACK's Conv2D; Tile, transposed matmuls and Sum/Mean over leading
// axes hit generic loops or full transposes; Identity copies).
// Installed through tfjs's public kernel registry; the stock kernels are kept for comparison.
import * as tf from '@tensorflow/tfjs';
import { backpropFilterKernel, backpropInputKernel } from './conv-grads';
import { explicitTransposeMatMul, fastTile, sharedIdentity } from './wasm-fast-paths';
import { leadingAxesReduce } from './wasm-reduce';

const BACKEND = 'wasm';

/** Kernel names this module installs on the wasm backend. */
export const WASM_KERNELS = ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Tile', 'BatchMatMul', '_FusedMatMul', 'Sum', 'Mean', 'Identity'] as const;
type Name = (typeof WASM_KERNELS)[number];

const stock = new Map<Name, tf.KernelConfig>();
const ours = new Map<Name, tf.KernelFunc>();

function stockFunc(name: string): tf.KernelFunc {
  const config = stock.get(name as Name) ?? tf.getKernel(name, BACKEND);
  if (!config) throw new Error(`wasm backend has no stock '${name}' kernel to wrap`);
  return config.kernelFunc;
}

function build(name: Name): tf.KernelFunc {
  switch (name) {
    case 'Conv2DBackpropFilter':
      return backpropFilterKernel(BACKEND);
    case 'Conv2DBackpropInput':
      return backpropInputKernel(BACKEND);
    case 'Tile':
      return fastTile(stockFunc('Tile'));
    case 'BatchMatMul':
    case '_FusedMatMul':
      return explicitTransposeMatMul(stockFunc(name), stockFunc('Transpose'));
    case 'Identity':
      return sharedIdentity(stockFunc(name));
    case 'Sum':
    case 'Mean':
      return leadingAxesReduce(stockFunc(name), name === 'Mean');
  }
}

/** Idempotent; call after `await tf.setBackend('wasm')`, since our kernels call its Conv2D. */
export function registerWasmKernels(): void {
  for (const name of WASM_KERNELS) {
    const existing = tf.getKernel(name, BACKEND);
    const mine = ours.get(name);
    if (mine && existing?.kernelFunc === mine) continue;
    if (existing && existing.kernelFunc !== mine) stock.set(name, existing);
    const kernelFunc = mine ?? build(name);
    ours.set(name, kernelFunc);
    if (existing) tf.unregisterKernel(name, BACKEND);
    tf.registerKernel({ kernelName: name, backendName: BACKEND, kernelFunc });
  }
}

/** Puts wasm's own kernels back (benchmarks and tests compare against them). */
export function restoreStockWasmKernels(): void {
  for (const [name, kernelFunc] of ours) {
    if (tf.getKernel(name, BACKEND)?.kernelFunc !== kernelFunc) continue;
    tf.unregisterKernel(name, BACKEND);
    const original = stock.get(name);
    if (original) tf.registerKernel(original);
  }
}

/** Bytes the wasm heap has grown to (it never shrinks), or undefined when wasm is not initialised. */
export function wasmHeapBytes(): number | undefined {
  const backend = tf.findBackend(BACKEND) as unknown as { wasm?: { HEAPU8?: Uint8Array } } | null;
  return backend?.wasm?.HEAPU8?.buffer.byteLength;
}

/** Where the wasm heap stops growing (measured; allocations beyond it fail). */
export const WASM_HEAP_LIMIT_BYTES = Math.floor(3.84 * 2 ** 30);
