import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src-main/engine/backends/select';
import { timeTraining } from '../../../src-main/engine/step-timing';

describe('step timing', () => {
  it('times real steps, precise BatchNorm and validation with the chosen options, and leaves no tensor behind', async () => {
    await selectBackend('wasm');
    const options = { isize: 16, nz: 8, ngf: 8, ndf: 8, batchSize: 8, nc: 1 as const };
    await timeTraining({ options, workers: 1, steps: 1, images: 4 }); // first use of the kernels
    const before = tf.memory().numTensors;
    const t = await timeTraining({ options, workers: 1, steps: 3, images: 8 });
    expect(tf.memory().numTensors).toBe(before);
    expect(t).toMatchObject({ steps: 3, workers: 1, backend: 'wasm' });
    for (const k of ['stepSeconds', 'startSeconds', 'bnSecondsPerImage', 'validationSecondsPerImage'] as const) {
      expect(t[k], k).toBeGreaterThan(0);
      expect(t[k], k).toBeLessThan(30);
    }
    // Precise BatchNorm's memory cap is far above these few images at isize 16.
    expect(t.bnImageCap).toBeGreaterThan(1000);
    // A wider network costs more per step: the timing follows the options, not a fixed guess.
    const wide = await timeTraining({ options: { ...options, ngf: 48, ndf: 48, isize: 32 }, workers: 1, steps: 2, images: 4 });
    expect(wide.stepSeconds).toBeGreaterThan(t.stepSeconds);
    await expect(timeTraining({ options: { ...options, isize: 33 } })).rejects.toThrow(/isize must be a multiple of 16/);
  }, 120_000);
});
