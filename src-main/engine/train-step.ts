// One GANomaly training step: one generator update, then one discriminator update on the same
// reconstructions (as the reference does). Returns plain numbers; leaves no tensors behind.
import * as tf from '@tensorflow/tfjs';
import { discriminatorLoss, generatorLoss, type LossWeights } from './losses';
import { initWeights, NetD, NetG, trainableVariables, type WeightValue } from './networks';
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

export type Grads = tf.NamedTensorMap;

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

/** Both networks' gradients for one batch (or one replica's part of it) and its loss sums. */
export interface StepGradients {
  gradsG: Grads;
  gradsD: Grads;
  /** errG, errGAdv, errGCon, errGEnc, errD, each weighted by the part's share of `total`. */
  sums: Float64Array;
}

/**
 * The gradients of one step without applying them: G's on the batch, then D's on the same batch and the
 * reconstructions G made of it (D's gradients do not depend on G's weights, so computing them before G's
 * update gives what the reference computes after it). Every slice is weighted by its size / `total`: a
 * replica holding part of a batch passes the whole batch's size, so the replicas' gradients sum to the
 * batch's. The caller disposes the gradients.
 */
export async function stepGradients(
  n: Nets, x: tf.Tensor4D, w: LossWeights, microBatch = x.shape[0], total = x.shape[0],
): Promise<StepGradients> {
  const b = x.shape[0];
  const mb = Math.max(1, Math.min(microBatch, b));
  const slices: tf.Tensor4D[] = [];
  for (let s = 0; s < b; s += mb) slices.push(mb === b ? x : tf.slice(x, [s, 0, 0, 0], [Math.min(mb, b - s), -1, -1, -1]));
  const fakes: tf.Tensor4D[] = [];
  let gradsG: Grads | undefined;
  let gradsD: Grads | undefined;
  // Per slice: errG, errGAdv, errGCon, errGEnc, errD as tensors, read once at the end with an awaited
  // data(): a GPU backend cannot read synchronously in Node, and one read per step keeps its queue full.
  const lossParts: tf.Tensor[] = [];
  try {
    for (const xs of slices) {
      const share = xs.shape[0] / total;
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
      lossParts.push(tf.tidy(() => tf.concat([tf.reshape(value, [1]), parts as tf.Tensor])));
      tf.dispose([value, parts as tf.Tensor]);
    }
    for (let i = 0; i < slices.length; i++) {
      const share = slices[i].shape[0] / total;
      const { value, grads } = tf.variableGrads(() => {
        const probReal = n.netD.apply(slices[i], true).prob;
        const probFake = n.netD.apply(fakes[i], true).prob;
        return discriminatorLoss(probReal, probFake);
      }, n.varsD);
      gradsD = accumulate(gradsD, grads, share);
      tf.dispose(Object.values(grads));
      lossParts.push(tf.reshape(value, [1]));
      value.dispose();
    }
    const values = await readAll(lossParts);
    const sums = new Float64Array(5); // errG, errGAdv, errGCon, errGEnc, errD
    const k = slices.length;
    const shares = slices.map((s) => s.shape[0] / total);
    for (let i = 0; i < k; i++) for (let j = 0; j < 4; j++) sums[j] += values[i * 4 + j] * shares[i];
    for (let i = 0; i < k; i++) sums[4] += values[k * 4 + i] * shares[i];
    return { gradsG: gradsG as Grads, gradsD: gradsD as Grads, sums };
  } catch (err) {
    if (gradsG) tf.dispose(Object.values(gradsG));
    if (gradsD) tf.dispose(Object.values(gradsD));
    throw err;
  } finally {
    tf.dispose(fakes);
    tf.dispose(lossParts);
    for (const s of slices) if (s !== x) s.dispose();
  }
}

/** The values of some small tensors, concatenated, in one awaited read (disposes nothing it was given). */
async function readAll(ts: tf.Tensor[]): Promise<Float32Array> {
  const all = tf.tidy(() => tf.concat(ts.map((t) => tf.reshape(t, [-1]))));
  try { return (await all.data()) as Float32Array; } finally { all.dispose(); }
}

/** Losses from summed StepGradients.sums; D's collapse (errD < 1e-5) is decided here, once. */
export function stepLosses(sums: ArrayLike<number>): StepLosses {
  const errD = sums[4];
  return { errG: sums[0], errGAdv: sums[1], errGCon: sums[2], errGEnc: sums[3], errD, dReinitialised: errD < D_REINIT_BELOW };
}

