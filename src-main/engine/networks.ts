// GANomaly networks (Akcay et al. 2018, DCGAN-style): NetG = encoder1 -> decoder -> encoder2 and a
// discriminator NetD that shares the encoder's shape. Model code calls only tf.*; the backend is
// chosen by the caller.
import * as tf from '@tensorflow/tfjs';
import { geometry, type GanomalyOptions } from './options';
import { normalArray, type Rng } from './random';

type NetOptions = Pick<GanomalyOptions, 'isize' | 'nc' | 'nz' | 'ngf' | 'ndf' | 'extraLayers'>;

// PyTorch's BatchNorm defaults (momentum 0.1 there = 0.9 here), as the reference trains with them.
const bn = (name: string): tf.layers.Layer => tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name });

/** Encoder layers from an image [isize, isize, nc] down to the map before the final conv. */
function encoderTrunk(prefix: string, o: NetOptions, ndf: number): tf.layers.Layer[] {
  const g = geometry(o.isize);
  const layers: tf.layers.Layer[] = [
    tf.layers.conv2d({ inputShape: [o.isize, o.isize, o.nc], filters: ndf, kernelSize: 4, strides: 2, padding: 'same',
      useBias: false, kernelInitializer: 'zeros', name: `${prefix}_initial_conv` }),
    tf.layers.leakyReLU({ alpha: 0.2, name: `${prefix}_initial_lrelu` }),
  ];
  for (let i = 0; i < o.extraLayers; i++) {
    layers.push(
      tf.layers.conv2d({ filters: ndf, kernelSize: 3, strides: 1, padding: 'same', useBias: false,
        kernelInitializer: 'zeros', name: `${prefix}_extra${i}_conv` }),
      bn(`${prefix}_extra${i}_bn`),
      tf.layers.leakyReLU({ alpha: 0.2, name: `${prefix}_extra${i}_lrelu` }),
    );
  }
  let ch = ndf;
  for (let i = 0; i < g.pyramid; i++) {
    ch *= 2;
    layers.push(
      tf.layers.conv2d({ filters: ch, kernelSize: 4, strides: 2, padding: 'same', useBias: false,
        kernelInitializer: 'zeros', name: `${prefix}_pyramid${i}_conv` }),
      bn(`${prefix}_pyramid${i}_bn`),
      tf.layers.leakyReLU({ alpha: 0.2, name: `${prefix}_pyramid${i}_lrelu` }),
    );
  }
  return layers;
}

/** The final valid conv whose kernel covers the remaining map, giving [1, 1, nz]. */
function encoderHead(prefix: string, o: NetOptions, nz: number): tf.layers.Layer {
  const k = geometry(o.isize).finalSize;
  return tf.layers.conv2d({ filters: nz, kernelSize: k, strides: 1, padding: 'valid', useBias: false,
    kernelInitializer: 'zeros', name: `${prefix}_final_conv` });
}

export function buildEncoder(prefix: string, o: NetOptions): tf.Sequential {
  return tf.sequential({ name: prefix, layers: [...encoderTrunk(prefix, o, o.ndf), encoderHead(prefix, o, o.nz)] });
}

export function buildDecoder(prefix: string, o: NetOptions): tf.Sequential {
  const g = geometry(o.isize);
  let ch = o.ngf * 2 ** g.pyramid;
  const layers: tf.layers.Layer[] = [
    tf.layers.conv2dTranspose({ inputShape: [1, 1, o.nz], filters: ch, kernelSize: g.finalSize, strides: 1,
      padding: 'valid', useBias: false, kernelInitializer: 'zeros', name: `${prefix}_initial_convt` }),
    bn(`${prefix}_initial_bn`),
    tf.layers.reLU({ name: `${prefix}_initial_relu` }),
  ];
  for (let i = 0; i < g.pyramid; i++) {
    ch /= 2;
    layers.push(
      tf.layers.conv2dTranspose({ filters: ch, kernelSize: 4, strides: 2, padding: 'same', useBias: false,
        kernelInitializer: 'zeros', name: `${prefix}_pyramid${i}_convt` }),
      bn(`${prefix}_pyramid${i}_bn`),
      tf.layers.reLU({ name: `${prefix}_pyramid${i}_relu` }),
    );
  }
  for (let i = 0; i < o.extraLayers; i++) {
    layers.push(
      tf.layers.conv2d({ filters: ch, kernelSize: 3, strides: 1, padding: 'same', useBias: false,
        kernelInitializer: 'zeros', name: `${prefix}_extra${i}_conv` }),
      bn(`${prefix}_extra${i}_bn`),
      tf.layers.reLU({ name: `${prefix}_extra${i}_relu` }),
    );
  }
  layers.push(
    tf.layers.conv2dTranspose({ filters: o.nc, kernelSize: 4, strides: 2, padding: 'same', useBias: false,
      kernelInitializer: 'zeros', name: `${prefix}_final_convt` }),
    tf.layers.activation({ activation: 'tanh', name: `${prefix}_final_tanh` }),
  );
  return tf.sequential({ name: prefix, layers });
}

