// Precise BatchNorm: the inference statistics of every BatchNorm layer set to the exact mean and (biased)
// variance of its input over the training images, computed with the current weights, layer by layer (each
// layer's input already normalised by the exact statistics of the layers before it). Moving averages
// lag the weights: after a short or fast-changing training they describe networks that no longer exist,
// and scoring with each batch's own statistics would make a score depend on its neighbours. This gives
// statistics that match the final weights and leaves every score a function of its own image.
import * as tf from '@tensorflow/tfjs';
import type { NetD, NetG } from './networks';

/** Activations stored between layers (floats); above it fewer images are used (evenly spread). */
const STORE_FLOATS = 64 * 2 ** 20;

type Chunks = { data: Float32Array; n: number }[];

const isBatchNorm = (l: tf.layers.Layer): boolean => l.getClassName() === 'BatchNormalization';
const inputShape = (l: tf.layers.Layer): tf.Shape => (l.input as tf.SymbolicTensor).shape;
const perImage = (shape: tf.Shape): number => shape.slice(1).reduce((a: number, b) => a * (b ?? 1), 1);

// Values are read with await data(): synchronous reads fail on webgpu in Node.

/** Runs layers[from, to) in inference mode over every chunk; returns the outputs as chunks. */
async function forward(layers: tf.layers.Layer[], from: number, to: number, input: Chunks): Promise<Chunks> {
  if (from === to) return input;
  const inShape = inputShape(layers[from]);
  const outputs: Chunks = [];
  for (const c of input) {
    const out = tf.tidy(() => {
      let t: tf.Tensor = tf.tensor(c.data, [c.n, ...(inShape.slice(1) as number[])]);
      for (let i = from; i < to; i++) t = layers[i].apply(t, { training: false }) as tf.Tensor;
      return t;
    });
    try { outputs.push({ data: (await out.data()) as Float32Array, n: c.n }); } finally { out.dispose(); }
  }
  return outputs;
}

/** Exact per-channel mean and biased variance over all values of the chunks (last axis = channels). */
async function channelMoments(input: Chunks, channels: number): Promise<{ mean: Float32Array; variance: Float32Array }> {
  // Per chunk in tf (fast), combined in float64 with the parallel-variance formula (stable).
  let count = 0;
  const mean = new Float64Array(channels);
  const m2 = new Float64Array(channels);
  for (const c of input) {
    const r = tf.tidy(() => tf.moments(tf.tensor2d(c.data, [c.data.length / channels, channels]), 0));
    let m: Float32Array, v: Float32Array;
    try { [m, v] = (await Promise.all([r.mean.data(), r.variance.data()])) as [Float32Array, Float32Array]; } finally { tf.dispose([r.mean, r.variance]); }
    const nb = c.data.length / channels;
    for (let k = 0; k < channels; k++) {
      const delta = m[k] - mean[k];
      const total = count + nb;
      mean[k] += (delta * nb) / total;
      m2[k] += v[k] * nb + (delta * delta * count * nb) / total;
    }
    count += nb;
  }
  return { mean: Float32Array.from(mean), variance: Float32Array.from(m2, (s) => s / count) };
}

function setStatistics(layer: tf.layers.Layer, mean: Float32Array, variance: Float32Array): void {
  for (const w of layer.weights) {
    const name = w.originalName;
    const values = name.endsWith('/moving_mean') ? mean : name.endsWith('/moving_variance') ? variance : null;
    if (!values) continue;
    const t = tf.tensor(values, w.shape as number[]);
    w.write(t);
    t.dispose();
  }
}

/** Sets every BatchNorm layer of `model` from `input`; returns the model's output over the input. */
async function refreshModel(model: tf.Sequential, input: Chunks): Promise<Chunks> {
  const layers = model.layers;
  let acts = input;
  let at = 0;
  for (let i = 0; i < layers.length; i++) {
    if (!isBatchNorm(layers[i])) continue;
    acts = await forward(layers, at, i, acts);
    at = i;
    const shape = inputShape(layers[i]);
    const { mean, variance } = await channelMoments(acts, shape[shape.length - 1] as number);
    setStatistics(layers[i], mean, variance);
  }
  return await forward(layers, at, layers.length, acts);
}

/** The largest activation per image that refreshModel stores (a BatchNorm layer's input, or a model's output). */
function storedFloatsPerImage(models: tf.Sequential[]): number {
  let most = 0;
  for (const m of models) {
    for (const l of m.layers) if (isBatchNorm(l)) most = Math.max(most, perImage(inputShape(l)));
    most = Math.max(most, perImage(m.outputs[0].shape));
  }
  return most;
}

/** How many images precise BatchNorm uses for these networks: all of `available` while their activations fit. */
export function preciseImageCount(netG: NetG, netD: NetD, available: number): number {
  const per = storedFloatsPerImage([netG.encoder1, netG.decoder, netG.encoder2, netD.features]);
  return Math.max(2, Math.min(available, Math.floor(STORE_FLOATS / per)));
}

/**
 * Sets the inference statistics of G (encoder, decoder, second encoder, in that order: each sees the
 * previous one's output with final statistics) and of D's feature layers. `load` returns NHWC images in
 * [-1, 1] for the given indices; they are read in chunks of `chunk`.
 */
export async function preciseBatchNorm(
  nets: { netG: NetG; netD: NetD }, load: (indices: number[]) => Promise<Float32Array>, indices: number[], chunk: number,
): Promise<void> {
  const images: Chunks = [];
  for (let s = 0; s < indices.length; s += chunk) {
    const part = indices.slice(s, s + chunk);
    images.push({ data: await load(part), n: part.length });
  }
  const latent = await refreshModel(nets.netG.encoder1, images);
  const fake = await refreshModel(nets.netG.decoder, latent);
  await refreshModel(nets.netG.encoder2, fake);
  await refreshModel(nets.netD.features, images);
}
