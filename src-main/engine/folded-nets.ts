// Inference-only copies of trained networks: each BatchNorm (moving statistics, as training: false uses)
// folded into the convolution before it, scale into the filter and shift into a bias, and the activation
// fused into the same call. The same function as the layers in inference mode up to float rounding, in
// fewer kernel calls and passes over memory. Transposed convolutions run as stride² ordinary convolutions
// over sub-filters cut once here (not per call, as the gradient kernel must), their outputs interleaved.
// Built from frozen weights: a later change to the layers' weights is not seen.
import * as tf from '@tensorflow/tfjs';
import { phaseAxis, subFilter } from './backends/conv-grads';
import { NetD, NetG, writeWeights, type WeightValue } from './networks';
import type { GanomalyOptions } from './options';

type Fusable = 'linear' | 'relu' | 'leakyrelu';
type Padding = ConvStage['pad'];
interface Activation { fused: Fusable; alpha: number; after?: 'tanh' | 'sigmoid' }

interface ConvStage { kind: 'conv'; filter: tf.Tensor4D; bias?: tf.Tensor1D; strides: number; pad: 'same' | 'valid'; act: Activation }
/** A transposed conv from a 1x1 map (the decoder's first): a matrix product. */
interface DenseStage { kind: 'dense'; matrix: tf.Tensor2D; bias?: tf.Tensor1D; side: number; channels: number; act: Activation }
interface PhaseConv { filter: tf.Tensor4D; crop: [number, number, number, number]; pad: [[number, number], [number, number], [number, number], [number, number]] }
/** A strided transposed conv: one stride-1 conv per output phase, then interleaved. */
interface PhasesStage { kind: 'phases'; phases: PhaseConv[]; bias?: tf.Tensor1D; stride: number; outSide: number; act: Activation }
type Stage = ConvStage | DenseStage | PhasesStage;

interface LayerLike { getClassName(): string; getConfig(): Record<string, unknown>; weights: tf.LayerVariable[]; input: { shape: number[] }; output: { shape: number[] } }

async function weightsOf(layer: LayerLike): Promise<Map<string, { shape: number[]; values: Float32Array }>> {
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const w of layer.weights) {
    const t = w.read();
    // Awaited: a GPU backend cannot read synchronously in Node.
    out.set(w.originalName.split('/').pop() as string, { shape: t.shape.slice(), values: Float32Array.from((await t.data()) as Float32Array) });
  }
  return out;
}

/** Per output channel: scale gamma / sqrt(var + eps) and shift beta - mean * scale. */
async function bnFold(layer: LayerLike): Promise<{ scale: Float32Array; shift: Float32Array }> {
  const w = await weightsOf(layer);
  const eps = layer.getConfig().epsilon as number;
  const need = (k: string) => { const v = w.get(k); if (!v) throw new Error(`folding: BatchNorm '${String(layer.getConfig().name)}' has no ${k}`); return v.values; };
  const [gamma, beta, mean, variance] = [need('gamma'), need('beta'), need('moving_mean'), need('moving_variance')];
  const scale = gamma.map((g, c) => g / Math.sqrt(variance[c] + eps));
  return { scale, shift: beta.map((b, c) => b - mean[c] * scale[c]) };
}

function activationOf(layer: LayerLike | undefined): Activation | undefined {
  if (!layer) return undefined;
  const c = layer.getConfig();
  switch (layer.getClassName()) {
    case 'LeakyReLU': return { fused: 'leakyrelu', alpha: c.alpha as number };
    case 'ReLU': return c.maxValue == null ? { fused: 'relu', alpha: 0 } : undefined;
    case 'Activation':
      if (c.activation === 'linear') return { fused: 'linear', alpha: 0 };
      if (c.activation === 'relu') return { fused: 'relu', alpha: 0 };
      if (c.activation === 'tanh' || c.activation === 'sigmoid') return { fused: 'linear', alpha: 0, after: c.activation };
      return undefined;
    default: return undefined;
  }
}

/** Multiplies a filter whose last axis is the output channel by scale[channel]. */
function scaleLast(values: Float32Array, scale: Float32Array | undefined): Float32Array {
  if (!scale) return values;
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] * scale[i % scale.length];
  return out;
}