/** DCGAN init: conv kernels N(0, 0.02), BN gamma N(1, 0.02), beta 0, moving stats reset. */
export function initWeights(models: tf.LayersModel[], rng: Rng): void {
  for (const m of models) {
    const values = m.weights.map((w) => {
      const shape = w.shape as number[];
      const n = shape.reduce((a, b) => a * b, 1);
      const name = w.originalName;
      let data: Float32Array;
      if (name.endsWith('/kernel')) data = normalArray(n, 0, 0.02, rng);
      else if (name.endsWith('/gamma')) data = normalArray(n, 1, 0.02, rng);
      else if (name.endsWith('/moving_variance')) data = new Float32Array(n).fill(1);
      else data = new Float32Array(n); // beta, moving_mean
      return tf.tensor(data, shape);
    });
    m.setWeights(values);
    tf.dispose(values);
  }
}

export interface NetGOutput { fake: tf.Tensor4D; latentI: tf.Tensor4D; latentO: tf.Tensor4D }
export interface NetDOutput { prob: tf.Tensor1D; features: tf.Tensor4D }

export class NetG {
  readonly encoder1: tf.Sequential;
  readonly decoder: tf.Sequential;
  readonly encoder2: tf.Sequential;
  constructor(o: NetOptions) {
    this.encoder1 = buildEncoder('netg_encoder1', o);
    this.decoder = buildDecoder('netg_decoder', o);
    this.encoder2 = buildEncoder('netg_encoder2', o);
  }
  get models(): tf.LayersModel[] { return [this.encoder1, this.decoder, this.encoder2]; }
  /** x: [B, isize, isize, nc] in [-1, 1]. training: BatchNorm uses batch statistics (and updates moving ones). */
  apply(x: tf.Tensor4D, training: boolean): NetGOutput {
    const { fake, latentI } = this.reconstruct(x, training);
    const latentO = this.encoder2.apply(fake, { training }) as tf.Tensor4D;
    return { fake, latentI, latentO };
  }
  /** GD(GE(x)) without the second encoder: all a reconstruction score needs. */
  reconstruct(x: tf.Tensor4D, training: boolean): Omit<NetGOutput, 'latentO'> {
    const latentI = this.encoder1.apply(x, { training }) as tf.Tensor4D;
    return { latentI, fake: this.decoder.apply(latentI, { training }) as tf.Tensor4D };
  }
  dispose(): void { for (const m of this.models) m.dispose(); }
}

export class NetD {
  readonly features: tf.Sequential;
  readonly classifier: tf.Sequential;
  constructor(o: NetOptions) {
    this.features = tf.sequential({ name: 'netd_features', layers: encoderTrunk('netd_features', o, o.ndf) });
    const out = this.features.outputs[0].shape;
    const head = encoderHead('netd_classifier', o, 1);
    this.classifier = tf.sequential({ name: 'netd_classifier', layers: [
      tf.layers.inputLayer({ inputShape: out.slice(1) as number[] }),
      head,
      tf.layers.activation({ activation: 'sigmoid', name: 'netd_classifier_sigmoid' }),
      tf.layers.flatten({ name: 'netd_classifier_flatten' }),
    ] });
  }
  get models(): tf.LayersModel[] { return [this.features, this.classifier]; }
  apply(x: tf.Tensor4D, training: boolean): NetDOutput {
    const features = this.features.apply(x, { training }) as tf.Tensor4D;
    const p = this.classifier.apply(features, { training }) as tf.Tensor2D;
    return { prob: p.reshape([-1]) as tf.Tensor1D, features };
  }
  dispose(): void { for (const m of this.models) m.dispose(); }
}

/** The trainable variables of some models, in a stable order (optimizer state is saved by position). */
export function trainableVariables(models: tf.LayersModel[]): tf.Variable[] {
  return models.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));
}

/** A copy of named weights as plain arrays (for keeping the best epoch and for checkpoints). */
export interface WeightValue { name: string; shape: number[]; values: Float32Array }

/** Read with awaited data(): a GPU backend cannot read synchronously in Node. */
export async function readWeights(models: tf.LayersModel[]): Promise<WeightValue[]> {
  return Promise.all(models.flatMap((m) => m.weights.map(async (w) => {
    const t = w.read();
    return { name: w.originalName, shape: t.shape.slice(), values: Float32Array.from((await t.data()) as Float32Array) };
  })));
}

/** Sets weights by name; every weight of the models must be present with the same shape. */
export function writeWeights(models: tf.LayersModel[], values: WeightValue[]): void {
  const byName = new Map(values.map((v) => [v.name, v]));
  for (const m of models) {
    const tensors = m.weights.map((w) => {
      const v = byName.get(w.originalName);
      if (!v) throw new Error(`weights: '${w.originalName}' is missing (saved with different options?)`);
      const shape = w.shape as number[];
      if (v.shape.length !== shape.length || v.shape.some((d, i) => d !== shape[i])) {
        throw new Error(`weights: '${w.originalName}' has shape [${v.shape}], the network needs [${shape}]`);
      }
      return tf.tensor(v.values, shape);
    });
    m.setWeights(tensors);
    tf.dispose(tensors);
  }
}
