// Gradients and BatchNorm moving statistics as one flat Float32Array, in an order every replica shares
// (variables by position, since tfjs names differ between threads), so they cross threads as one buffer.
import * as tf from '@tensorflow/tfjs';
import type { Grads } from '../train-step';

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The gradients of `vars`, concatenated in their order; disposes nothing. */
export async function flattenGrads(grads: Grads, vars: tf.Variable[]): Promise<Float32Array> {
  const t = tf.tidy(() => tf.concat(vars.map((v) => {
    const g = grads[v.name];
    if (!g) throw new Error(`parallel: no gradient for variable '${v.name}'`);
    return tf.reshape(g, [-1]);
  })));
  try { return Float32Array.from((await t.data()) as Float32Array); } finally { t.dispose(); }
}

/** Tensors keyed by variable name from a flat array made by flattenGrads (on any replica); caller disposes. */
export function unflattenGrads(flat: Float32Array, vars: tf.Variable[]): Grads {
  const out: Grads = {};
  let off = 0;
  for (const v of vars) {
    const n = size(v.shape);
    out[v.name] = tf.tensor(flat.subarray(off, off + n), v.shape);
    off += n;
  }
  if (off !== flat.length) throw new Error(`parallel: ${flat.length} gradient values for ${off} weights`);
  return out;
}

/** a += b, element-wise, in float32 like the tensors (the same order everywhere keeps replicas identical). */
export function addInto(a: Float32Array, b: Float32Array): void {
  if (a.length !== b.length) throw new Error(`parallel: gradient lengths differ (${a.length} vs ${b.length})`);
  for (let i = 0; i < a.length; i++) a[i] += b[i];
}

const isMovingStat = (w: tf.LayerVariable): boolean =>
  w.originalName.endsWith('/moving_mean') || w.originalName.endsWith('/moving_variance');

/** BatchNorm moving means and variances of the models, concatenated. */
export async function readMovingStats(models: tf.LayersModel[]): Promise<Float32Array> {
  const parts = await Promise.all(models.flatMap((m) => m.weights.filter(isMovingStat).map(async (w) => (await w.read().data()) as Float32Array)));
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

export function writeMovingStats(models: tf.LayersModel[], flat: Float32Array): void {
  let off = 0;
  for (const w of models.flatMap((m) => m.weights.filter(isMovingStat))) {
    const n = size(w.shape as number[]);
    const t = tf.tensor(flat.subarray(off, off + n), w.shape as number[]);
    w.write(t); // the variable takes its own reference
    t.dispose();
    off += n;
  }
  if (off !== flat.length) throw new Error(`parallel: ${flat.length} moving statistics for ${off} values`);
}
