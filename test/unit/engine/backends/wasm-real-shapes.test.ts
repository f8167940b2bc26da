// Our wasm kernels against the stock pure-JS ('cpu') backend at the layer shapes of the real networks
// (isize 32 and 64, ngf = ndf = 64, nz 100; small batches keep the cpu side quick, some reductions use
// the full batch of 64), and the wasm heap staying flat over many real training steps.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../src-main/engine/backends/select';
import { wasmHeapBytes } from '../../../../src-main/engine/backends/wasm-kernels';
import { parseOptions } from '../../../../src-main/engine/options';
import { createNets, disposeNets, trainStep } from '../../../../src-main/engine/train-step';
import { makeParts } from '../../../fixtures/synthetic-parts';
import { against } from './compare';

const TOL = 1e-4;

/** [input side, input channels, output channels, kernel, stride, padding] of every conv of the networks. */
function layers(isize: number): [number, number, number, number, number, 'same' | 'valid'][] {
  const out: [number, number, number, number, number, 'same' | 'valid'][] = [[isize, 1, 64, 4, 2, 'same']];
  let side = isize / 2;
  let ch = 64;
  for (; side > 4; side /= 2, ch *= 2) out.push([side, ch, ch * 2, 4, 2, 'same']);
  out.push([4, ch, 100, 4, 1, 'valid']);
  return out;
}

const B = 1;
// isize 32 in full; of isize 64 its first layer (the wider ones are slow on the cpu backend).
const convCases = [...layers(32), ...layers(64).filter((l) => l[0] === 64)].map((l) => [`${l[0]}x${l[0]}x${l[1]} -> ${l[2]} k${l[3]} s${l[4]} ${l[5]}`, l] as const);

describe('wasm kernels at the real networks\' layer shapes', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it.each(convCases)('conv2d and conv2dTranspose with their gradients, %s', async (_name, [side, ci, co, k, s, pad]) => {
    const out = tf.tidy(() => tf.conv2d(tf.zeros([B, side, side, ci]) as tf.Tensor4D, tf.zeros([k, k, ci, co]) as tf.Tensor4D, s, pad).shape);
    const xShape: [number, number, number, number] = [B, side, side, ci];
    // The encoder's conv and the decoder's transposed conv that mirrors it (its forward is the input gradient).
    const err = await against([xShape, [k, k, ci, co], out], ([x, f, dy]) => {
      const convT = (a: tf.Tensor, w: tf.Tensor) => tf.conv2dTranspose(a as tf.Tensor4D, w as tf.Tensor4D, xShape, s, pad);
      return [
        ...tf.grads((a: tf.Tensor, w: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, s, pad))([x, f], dy),
        convT(dy, f),
        ...tf.grads(convT)([dy, f], x),
      ];
    });
    expect(err).toBeLessThan(TOL);
  });

  it.each([[16, 16, 16, 64], [16, 8, 8, 128], [64, 4, 4, 256], [64, 32, 32, 1], [64, 1, 1, 100]])(
    'BatchNorm statistics and gradients at %i x %i x %i x %i', async (...shape) => {
      const err = await against([shape, [shape[3]]], ([x, g]) => [
        tf.sum(x, [0, 1, 2]),
        tf.mean(x, [0, 1, 2], true),
        // (x - mean) * gamma, squared: its gradient reduces over the leading axes and tiles back.
        ...tf.grads((v: tf.Tensor, gamma: tf.Tensor) => tf.mul(tf.sub(v, tf.mean(v, [0, 1, 2], true)), gamma).square())([x, g]),
      ]);
      expect(err).toBeLessThan(TOL);
    });

  it('keeps the wasm heap and the tensor count flat over 200 training steps', async () => {
    // Small networks keep this quick; the kernels and the step are the real ones.
    const o = parseOptions({ isize: 16, ngf: 8, ndf: 8, nz: 16, batchSize: 8, seed: 3 });
    const nets = createNets(o);
    const parts = makeParts({ count: 8, isize: 16, seed: 3 });
    const x = tf.tensor4d(parts.images, [8, 16, 16, 1]);
    try {
      for (let i = 0; i < 10; i++) await trainStep(nets, x, o); // Adam's slots, XNNPACK's operators, the heap's high-water mark
      const heap = wasmHeapBytes();
      const tensors = tf.memory().numTensors;
      let last = 0;
      for (let i = 0; i < 200; i++) last = (await trainStep(nets, x, o)).errG;
      expect(Number.isFinite(last)).toBe(true);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(wasmHeapBytes()).toBe(heap);
    } finally {
      x.dispose();
      disposeNets(nets);
    }
  });
});
