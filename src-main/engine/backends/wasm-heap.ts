// Reads a wasm tensor's values where they lie in the module's heap, without the copy readSync makes.
// Leans on tfjs-backend-wasm 4.22's internals (dataIdMap, wasm.HEAPF32); when they are not there,
// falls back to readSync, so a changed tfjs costs speed, never correctness.
import type * as tf from '@tensorflow/tfjs';

interface WasmInternals {
  dataIdMap?: { get(id: tf.DataId): { memoryOffset?: number } | undefined };
  wasm?: { HEAPF32?: Float32Array };
}

/** The float32 values of a tensor: a view into the heap (valid until the next allocation) or a copy. */
export function float32View(backend: tf.KernelBackend, x: tf.TensorInfo): Float32Array {
  const b = backend as unknown as WasmInternals;
  const offset = b.dataIdMap?.get(x.dataId)?.memoryOffset;
  // Re-read the heap each time: growing it replaces the buffer.
  const heap = b.wasm?.HEAPF32;
  const n = x.shape.reduce((a, d) => a * d, 1);
  if (heap && typeof offset === 'number' && offset % 4 === 0 && offset / 4 + n <= heap.length) {
    return heap.subarray(offset / 4, offset / 4 + n);
  }
  return backend.readSync(x.dataId) as Float32Array;
}
