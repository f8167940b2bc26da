import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../src-main/engine/backends/select';

type ST = tf.SymbolicTensor;

/** A tiny generator/discriminator pair with every layer kind GANomaly uses. */
function build() {
  const x = tf.input({ shape: [8, 8, 1] });
  let h = tf.layers.conv2d({ filters: 4, kernelSize: 4, strides: 2, padding: 'same', useBias: false }).apply(x) as ST;
  h = tf.layers.leakyReLU({ alpha: 0.2 }).apply(h) as ST;
  h = tf.layers.conv2d({ filters: 6, kernelSize: 4, strides: 1, padding: 'valid', useBias: false }).apply(h) as ST; // 4x4 -> 1x1
  h = tf.layers.conv2dTranspose({ filters: 4, kernelSize: 4, strides: 1, padding: 'valid', useBias: false }).apply(h) as ST;
  h = tf.layers.batchNormalization().apply(h, { training: true }) as ST;
  h = tf.layers.reLU().apply(h) as ST;
  h = tf.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', useBias: true }).apply(h) as ST;
  const netG = tf.model({ inputs: x, outputs: tf.layers.activation({ activation: 'tanh' }).apply(h) as ST });
  const dIn = tf.input({ shape: [8, 8, 1] });
  let d = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'valid' }).apply(dIn) as ST;
  d = tf.layers.batchNormalization().apply(d) as ST;
  const feat = tf.layers.leakyReLU({ alpha: 0.2 }).apply(d) as ST;
  const logit = tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'valid' }).apply(feat) as ST;
  const netD = tf.model({ inputs: dIn, outputs: [tf.layers.activation({ activation: 'sigmoid' }).apply(logit) as ST, feat] });
  return { netG, netD };
}

describe('a GANomaly-like G+D step on wasm', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('runs every kernel it needs and keeps the tensor count flat', () => {
    const { netG, netD } = build();
    const optG = tf.train.adam(2e-3, 0.5);
    const optD = tf.train.adam(2e-3, 0.5);
    const varsG = netG.trainableWeights.map((w) => w.read() as tf.Variable);
    const varsD = netD.trainableWeights.map((w) => w.read() as tf.Variable);
    const x = tf.randomUniform([3, 8, 8, 1], -1, 1, 'float32', 7);
    const step = (): [number, number] => {
      const errG = optG.minimize(() => {
        const fake = netG.apply(x, { training: true }) as tf.Tensor;
        const [pFake, featFake] = netD.apply(fake, { training: true }) as tf.Tensor[];
        const featReal = (netD.apply(x, { training: true }) as tf.Tensor[])[1];
        const adv = tf.losses.meanSquaredError(featReal, featFake);
        const con = tf.mean(tf.abs(fake.sub(x)));
        return adv.add(con.mul(50)).add(tf.metrics.binaryCrossentropy(tf.onesLike(pFake), pFake).mean()) as tf.Scalar;
      }, true, varsG)!;
      const errD = optD.minimize(() => {
        const pReal = (netD.apply(x, { training: true }) as tf.Tensor[])[0];
        const pFake = (netD.apply(tf.tanh(x.mul(2)), { training: true }) as tf.Tensor[])[0];
        return tf.losses.sigmoidCrossEntropy(tf.onesLike(pReal), tf.log(pReal.div(tf.sub(1, pReal))))
          .add(tf.metrics.binaryCrossentropy(tf.zerosLike(pFake), pFake).mean()) as tf.Scalar;
      }, true, varsD)!;
      const out: [number, number] = [errG.dataSync()[0], errD.dataSync()[0]];
      tf.dispose([errG, errD]);
      return out;
    };
    const first = step(); // creates the optimisers' slots
    const before = tf.memory().numTensors;
    const losses = [step(), step(), step()];
    expect(tf.memory().numTensors).toBe(before);
    for (const [g, d] of [first, ...losses]) {
      expect(Number.isFinite(g) && Number.isFinite(d)).toBe(true);
    }
    // Training on a fixed batch must reduce the generator loss (the gradients point the right way).
    expect(losses[2][0]).toBeLessThan(first[0]);
    x.dispose();
    optG.dispose();
    optD.dispose();
    netG.dispose();
    netD.dispose();
  });
});