function foldTransposed(kernel: { shape: number[]; values: Float32Array }, config: Record<string, unknown>, inSide: number, outSide: number,
  bn: { scale: Float32Array; shift: Float32Array } | undefined, act: Activation, name: string): Stage {
  const [kH, kW, co, ci] = kernel.shape;
  const stride = (config.strides as number[])[0];
  if ((config.strides as number[])[1] !== stride || kH !== kW) throw new Error(`folding: '${name}' is not square`);
  if (inSide === 1 && outSide === kH && config.padding === 'valid' && stride === 1) {
    // out[y, x, o] = sum_i z[i] * W[y, x, o, i]: the kernel transposed to [ci, kH * kW * co].
    const m = new Float32Array(ci * kH * kW * co);
    for (let p = 0; p < kH * kW * co; p++) for (let i = 0; i < ci; i++) m[i * kH * kW * co + p] = kernel.values[p * ci + i] * (bn ? bn.scale[p % co] : 1);
    const tiled = bn ? tf.tensor1d(Float32Array.from({ length: kH * kW * co }, (_, p) => bn.shift[p % co])) : undefined;
    return { kind: 'dense', matrix: tf.tensor2d(m, [ci, kH * kW * co]), bias: tiled, side: kH, channels: co, act };
  }
  if (config.padding !== 'same' || outSide !== inSide * stride) throw new Error(`folding: '${name}' is neither 1x1-valid nor strided-same`);
  // The padding tfjs gives the forward conv whose gradient this is ('same' from outSide down to inSide).
  const padTop = Math.floor(Math.max(0, (inSide - 1) * stride + kH - outSide) / 2);
  const phases: PhaseConv[] = [];
  for (let rh = 0; rh < stride; rh++) {
    const ah = phaseAxis(rh, stride, padTop, kH, inSide, inSide);
    for (let rw = 0; rw < stride; rw++) {
      const aw = phaseAxis(rw, stride, padTop, kW, inSide, inSide);
      if (ah.taps === 0 || aw.taps === 0) throw new Error(`folding: '${name}' has a phase without taps`);
      const sub = subFilter(kernel.values, kernel.shape, [stride, stride], [ah.k0, aw.k0], [ah.taps, aw.taps]);
      phases.push({
        filter: tf.tensor4d(scaleLast(sub, bn?.scale), [ah.taps, aw.taps, ci, co]),
        crop: [Math.max(0, -ah.before), Math.max(0, -ah.after), Math.max(0, -aw.before), Math.max(0, -aw.after)],
        pad: [[0, 0], [Math.max(0, ah.before), Math.max(0, ah.after)], [Math.max(0, aw.before), Math.max(0, aw.after)], [0, 0]],
      });
    }
  }
  return { kind: 'phases', phases, bias: bn ? tf.tensor1d(bn.shift) : undefined, stride, outSide, act };
}

/** Folds a Sequential of [Conv2D | Conv2DTranspose, BatchNormalization?, activation?]* into stages. */
async function foldSequential(model: tf.Sequential): Promise<Stage[]> {
  const stages: Stage[] = [];
  try {
    await foldInto(model.layers as unknown as LayerLike[], stages);
  } catch (err) {
    disposeStages(stages);
    throw err;
  }
  return stages;
}

async function foldInto(layers: LayerLike[], stages: Stage[]): Promise<void> {
  for (let i = 0; i < layers.length;) {
    const conv = layers[i];
    const name = String(conv.getConfig().name);
    const cls = conv.getClassName();
    if (cls !== 'Conv2D' && cls !== 'Conv2DTranspose') throw new Error(`folding: expected a convolution at '${name}', found ${cls}`);
    const config = conv.getConfig();
    if (config.useBias) throw new Error(`folding: '${name}' has a bias (the networks have none)`);
    i++;
    const bn = layers[i]?.getClassName() === 'BatchNormalization' ? await bnFold(layers[i++]) : undefined;
    const act = activationOf(layers[i]);
    if (act) i++;
    const a: Activation = act ?? { fused: 'linear', alpha: 0 };
    const kernel = (await weightsOf(conv)).get('kernel');
    if (!kernel) throw new Error(`folding: '${name}' has no kernel`);
    if (cls === 'Conv2D') {
      stages.push({
        kind: 'conv', filter: tf.tensor4d(scaleLast(kernel.values, bn?.scale), kernel.shape as [number, number, number, number]),
        bias: bn ? tf.tensor1d(bn.shift) : undefined, strides: (config.strides as number[])[0], pad: config.padding as Padding, act: a,
      });
    } else {
      stages.push(foldTransposed(kernel, config, conv.input.shape[1], conv.output.shape[1], bn, a, name));
    }
  }
}

function finish(y: tf.Tensor4D, act: Activation): tf.Tensor4D {
  if (act.after === 'tanh') return tf.tanh(y);
  if (act.after === 'sigmoid') return tf.sigmoid(y);
  return y;
}

/**
 * Phases [B, h, w, c] in (row phase, column phase) order to one [B, h * s, w * s, c] map, phase (r, q) at rows
 * m * s + r, columns n * s + q: by two transposes of rank <= 4 (wasm's depthToSpace and rank-6 transpose are
 * generic loops, 10-20x slower).
 */
function interleave(phases: tf.Tensor4D[], s: number): tf.Tensor4D {
  if (phases.length === 1) return phases[0];
  const [B, h, w, c] = phases[0].shape;
  const stacked = tf.reshape(tf.concat(phases.map((p) => tf.reshape(p, [1, -1])), 0), [s, s, B * h * w, c]);
  const wide = tf.reshape(tf.transpose(stacked, [0, 2, 1, 3]), [s, B * h, w * s * c]);
  return tf.reshape(tf.transpose(wide, [1, 0, 2]), [B, h * s, w * s, c]);
}

