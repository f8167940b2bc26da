import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { registerCpuKernels, restoreStockCpuKernels } from '../../../../src-main/engine/backends/cpu-kernels';
import { selectBackend } from '../../../../src-main/engine/backends/select';
import { randomInputs, relError, runOn } from './compare';

describe('cpu filter gradient via Conv2D', () => {
  afterAll(() => restoreStockCpuKernels());

  it.each([
    [2, 8, 3, 5, 4, 2, 'same'],
    [3, 9, 2, 4, 4, 2, 'valid'],
    [2, 7, 4, 3, 3, 1, 'same'],
    [2, 6, 1, 2, 3, 1, 'valid'],
  ] as const)('matches the stock kernel: b%i %ipx ci%i co%i k%i s%i %s', async (b, hw, ci, co, k, s, pad) => {
    await selectBackend('cpu');
    const out = tf.tidy(() => tf.conv2d(tf.zeros([b, hw, hw, ci]) as tf.Tensor4D, tf.zeros([k, k, ci, co]) as tf.Tensor4D, s, pad).shape);
    const shapes = [[b, hw, hw, ci], [k, k, ci, co], out];
    const values = randomInputs(shapes);
    const dW = ([x, f, dy]: tf.Tensor[]) => tf.grad((w: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, pad))(f, dy);
    registerCpuKernels();
    const ours = await runOn('cpu', values, shapes, dW);
    restoreStockCpuKernels();
    const stock = await runOn('cpu', values, shapes, dW);
    expect(relError(ours, stock)).toBeLessThan(1e-4);
  });
});
