// Where one GANomaly G+D training step spends its time on one thread (the real engine: stepGradients,
// then both Adam updates), per kernel group, with each group's share of the step. Chooses what to
// speed up next. Run: npm run bench -- profile  (or npx tsx bench/profile.ts [--sizes 32,64]
// [--batch 64] [--backend wasm] [--reps 2] [--detail]). Figures only; nothing is written.
import * as tf from '@tensorflow/tfjs';
import { innerTimes } from '../src-main/engine/backends/kernel-ops';
import { selectBackend, type BackendName } from '../src-main/engine/backends/select';
import { parseOptions } from '../src-main/engine/options';
import { createNets, disposeNets, planMemory, stepGradients, type Nets, type StepGradients } from '../src-main/engine/train-step';
import { makeParts } from '../test/fixtures/synthetic-parts';
import { flagValue as opt } from './flags';

const args = process.argv.slice(2);
const sizes = opt('sizes', '32,64').split(',').map(Number);
const batch = Number(opt('batch', '64'));
const reps = Number(opt('reps', '2'));
const backendName = opt('backend', 'wasm') as BackendName;
const detail = args.includes('--detail');

const GROUPS: [string, RegExp][] = [
  ['conv forward', /^(Conv2D|FusedConv2D)$/],
  ['conv filter gradient', /^Conv2DBackpropFilter$/],
  ['conv input gradient (and transposed-conv forward)', /^Conv2DBackpropInput$/],
  ['BatchNorm (normalise; Tile of its gradient)', /^(FusedBatchNorm|Tile)$/],
  ['reductions (Sum, Mean: BatchNorm statistics, losses)', /^(Sum|Mean|Max|Min|Prod|TopK)$/],
  ['matmul', /^(BatchMatMul|_FusedMatMul)$/],
  ['transposes', /^Transpose$/],
  ['copies and layout (Identity, Slice, Concat, Pad, Cast...)', /^(Identity|Reshape|Slice|Concat|Pad|PadV2|Cast|Pack|Unpack|Fill|ZerosLike|OnesLike|StridedSlice|MirrorPad)$/],
];
const ELEMENTWISE = 'element-wise (Mul, Add, LeakyRelu, Select, Greater...)';
const groupOf = (kernel: string): string => GROUPS.find(([, re]) => re.test(kernel))?.[0] ?? ELEMENTWISE;

/** Times the backend's JS <-> heap reads and writes (tensor creation, dataSync, kernels that read). */
function watchCopies(): { ms: () => number; stop: () => void } {
  const backend = tf.backend() as unknown as Record<string, (...a: unknown[]) => unknown>;
  let ms = 0;
  const saved = new Map<string, (...a: unknown[]) => unknown>();
  for (const name of ['write', 'readSync', 'move']) {
    const original = backend[name];
    if (typeof original !== 'function') continue;
    saved.set(name, original);
    backend[name] = function (this: unknown, ...a: unknown[]) {
      const t0 = performance.now();
      try { return original.apply(this, a); } finally { ms += performance.now() - t0; }
    };
  }
  // write() calls move() on wasm: count the outer call only.
  let depth = 0;
  for (const [name] of saved) {
    const inner = backend[name];
    backend[name] = function (this: unknown, ...a: unknown[]) {
      depth++;
      const before = ms;
      try { return inner.apply(this, a); } finally { depth--; if (depth > 0) ms = before; }
    };
  }
  return { ms: () => ms, stop: () => { for (const [name, f] of saved) backend[name] = f; } };
}