/**
 * x: [B, isize, isize, nc] in [-1, 1]. microBatch < B splits the batch and accumulates gradients
 * (each slice weighted by its share), for sizes whose full batch would not fit in memory; BatchNorm then
 * sees slice statistics.
 */
export async function trainStep(n: Nets, x: tf.Tensor4D, w: LossWeights, microBatch = x.shape[0]): Promise<StepLosses> {
  const { gradsG, gradsD, sums } = await stepGradients(n, x, w, microBatch);
  try {
    n.optG.applyGradients(gradsG);
    n.optD.applyGradients(gradsD);
  } finally {
    tf.dispose(Object.values(gradsG));
    tf.dispose(Object.values(gradsD));
  }
  const losses = stepLosses(sums);
  if (losses.dReinitialised) initWeights(n.netD.models, n.rng);
  return losses;
}

/** Adam state (iteration count and moments) as plain arrays; moments are kept by position, as tfjs does. */
export async function readOptimizer(opt: tf.Optimizer): Promise<WeightValue[]> {
  const named = await opt.getWeights();
  const out = await Promise.all(named.map(async (w, i) => ({
    name: i === 0 ? 'iter' : `slot${String(i - 1).padStart(4, '0')}`,
    shape: w.tensor.shape.slice(),
    values: Float32Array.from(await w.tensor.data()),
  })));
  named[0].tensor.dispose(); // the iteration scalar is made fresh by getWeights
  return out;
}

/** Restores state from readOptimizer into a fresh optimizer (before its first step). */
export async function writeOptimizer(opt: tf.Optimizer, values: WeightValue[]): Promise<void> {
  if (values.length === 0 || values[0].name !== 'iter') throw new Error('optimizer state: the iteration count is missing');
  const tensors = values.map((v, i) => ({
    name: v.name,
    tensor: i === 0 ? tf.scalar(v.values[0], 'int32') : tf.tensor(v.values, v.shape),
  }));
  await opt.setWeights(tensors);
  tf.dispose(tensors.map((t) => t.tensor)); // setWeights keeps its own variables
}

export interface MemoryPlan { batchSize: number; microBatch: number; estimatedBytesPerImage: number; message: string }

// The wasm heap stops at ~3.84 GiB; weights, Adam moments and kernel scratch need the rest.
const WASM_ACTIVATION_BUDGET = 3.0e9;

/**
 * Splits a batch into micro-batches (gradient accumulation) when one step would not fit in memory.
 * The estimate (bytes of activations and their gradients per image) matches measurements on wasm:
 * isize 64 fits at batch 64, isize 128 only at batch <= 16 (ngf = ndf = 64).
 */
export function planMemory(o: GanomalyOptions, budgetBytes?: number): MemoryPlan {
  const budget = budgetBytes ?? (tf.getBackend() === 'wasm' ? WASM_ACTIVATION_BUDGET : Infinity);
  // Per image: encoder maps sum to ~isize^2 * ndf / 2 floats; a step runs D four times and G's two
  // encoders and decoder once; ~12 live buffers per map (forward, BN internals, gradients), 4 bytes each.
  const perImage = o.isize * o.isize * (3 * o.ndf + o.ngf / 2 + o.extraLayers * (o.ndf + o.ngf) / 2) * 48;
  const fit = Math.floor(budget / perImage);
  if (fit >= o.batchSize) {
    return { batchSize: o.batchSize, microBatch: o.batchSize, estimatedBytesPerImage: perImage,
      message: `batch of ${o.batchSize} images per step` };
  }
  if (fit < 2) {
    throw new Error(`isize ${o.isize} with ngf ${o.ngf} / ndf ${o.ndf} needs ~${(perImage * 2 / 2 ** 30).toFixed(1)} GiB ` +
      `for two images, more than this backend's ${(budget / 2 ** 30).toFixed(1)} GiB: use a smaller isize, ngf or ndf`);
  }
  const chunks = Math.ceil(o.batchSize / fit);
  const micro = Math.ceil(o.batchSize / chunks);
  return { batchSize: o.batchSize, microBatch: micro, estimatedBytesPerImage: perImage,
    message: `each batch of ${o.batchSize} is split into ${chunks} micro-batches of up to ${micro} with gradient ` +
      `accumulation to fit in memory; BatchNorm sees ${micro} images at a time` };
}