function runStage(s: Stage, x: tf.Tensor4D): tf.Tensor4D {
  const activation = s.act.fused;
  const leakyreluAlpha = s.act.alpha;
  switch (s.kind) {
    case 'conv':
      return finish(tf.fused.conv2d({ x, filter: s.filter, strides: s.strides, pad: s.pad, bias: s.bias, activation, leakyreluAlpha }), s.act);
    case 'dense': {
      const z = tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D;
      const y = tf.fused.matMul({ a: z, b: s.matrix, bias: s.bias, activation, leakyreluAlpha });
      return finish(tf.reshape(y, [x.shape[0], s.side, s.side, s.channels]), s.act);
    }
    case 'phases': {
      const [B, H, W, C] = x.shape;
      const outs = s.phases.map((p) => {
        const [t, b, l, r] = p.crop;
        const src = t + b + l + r ? tf.slice(x, [0, t, l, 0], [B, H - t - b, W - l - r, C]) : x;
        return tf.fused.conv2d({ x: src, filter: p.filter, strides: 1, pad: p.pad, bias: s.bias, activation, leakyreluAlpha });
      });
      const y = interleave(outs, s.stride);
      return finish(y.shape[1] === s.outSide ? y : tf.slice(y, [0, 0, 0, 0], [B, s.outSide, s.outSide, y.shape[3]]), s.act);
    }
  }
}

const run = (stages: Stage[], x: tf.Tensor4D): tf.Tensor4D => stages.reduce((y, s) => runStage(s, y), x);

function disposeStages(stages: Stage[]): void {
  for (const s of stages) {
    if (s.kind === 'conv') tf.dispose([s.filter, ...(s.bias ? [s.bias] : [])]);
    else if (s.kind === 'dense') tf.dispose([s.matrix, ...(s.bias ? [s.bias] : [])]);
    else tf.dispose([...s.phases.map((p) => p.filter), ...(s.bias ? [s.bias] : [])]);
  }
}

/** What scoring needs of the networks, in inference mode. Call inside tf.tidy. */
export interface InferenceNets {
  /** GE(x) and GD(GE(x)). */
  reconstruct(x: tf.Tensor4D): { latentI: tf.Tensor4D; fake: tf.Tensor4D };
  /** The second encoder E. */
  encode2(x: tf.Tensor4D): tf.Tensor4D;
  /** D's last feature map. */
  features(x: tf.Tensor4D): tf.Tensor4D;
}

/** The live layers in inference mode (training: false): what the folded copy must equal. */
export function liveInference(netG: NetG, netD: NetD): InferenceNets {
  return {
    reconstruct: (x) => netG.reconstruct(x, false),
    encode2: (x) => netG.encoder2.apply(x, { training: false }) as tf.Tensor4D,
    features: (x) => netD.apply(x, false).features,
  };
}

/** The networks a model scores through: its folded copy where it has one, else the layers (training: false). */
export const inferenceOf = (m: { netG: NetG; netD: NetD; folded?: FoldedNets }): InferenceNets => m.folded ?? liveInference(m.netG, m.netD);

export class FoldedNets implements InferenceNets {
  private constructor(private readonly ge: Stage[], private readonly gd: Stage[], private readonly e: Stage[], private readonly d: Stage[]) {}

  static async fold(netG: NetG, netD: NetD): Promise<FoldedNets> {
    const parts: Stage[][] = [];
    try {
      for (const m of [netG.encoder1, netG.decoder, netG.encoder2, netD.features]) parts.push(await foldSequential(m));
    } catch (err) {
      parts.forEach(disposeStages);
      throw err;
    }
    return new FoldedNets(parts[0], parts[1], parts[2], parts[3]);
  }

  reconstruct(x: tf.Tensor4D): { latentI: tf.Tensor4D; fake: tf.Tensor4D } {
    const latentI = run(this.ge, x);
    return { latentI, fake: run(this.gd, latentI) };
  }
  encode2(x: tf.Tensor4D): tf.Tensor4D { return run(this.e, x); }
  features(x: tf.Tensor4D): tf.Tensor4D { return run(this.d, x); }

  dispose(): void { [this.ge, this.gd, this.e, this.d].forEach(disposeStages); }
}

/** A frozen model's networks for scoring: G and D rebuilt from saved weights, and their folded copy (all freed on failure). */
export async function scoringNets(options: GanomalyOptions, weights: { netG: WeightValue[]; netD: WeightValue[] }): Promise<{ netG: NetG; netD: NetD; folded: FoldedNets }> {
  const netG = new NetG(options);
  const netD = new NetD(options); // for the feature score
  try {
    writeWeights(netG.models, weights.netG);
    writeWeights(netD.models, weights.netD);
    return { netG, netD, folded: await FoldedNets.fold(netG, netD) };
  } catch (err) {
    netG.dispose();
    netD.dispose();
    throw err;
  }
}