async function step(nets: Nets, x: tf.Tensor4D, o: ReturnType<typeof parseOptions>, micro: number): Promise<{ grads: number; adam: number }> {
  const t0 = performance.now();
  const s = await stepGradients(nets, x, o, micro);
  const t1 = performance.now();
  nets.optG.applyGradients(s.gradsG);
  nets.optD.applyGradients(s.gradsD);
  tf.dispose([...Object.values(s.gradsG), ...Object.values(s.gradsD)]);
  return { grads: t1 - t0, adam: performance.now() - t1 };
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const pct = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(1).padStart(5)}%`;
const ms = (v: number): string => `${v.toFixed(0).padStart(6)} ms`;

async function profileSize(isize: number): Promise<void> {
  const o = parseOptions({ isize, batchSize: batch });
  const micro = planMemory(o).microBatch;
  const nets = createNets(o);
  const parts = makeParts({ count: batch, isize, seed: 1 });
  const x = tf.tensor4d(parts.images, [batch, isize, isize, 1]);
  try {
    await step(nets, x, o, micro); // warm-up: Adam's slots, XNNPACK operators
    const walls: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      await step(nets, x, o, micro);
      walls.push(performance.now() - t0);
    }
    const wall = median(walls);

    // One profiled step: kernel times by group, the composites' insides, and copies.
    const byGroup = new Map<string, number>();
    const byKernel = new Map<string, number>();
    const phase = { grads: 0, adam: 0 };
    const copies = watchCopies();
    innerTimes.ms.clear();
    innerTimes.on = true;
    let adamKernels = 0;
    let kernels = 0;
    const t0 = performance.now();
    try {
      let grads: StepGradients | undefined;
      // tf.profile does not tidy: the gradients outlive it.
      const gradInfo = await tf.profile(async () => {
        const t = performance.now();
        grads = await stepGradients(nets, x, o, micro);
        phase.grads = performance.now() - t;
      });
      const s = grads as StepGradients;
      // Read now: tf.profile reuses one record, which the next profile overwrites.
      for (const k of gradInfo.kernels) {
        // Op-level entries (name__op) wrap kernels that are also listed: count kernels only.
        if (k.name.endsWith('__op')) continue;
        const t = Number(k.kernelTimeMs) || 0;
        const g = groupOf(k.name);
        byGroup.set(g, (byGroup.get(g) ?? 0) + t);
        const key = detail ? `${k.name} ${k.inputShapes.map((sh) => (sh ?? []).join('x')).join(' ')}` : k.name;
        byKernel.set(key, (byKernel.get(key) ?? 0) + t);
        kernels += t;
      }
      const adamInfo = await tf.profile(() => {
        const t = performance.now();
        nets.optG.applyGradients(s.gradsG);
        nets.optD.applyGradients(s.gradsD);
        phase.adam = performance.now() - t;
      });
      tf.dispose([...Object.values(s.gradsG), ...Object.values(s.gradsD)]);
      for (const k of adamInfo.kernels) if (!k.name.endsWith('__op')) adamKernels += Number(k.kernelTimeMs) || 0;
    } finally {
      innerTimes.on = false;
      copies.stop();
    }
    const profiled = performance.now() - t0;
    const total = phase.grads + phase.adam;
    console.log(`\n${tf.getBackend()} isize ${isize} batch ${batch}${micro < batch ? ` (micro-batch ${micro})` : ''}: ` +
      `one G+D step ${wall.toFixed(0)} ms unprofiled (${(batch * 1000 / wall).toFixed(1)} img/s, median of ${reps}); ` +
      `profiled step ${total.toFixed(0)} ms (${profiled.toFixed(0)} ms with the profiler's own work)`);
    console.log(`  ${'where'.padEnd(58)} ${'time'.padStart(9)}  share`);
    const rows: [string, number][] = [...byGroup].sort((a, b) => b[1] - a[1]);
    rows.push(['Adam (both optimisers, all their kernels)', adamKernels]);
    rows.push(['outside kernels (tape, engine bookkeeping, JS)', Math.max(0, total - kernels - adamKernels)]);
    for (const [name, t] of rows) console.log(`  ${name.padEnd(58)} ${ms(t)}  ${pct(t, total)}`);
    console.log(`  ${'copies between JS and the backend (within the rows above)'.padEnd(58)} ${ms(copies.ms())}  ${pct(copies.ms(), total)}`);
    if (innerTimes.ms.size) {
      const inner = [...innerTimes.ms].sort((a, b) => b[1] - a[1]).map(([k, t]) => `${k} ${t.toFixed(0)} ms`).join(', ');
      console.log(`  inside the conv-gradient kernels: ${inner}`);
    }
    if (detail) {
      for (const [k, t] of [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`    ${k.padEnd(70)} ${ms(t)}`);
    }
  } finally {
    x.dispose();
    disposeNets(nets);
  }
}

const info = await selectBackend(backendName);
console.log(`backend ${info.name}: ${info.detail}; one thread (a replica's share of a step is the same work on fewer images)`);
for (const isize of sizes) await profileSize(isize);
