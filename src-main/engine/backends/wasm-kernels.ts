// Kernels the wasm backend lacks (Conv2DBackpropFilter) or runs slowly (Conv2DBackpropInput, a plain
// loop ~8x slower than XNNPACK's Conv2D). Registered through tfjs's public kernel registry.
import * as tf from '@tensorflow/tfjs';
import { backpropFilterKernel, backpropInputKernel } from './conv-grads';

const BACKEND = 'wasm';

/** Kernel names this module installs on the wasm backend. */
export const WASM_KERNELS = ['Conv2DBackpropFilter', 'Conv2DBackpropInput'] as const;

const ours = new Map<string, tf.KernelFunc>([
  ['Conv2DBackpropFilter', backpropFilterKernel(BACKEND)],
  ['Conv2DBackpropInput', backpropInputKernel(BACKEND)],
]);

/** Idempotent; call after `await tf.setBackend('wasm')`, since our kernels call its Conv2D. */
export function registerWasmKernels(): void {
  for (const [kernelName, kernelFunc] of ours) {
    const existing = tf.getKernel(kernelName, BACKEND);
    if (existing?.kernelFunc === kernelFunc) continue;
    if (existing) tf.unregisterKernel(kernelName, BACKEND);
    tf.registerKernel({ kernelName, backendName: BACKEND, kernelFunc });
  }
}

/** Bytes the wasm heap has grown to (it never shrinks), or undefined when wasm is not initialised. */
export function wasmHeapBytes(): number | undefined {
  const backend = tf.findBackend(BACKEND) as unknown as { wasm?: { HEAPU8?: Uint8Array } } | null;
  return backend?.wasm?.HEAPU8?.buffer.byteLength;
}

/** Where the wasm heap stops growing (measured; allocations beyond it fail). */
export const WASM_HEAP_LIMIT_BYTES = Math.floor(3.84 * 2 ** 30);
