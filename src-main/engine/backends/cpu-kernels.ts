// The pure-JS backend's own filter gradient is a deep scalar loop while its Conv2D is im2col + matmul,
// so the same Conv2D-based rewrite helps there too.
import * as tf from '@tensorflow/tfjs';
import { backpropFilterKernel } from './conv-grads';

const BACKEND = 'cpu';
const NAME = 'Conv2DBackpropFilter';
const filterGrad = backpropFilterKernel(BACKEND);
let stock: tf.KernelConfig | undefined;

/** Idempotent. */
export function registerCpuKernels(): void {
  const existing = tf.getKernel(NAME, BACKEND);
  if (existing?.kernelFunc === filterGrad) return;
  if (existing) {
    stock = existing;
    tf.unregisterKernel(NAME, BACKEND);
  }
  tf.registerKernel({ kernelName: NAME, backendName: BACKEND, kernelFunc: filterGrad });
}

/** Puts tfjs's own kernel back (used to compare against it). */
export function restoreStockCpuKernels(): void {
  if (!stock || tf.getKernel(NAME, BACKEND)?.kernelFunc !== filterGrad) return;
  tf.unregisterKernel(NAME, BACKEND);
  tf.registerKernel(stock);
}
