// Speed of a GANomaly-sized G+D training step on the wasm backend with our conv-gradient kernels, and
// our Conv2DBackpropInput against wasm's stock one. Run: nice -n 10 npx tsx bench/kernels.ts [--quick]
// [--profile] [--nc 1] [--sizes 32,64] [--reps 3]. Prints figures only; nothing is written.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src-main/engine/backends/select';
import { restoreStockWasmKernels, registerWasmKernels, wasmHeapBytes } from '../src-main/engine/backends/wasm-kernels';
import { flagValue as opt } from './flags';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const quick = flag('quick');
const batch = Number(opt('batch', quick ? '16' : '64'));
const reps = Number(opt('reps', quick ? '2' : '3'));
const sizes = opt('sizes', quick ? '32' : '32,64').split(',').map(Number);
const nc = Number(opt('nc', '1'));
const nz = 100;
const nf = 64;

type ST = tf.SymbolicTensor;
const conv = (filters: number, k: number, s: number, pad: 'same' | 'valid') =>
  tf.layers.conv2d({ filters, kernelSize: k, strides: s, padding: pad, useBias: false });
const deconv = (filters: number, k: number, s: number, pad: 'same' | 'valid') =>
  tf.layers.conv2dTranspose({ filters, kernelSize: k, strides: s, padding: pad, useBias: false });

/** DCGAN encoder as in GANomaly: returns [features before the last conv, output]. */
function encoder(input: ST, isize: number, out: number): [ST, ST] {
  let h = conv(nf, 4, 2, 'same').apply(input) as ST;
  h = tf.layers.leakyReLU({ alpha: 0.2 }).apply(h) as ST;
  for (let size = isize / 2, ch = nf; size > 4; size /= 2, ch *= 2) {
    h = conv(ch * 2, 4, 2, 'same').apply(h) as ST;
    h = tf.layers.batchNormalization().apply(h) as ST;
    h = tf.layers.leakyReLU({ alpha: 0.2 }).apply(h) as ST;
  }
  return [h, conv(out, 4, 1, 'valid').apply(h) as ST];
}

function decoder(input: ST, isize: number): ST {
  let ch = (nf / 2) * (isize / 4);
  let h = deconv(ch, 4, 1, 'valid').apply(input) as ST;
  h = tf.layers.reLU().apply(tf.layers.batchNormalization().apply(h)) as ST;
  for (let size = 4; size < isize / 2; size *= 2, ch /= 2) {
    h = deconv(ch / 2, 4, 2, 'same').apply(h) as ST;
    h = tf.layers.reLU().apply(tf.layers.batchNormalization().apply(h)) as ST;
  }
  return tf.layers.activation({ activation: 'tanh' }).apply(deconv(nc, 4, 2, 'same').apply(h)) as ST;
}

function build(isize: number) {
  const x = tf.input({ shape: [isize, isize, nc] });
  const latentI = encoder(x, isize, nz)[1];
  const fake = decoder(latentI, isize);
  const latentO = encoder(fake, isize, nz)[1];
  const netG = tf.model({ inputs: x, outputs: [fake, latentI, latentO] });
  const dx = tf.input({ shape: [isize, isize, nc] });
  const [feat, logit] = encoder(dx, isize, 1);
  const netD = tf.model({ inputs: dx, outputs: [tf.layers.activation({ activation: 'sigmoid' }).apply(logit) as ST, feat] });
  return { netG, netD };
}

