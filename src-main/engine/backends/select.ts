// Picks the TensorFlow.js backend once, at the edge: model code only calls tf.*.
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { registerCpuKernels } from './cpu-kernels';
import { registerWasmKernels } from './wasm-kernels';

import type { BackendName } from '../../shared/vocabulary';

export type { BackendName } from '../../shared/vocabulary';
export interface BackendInfo {
  name: BackendName;
  gpu: boolean;
  threads: number;
  detail: string;
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

async function tryTensorflow(): Promise<BackendInfo> {
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

async function tryWasm(): Promise<BackendInfo> {
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

async function useCpu(): Promise<BackendInfo> {
  if (!(await tf.setBackend('cpu'))) throw new Error(`backend 'cpu' failed to initialise`);
  registerCpuKernels();
  return { name: 'cpu', gpu: false, threads: 1, detail: 'pure JavaScript, 1 thread' };
}

const attempts: Record<BackendName, () => Promise<BackendInfo>> = {
  tensorflow: tryTensorflow,
  wasm: tryWasm,
  cpu: useCpu,
};

/**
 * Selects a backend. 'auto' tries tensorflow (tfjs-node-gpu) -> wasm -> cpu; an explicit name that
 * cannot be met throws an error that names what is missing. Calling it again is cheap and safe;
 * concurrent calls run one after another.
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
    throw new Error(`unknown backend '${String(preferred)}': expected 'auto', 'tensorflow', 'wasm' or 'cpu'`);
  }
  const reuse = preferred === 'auto' ? autoChoice : current;
  if (reuse && current === reuse && (preferred === 'auto' || preferred === reuse.name) && tf.getBackend() === reuse.name) {
    return reuse;
  }
  const order: BackendName[] = preferred === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [preferred];
  let lastError: unknown;
  for (const name of order) {
    try {
      current = await attempts[name]();
      if (preferred === 'auto') autoChoice = current;
      log?.(`backend: ${current.name} (${current.detail})`);
      return current;
    } catch (err) {
      lastError = err;
      log?.(`backend: ${name} skipped: ${shortReason(err)}`);
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

function silenceBanner(): void {
  // The pure-JS backend warns "install tfjs-node" on first use in Node; prod mode mutes backend_util.warn.
  if (!tf.env().getBool('PROD')) tf.enableProdMode();
}

function shortReason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0].slice(0, 200);
}
