// Picks the TensorFlow.js backend once, at the edge: model code only calls tf.*.
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { registerCpuKernels } from './cpu-kernels';
import { registerWasmKernels } from './wasm-kernels';
import { setWebgpuBackend } from './webgpu';

import { BACKEND_NAMES, type BackendName } from '../../shared/vocabulary';

export type { BackendName } from '../../shared/vocabulary';
export interface BackendInfo {
  name: BackendName;
  gpu: boolean;
  threads: number;
  detail: string;
  /** The GPU adapter's name (webgpu only), shown to the user and saved with the model. */
  adapter?: string;
  /** Why this backend runs: asked for by name, or what 'auto' skipped before it. */
  reason?: string;
}

type Log = (line: string) => void;

let current: BackendInfo | undefined;
let wasmPathsSet = false;
// A string specifier keeps bundlers and tsc from resolving a package that is usually absent.
const NODE_GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';

export function currentBackend(): BackendInfo | undefined {
  return current;
}

/** Files inside an Electron asar archive cannot be loaded as wasm; packaging unpacks them beside it. */
export function unpackedAsarPath(path: string): string {
  return path.replace(/([\\/])app\.asar(?=[\\/]|$)/, '$1app.asar.unpacked');
}

/** Directory holding the .wasm binaries, resolved like any dependency (works bundled or not). */
export function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  return unpackedAsarPath(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')));
}

async function tryTensorflow(): Promise<Omit<BackendInfo, 'reason'>> {
  try {
    await import(/* @vite-ignore */ NODE_GPU_PACKAGE);
  } catch (err) {
    throw new Error(`backend 'tensorflow' unavailable: ${NODE_GPU_PACKAGE} cannot be loaded (${shortReason(err)})`);
  }
  if (!(await tf.setBackend('tensorflow'))) {
    throw new Error(`backend 'tensorflow' unavailable: ${NODE_GPU_PACKAGE} loaded but its backend failed to initialise`);
  }
  // tfjs-node's backend exposes whether libtensorflow placed ops on a CUDA device.
  const usingGpu = (tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true;
  return {
    name: 'tensorflow',
    gpu: usingGpu,
    threads: availableParallelism(),
    detail: usingGpu
      ? 'libtensorflow with a CUDA GPU'
      : 'libtensorflow on the CPU: TensorFlow sees no CUDA GPU (driver, CUDA or cuDNN missing or mismatched)',
  };
}

async function tryWebgpu(auto: boolean): Promise<Omit<BackendInfo, 'reason'>> {
  try {
    const s = await setWebgpuBackend(!auto);
    return {
      name: 'webgpu', gpu: s.software === null, threads: 1, adapter: s.adapter,
      detail: s.software === null
        ? `WebGPU (Dawn) on '${s.adapter}'`
        : `WebGPU (Dawn ${s.via === 'opengl' ? 'OpenGL' : 'default backend'}) on '${s.adapter}', ${s.software}: correct but slow, no GPU`,
    };
  } catch (err) {
    throw new Error(`backend 'webgpu' unavailable: ${shortReason(err)}`);
  }
}

async function tryWasm(): Promise<Omit<BackendInfo, 'reason'>> {
  if (!wasmPathsSet) {
    const dir = wasmDistDir();
    setWasmPaths(dir.endsWith('/') || dir.endsWith('\\') ? dir : join(dir, '/'));
    wasmPathsSet = true;
  }
  let ok = false;
  try {
    ok = await tf.setBackend('wasm');
  } catch (err) {
    throw new Error(`backend 'wasm' unavailable: ${shortReason(err)}`);
  }
  if (!ok) throw new Error(`backend 'wasm' unavailable: the WebAssembly module failed to initialise`);
  registerWasmKernels();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  // What the module really runs: the threaded build is switched off under Node, so 1 there.
  const threads = Math.max(1, getThreadsCount());
  return { name: 'wasm', gpu: false, threads, detail: `WebAssembly${simd ? ' SIMD' : ''}, XNNPACK, ${threads} thread(s)` };
}

async function useCpu(): Promise<Omit<BackendInfo, 'reason'>> {
  if (!(await tf.setBackend('cpu'))) throw new Error(`backend 'cpu' failed to initialise`);
  registerCpuKernels();
  return { name: 'cpu', gpu: false, threads: 1, detail: 'pure JavaScript, 1 thread' };
}

/** auto: true when tried by 'auto', which takes only a real GPU where a backend could be software. */
const attempts: Record<BackendName, (auto: boolean) => Promise<Omit<BackendInfo, 'reason'>>> = {
  tensorflow: tryTensorflow,
  webgpu: tryWebgpu,
  wasm: tryWasm,
  cpu: useCpu,
};

/**
 * Selects a backend. 'auto' tries tensorflow (tfjs-node-gpu) -> webgpu (a real GPU adapter only) -> wasm
 * -> cpu and logs one line saying what it picked and why; an explicit name that cannot be met throws an
 * error that names what is missing. Calling it again is cheap and safe; concurrent calls run one after another.
 */
export function selectBackend(preferred: BackendName | 'auto' = 'auto', log?: Log): Promise<BackendInfo> {
  const run = queue.then(() => select(preferred, log));
  queue = run.catch(() => undefined);
  return run;
}

let queue: Promise<unknown> = Promise.resolve();
let autoChoice: BackendInfo | undefined;

async function select(preferred: BackendName | 'auto', log?: Log): Promise<BackendInfo> {
  silenceBanner();
  if (preferred !== 'auto' && !Object.hasOwn(attempts, preferred)) {
    throw new Error(`unknown backend '${String(preferred)}': expected 'auto', ${BACKEND_NAMES.map((n) => `'${n}'`).join(', ')}`);
  }
  const reuse = preferred === 'auto' ? autoChoice : current;
  if (reuse && current === reuse && (preferred === 'auto' || preferred === reuse.name) && tf.getBackend() === reuse.name) {
    return reuse;
  }
  const auto = preferred === 'auto';
  const order: readonly BackendName[] = auto ? BACKEND_NAMES : [preferred];
  const skipped: string[] = [];
  let lastError: unknown;
  for (const name of order) {
    try {
      const info = await attempts[name](auto);
      const reason = !auto ? 'asked for by name'
        : skipped.length === 0 ? 'auto: the first choice' : `auto: ${skipped.join('; ')}`;
      current = { ...info, reason };
      if (auto) autoChoice = current;
      log?.(describeBackend(current));
      return current;
    } catch (err) {
      lastError = err;
      skipped.push(shortReason(err).replace(/^backend '(\w+)' unavailable: /, '$1 skipped: '));
    }
  }
  log?.(`backend: none available (${skipped.join('; ')})`);
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/** One line for people: which backend runs, on what, and why it was picked. */
export function describeBackend(b: BackendInfo): string {
  return `backend: ${b.name} (${b.gpu ? 'GPU' : 'CPU'}), ${b.detail}${b.reason ? ` [${b.reason}]` : ''}`;
}

function silenceBanner(): void {
  // The pure-JS backend warns "install tfjs-node" on first use in Node; prod mode mutes backend_util.warn.
  if (!tf.env().getBool('PROD')) tf.enableProdMode();
}

function shortReason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0].slice(0, 200);
}