function makeStep(isize: number) {
  const { netG, netD } = build(isize);
  const optG = tf.train.adam(2e-4, 0.5, 0.999);
  const optD = tf.train.adam(2e-4, 0.5, 0.999);
  const varsG = netG.trainableWeights.map((w) => w.read() as tf.Variable);
  const varsD = netD.trainableWeights.map((w) => w.read() as tf.Variable);
  const eps = 1e-7;
  const bce = (p: tf.Tensor, target: number) =>
    tf.neg(tf.mean(target === 1 ? tf.log(p.add(eps)) : tf.log(tf.sub(1 + eps, p))));
  return (x: tf.Tensor4D) => {
    let fakeKept: tf.Tensor | undefined;
    optG.minimize(() => {
      const [fake, latentI, latentO] = netG.apply(x, { training: true }) as tf.Tensor[];
      const featReal = (netD.apply(x, { training: true }) as tf.Tensor[])[1];
      const featFake = (netD.apply(fake, { training: true }) as tf.Tensor[])[1];
      const errAdv = tf.mean(tf.square(featReal.sub(featFake)));
      const errCon = tf.mean(tf.abs(x.sub(fake)));
      const errEnc = tf.mean(tf.square(latentI.sub(latentO)));
      fakeKept = tf.keep(fake.clone());
      return errAdv.add(errCon.mul(50)).add(errEnc) as tf.Scalar;
    }, false, varsG);
    optD.minimize(() => {
      const pReal = (netD.apply(x, { training: true }) as tf.Tensor[])[0];
      const pFake = (netD.apply(fakeKept!, { training: true }) as tf.Tensor[])[0];
      return bce(pReal, 1).add(bce(pFake, 0)).mul(0.5) as tf.Scalar;
    }, false, varsD);
    fakeKept?.dispose();
  };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/**
 * Wall and process-CPU milliseconds per call (medians). The machine is shared: when other work runs,
 * wall time stretches but CPU time stays close to what one idle core would give (wasm runs 1 thread).
 */
function timeIt(fn: () => void, n: number): { wall: number; cpu: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

async function benchStep(isize: number) {
  const step = makeStep(isize);
  const x = tf.randomUniform([batch, isize, isize, nc], -1, 1) as tf.Tensor4D;
  step(x); // warm-up: Adam slots, XNNPACK operators
  const before = tf.memory().numTensors;
  const t = timeIt(() => step(x), reps);
  const leak = tf.memory().numTensors - before;
  const ips = (ms: number) => ((batch * 1000) / ms).toFixed(1);
  console.log(
    `step isize ${isize} batch ${batch} nc ${nc}: ${t.wall.toFixed(0)} ms wall (${ips(t.wall)} images/s), ` +
      `${t.cpu.toFixed(0)} ms CPU (${ips(t.cpu)} images/CPU-s)  [tensors +${leak}, wasm heap ${((wasmHeapBytes() ?? 0) / 2 ** 20).toFixed(0)} MiB]`,
  );
  if (flag('profile')) await profile(step, x);
  x.dispose();
}

/** Kernel time per kernel name, via tf.profile (which times every kernel call synchronously on wasm). */
async function profile(step: (x: tf.Tensor4D) => void, x: tf.Tensor4D) {
  const info = await tf.profile(() => step(x));
  const byName = new Map<string, number>();
  let total = 0;
  const detail = flag('detail');
  for (const k of info.kernels) {
    // Op-level entries (name__op) wrap kernels that are also listed: count kernels only.
    if (k.name.endsWith('__op')) continue;
    const t = Number(k.kernelTimeMs) || 0;
    const key = detail ? `${k.name} ${k.inputShapes.map((s) => (s ?? []).join('x')).join(' ')}` : k.name;
    byName.set(key, (byName.get(key) ?? 0) + t);
    total += t;
  }
  const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, detail ? 30 : 12);
  console.log(`  profile: ${total.toFixed(0)} ms in kernels`);
  for (const [name, t] of top) console.log(`    ${name.padEnd(detail ? 60 : 24)} ${t.toFixed(0).padStart(6)} ms  ${((100 * t) / total).toFixed(1)}%`);
}

/** The decoder's biggest transposed convolution at this size, ours vs wasm's stock kernel. */
async function benchBackpropInput(isize: number) {
  const hw = isize / 4;
  const ci = nf * 2;
  const co = nf;
  const dy = tf.randomNormal([batch, hw, hw, ci]) as tf.Tensor4D;
  const w = tf.randomNormal([4, 4, co, ci]) as tf.Tensor4D;
  // Read back inside tidy but return nothing: tidy would walk a returned typed array element by element.
  const out = () => tf.tidy(() => tf.conv2dTranspose(dy, w, [batch, hw * 2, hw * 2, co], 2, 'same'));
  const run = () => out().dispose();
  run();
  const ours = timeIt(run, reps);
  const read = () => {
    const t = out();
    const v = t.dataSync();
    t.dispose();
    return v;
  };
  const oursOut = read();
  restoreStockWasmKernels();
  run();
  const stock = timeIt(run, reps);
  const stockOut = read();
  registerWasmKernels();
  let maxDiff = 0;
  for (let i = 0; i < oursOut.length; i++) maxDiff = Math.max(maxDiff, Math.abs(oursOut[i] - stockOut[i]));
  console.log(
    `conv2dTranspose ${batch}x${hw}x${hw}x${ci} -> ${hw * 2}x${hw * 2}x${co}, k4 s2: ours ${ours.wall.toFixed(0)} ms` +
      ` (${ours.cpu.toFixed(0)} CPU), stock ${stock.wall.toFixed(0)} ms (${stock.cpu.toFixed(0)} CPU), ${(stock.cpu / ours.cpu).toFixed(1)}x less CPU,` +
      ` max |diff| ${maxDiff.toExponential(1)}`,
  );
  tf.dispose([dy, w]);
}

const info = await selectBackend('wasm');
console.log(`backend ${info.name}: ${info.detail}; median of ${reps} reps after one warm-up`);
for (const isize of sizes) {
  await benchBackpropInput(isize);
  await benchStep(isize);
}
