// Prototype (not product code): does a generator with skip connections, trained to give back clean patches
// from patches with synthetic defects (denoising), beat the patch baseline on KolektorSDD? L1 only, no GAN.
// Usage: npx tsx bench/skip-denoise-prototype.ts <steps> <denoise share> [skips: all|none|deep]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src-main/engine/backends/select';
import { extractPatches, patchGrid, scaledSize } from '../src-main/engine/patches';
import { loadScaled } from '../src-main/library/prepare';
import { topMean } from '../src-main/engine/baseline';
import { auroc } from '../src-main/engine/metrics';
import { trainingImageSet, resolveCropFor } from '../src-main/services/image-set';
import { parseOptions } from '../src-main/engine/options';
import { withDefectsInShare } from '../src-main/engine/synthetic-defects';
const steps = Number(process.argv[2] ?? 400), share = Number(process.argv[3] ?? 0.5), skips = process.argv[4] ?? 'all';
await selectBackend('wasm');
const K = '/work/shared/data/kolektor-sdd';
const S = 32, nz = 100;
const trainPaths = readdirSync(join(K, 'train/good')).sort().map((f) => join(K, 'train/good', f));
const scale = (await resolveCropFor(trainPaths, parseOptions({}))) as number;
const set = trainingImageSet(trainPaths, S, 1, scale);
const bn = () => tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 });
const inp = tf.input({ shape: [S, S, 1] });
const e1 = tf.layers.leakyReLU({ alpha: 0.2 }).apply(tf.layers.conv2d({ filters: 64, kernelSize: 4, strides: 2, padding: 'same', useBias: false }).apply(inp)) as tf.SymbolicTensor;
const e2 = tf.layers.leakyReLU({ alpha: 0.2 }).apply(bn().apply(tf.layers.conv2d({ filters: 128, kernelSize: 4, strides: 2, padding: 'same', useBias: false }).apply(e1))) as tf.SymbolicTensor;
const e3 = tf.layers.leakyReLU({ alpha: 0.2 }).apply(bn().apply(tf.layers.conv2d({ filters: 256, kernelSize: 4, strides: 2, padding: 'same', useBias: false }).apply(e2))) as tf.SymbolicTensor;
const z = tf.layers.conv2d({ filters: nz, kernelSize: 4, padding: 'valid', useBias: false }).apply(e3) as tf.SymbolicTensor;
const up = (x: tf.SymbolicTensor, f: number, k: number, s: number, pad: 'same' | 'valid') => tf.layers.reLU().apply(bn().apply(tf.layers.conv2dTranspose({ filters: f, kernelSize: k, strides: s, padding: pad, useBias: false }).apply(x))) as tf.SymbolicTensor;
const cat = (a: tf.SymbolicTensor, b: tf.SymbolicTensor, use: boolean) => (use ? tf.layers.concatenate().apply([a, b]) as tf.SymbolicTensor : a);
const d0 = up(z, 256, 4, 1, 'valid');
const d1 = up(cat(d0, e3, skips !== 'none'), 128, 4, 2, 'same');
const d2 = up(cat(d1, e2, skips === 'all' || skips === 'deep'), 64, 4, 2, 'same');
const out = tf.layers.activation({ activation: 'tanh' }).apply(tf.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', useBias: false }).apply(cat(d2, e1, skips === 'all'))) as tf.SymbolicTensor;
const G = tf.model({ inputs: inp, outputs: out });
const opt = tf.train.adam(2e-4, 0.5, 0.999, 1e-8);
const t0 = performance.now();
for (let step = 1; step <= steps; step++) {
  const idx = Array.from({ length: 64 }, (_, i) => (step * 64 + i) % trainPaths.length);
  const x = await set.load(idx, { random: step * 7919 });
  const xin = share > 0 ? withDefectsInShare(x, 64, S, S, 1, share, 0, idx.map((i, k) => step * 1000 + k)) ?? x : x;
  const xt = tf.tensor4d(x, [64, S, S, 1]), it = tf.tensor4d(xin, [64, S, S, 1]);
  const loss = opt.minimize(() => tf.mean(tf.abs(tf.sub(G.apply(it, { training: true }) as tf.Tensor, xt))) as tf.Scalar, true);
  if (step % 50 === 0) console.log('step', step, (await loss!.data())[0].toFixed(4), ((performance.now() - t0) / 1000).toFixed(0), 's');
  tf.dispose([xt, it, loss!]);
}
// Per-pixel error stats from 256 training crops (fixed views), for a z variant.
const px = S * S;
const xs = await set.load(trainPaths.slice(0, 256).map((_, i) => i), { view: 0 });
const rec = tf.tidy(() => (G.apply(tf.tensor4d(xs, [256, S, S, 1]), { training: false }) as tf.Tensor).dataSync() as Float32Array);
const mu = new Float32Array(px), sq = new Float32Array(px);
for (let n = 0; n < 256; n++) for (let p = 0; p < px; p++) { const d = Math.abs(xs[n * px + p] - rec[n * px + p]); mu[p] += d / 256; sq[p] += d * d / 256; }
const sd = Float32Array.from(mu, (m, p) => Math.sqrt(Math.max(0, sq[p] - m * m)));
const med = [...sd].sort((a, b) => a - b)[px >> 1];
const sc = Float32Array.from(sd, (v) => Math.max(v, med / 2));
const labels: number[] = []; const sr: number[] = []; const sz: number[] = [];
for (const [dir, label] of [['test/good', 0], ['test/crack', 1]] as const) {
  for (const f of readdirSync(join(K, dir)).sort()) {
    const img = await loadScaled(join(K, dir, f), 1, (w, h) => scaledSize(w, h, S, scale));
    const g = patchGrid(img.height, img.width, S);
    const patches = extractPatches(img.data, 1, g);
    const r = tf.tidy(() => (G.apply(tf.tensor4d(patches, [g.count, S, S, 1]), { training: false }) as tf.Tensor).dataSync() as Float32Array);
    let a = -Infinity, b = -Infinity;
    for (let q = 0; q < g.count; q++) {
      const d = Float32Array.from({ length: px }, (_, p) => Math.abs(patches[q * px + p] - r[q * px + p]));
      a = Math.max(a, topMean(d));
      b = Math.max(b, topMean(Float32Array.from(d, (v, p) => (v - mu[p]) / sc[p])));
    }
    labels.push(label); sr.push(a); sz.push(b);
  }
}
console.log(`steps ${steps} share ${share} skips ${skips}: recon-top1 ${auroc(sr, labels).toFixed(3)} recon-z ${auroc(sz, labels).toFixed(3)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
