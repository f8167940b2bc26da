// One GANomaly training step: one generator update, then one discriminator update on the same
// reconstructions (as the reference does). Returns plain numbers; leaves no tensors behind.
import * as tf from '@tensorflow/tfjs';
import { discriminatorLoss, generatorLoss, type LossWeights } from './losses';
import { initWeights, NetD, NetG, trainableVariables } from './networks';
import type { GanomalyOptions } from './options';
import { createRng, type Rng } from './random';

export interface Nets {
  netG: NetG;
  netD: NetD;
  optG: tf.Optimizer;
  optD: tf.Optimizer;
  varsG: tf.Variable[];
  varsD: tf.Variable[];
  /** Draws fresh discriminator weights when it collapses. */
  rng: Rng;
}

export interface StepLosses {
  errD: number;
  errG: number;
  errGAdv: number;
  errGCon: number;
  errGEnc: number;
  /** True when errD fell below 1e-5 and the discriminator was re-initialised (as in the reference). */
  dReinitialised: boolean;
}

export const D_REINIT_BELOW = 1e-5;

/** Builds and initialises both networks and their Adam optimizers from the seed. */
export function createNets(o: GanomalyOptions): Nets {
  const rng = createRng(o.seed);
  const netG = new NetG(o);
  const netD = new NetD(o);
  initWeights(netG.models, rng);
  initWeights(netD.models, rng);
  // Adam(lr, beta1, 0.999) with PyTorch's epsilon, one per network so each updates only its own variables.
  const adam = (): tf.Optimizer => tf.train.adam(o.lr, o.beta1, 0.999, 1e-8);
  return {
    netG, netD, optG: adam(), optD: adam(),
    varsG: trainableVariables(netG.models), varsD: trainableVariables(netD.models), rng,
  };
}

export function disposeNets(n: Nets): void {
  n.netG.dispose();
  n.netD.dispose();
  n.optG.dispose();
  n.optD.dispose();
}

type Grads = tf.NamedTensorMap;

function accumulate(sum: Grads | undefined, g: Grads, scale: number): Grads {
  const out: Grads = {};
  for (const k of Object.keys(g)) {
    const scaled = tf.mul(g[k], scale);
    out[k] = sum ? tf.add(sum[k], scaled) : scaled;
    if (sum) scaled.dispose();
  }
  if (sum) tf.dispose(Object.values(sum));
  return out;
}

/**
 * x: [B, isize, isize, nc] in [-1, 1]. microBatch < B splits the batch and accumulates gradients
 * (each slice weighted by its share), for sizes whose full batch would not fit in memory; BatchNorm then
 * sees slice statistics.
 */
export function trainStep(n: Nets, x: tf.Tensor4D, w: LossWeights, microBatch = x.shape[0]): StepLosses {
  const b = x.shape[0];
  const mb = Math.max(1, Math.min(microBatch, b));
  const slices: tf.Tensor4D[] = [];
  for (let s = 0; s < b; s += mb) slices.push(mb === b ? x : tf.slice(x, [s, 0, 0, 0], [Math.min(mb, b - s), -1, -1, -1]));
  const fakes: tf.Tensor4D[] = [];
  let gradsG: Grads | undefined;
  let gradsD: Grads | undefined;
  const sums = new Float64Array(5); // errG, errGAdv, errGCon, errGEnc, errD
  try {
    for (const xs of slices) {
      const share = xs.shape[0] / b;
      let parts: tf.Tensor | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const g = n.netG.apply(xs, true);
        const featReal = n.netD.apply(xs, true).features;
        const featFake = n.netD.apply(g.fake, true).features;
        const loss = generatorLoss({ real: xs, fake: g.fake, featReal, featFake, latentI: g.latentI, latentO: g.latentO }, w);
        fakes.push(tf.keep(g.fake));
        parts = tf.keep(tf.stack([loss.errGAdv, loss.errGCon, loss.errGEnc]));
        return loss.errG;
      }, n.varsG);
      gradsG = accumulate(gradsG, grads, share);
      tf.dispose(Object.values(grads));
      const p = (parts as tf.Tensor).dataSync();
      sums[0] += value.dataSync()[0] * share;
      for (let i = 0; i < 3; i++) sums[i + 1] += p[i] * share;
      tf.dispose([value, parts as tf.Tensor]);
    }
    n.optG.applyGradients(gradsG as Grads);

    for (let i = 0; i < slices.length; i++) {
      const share = slices[i].shape[0] / b;
      const { value, grads } = tf.variableGrads(() => {
        const probReal = n.netD.apply(slices[i], true).prob;
        const probFake = n.netD.apply(fakes[i], true).prob;
        return discriminatorLoss(probReal, probFake);
      }, n.varsD);
      gradsD = accumulate(gradsD, grads, share);
      tf.dispose(Object.values(grads));
      sums[4] += value.dataSync()[0] * share;
      value.dispose();
    }
    n.optD.applyGradients(gradsD as Grads);
  } finally {
    if (gradsG) tf.dispose(Object.values(gradsG));
    if (gradsD) tf.dispose(Object.values(gradsD));
    tf.dispose(fakes);
    for (const s of slices) if (s !== x) s.dispose();
  }
  const errD = sums[4];
  const dReinitialised = errD < D_REINIT_BELOW;
  if (dReinitialised) initWeights(n.netD.models, n.rng);
  return { errG: sums[0], errGAdv: sums[1], errGCon: sums[2], errGEnc: sums[3], errD, dReinitialised };
}
