// Calls other registered kernels of one backend directly, so a composite kernel never re-enters the
// engine (no tape entries, no engine-tracked intermediates): every intermediate is freed here.
import * as tf from '@tensorflow/tfjs';

export type TensorInfo = tf.TensorInfo;
type Attrs = tf.NamedAttrMap;

/**
 * Milliseconds spent inside composite kernels, by inner kernel name ('copy' = reads and writes between
 * JS and the backend): bench/profile.ts switches it on to see what a composite kernel's time is made of.
 */
export const innerTimes: { on: boolean; ms: Map<string, number> } = { on: false, ms: new Map() };

function timed<T>(name: string, fn: () => T): T {
  if (!innerTimes.on) return fn();
  const t0 = performance.now();
  try { return fn(); } finally { innerTimes.ms.set(name, (innerTimes.ms.get(name) ?? 0) + performance.now() - t0); }
}

export class KernelOps {
  private readonly live: TensorInfo[] = [];

  constructor(
    private readonly backendName: string,
    private readonly backend: tf.KernelBackend,
  ) {}

  run(kernelName: string, inputs: Record<string, TensorInfo>, attrs: Attrs = {}): TensorInfo {
    return this.track(this.call(kernelName, inputs, attrs));
  }

  runMany(kernelName: string, inputs: TensorInfo[], attrs: Attrs = {}): TensorInfo {
    // Concat-like kernels take their inputs as an array.
    return this.track(this.call(kernelName, inputs as unknown as Record<string, TensorInfo>, attrs));
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  /** Slice that skips the copy when it would keep the whole tensor. */
  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    if (begin.every((b) => b === 0) && size.every((s, i) => s === x.shape[i])) return x;
    return this.run('Slice', { x }, { begin, size });
  }

  fromValues(values: Float32Array, shape: number[]): TensorInfo {
    return this.track({ dataId: timed('copy', () => this.backend.write(values, shape, 'float32')), shape, dtype: 'float32' });
  }

  readFloat32(x: TensorInfo): Float32Array {
    return timed('copy', () => this.backend.readSync(x.dataId) as Float32Array);
  }

  /** Frees every intermediate except `keep` (the kernel's output), which the engine then owns. */
  finish(keep: TensorInfo): TensorInfo {
    for (const t of this.live) {
      if (t !== keep) this.backend.disposeData(t.dataId);
    }
    this.live.length = 0;
    return keep;
  }

  /** Frees every intermediate, for error paths. */
  abandon(): void {
    for (const t of this.live) this.backend.disposeData(t.dataId);
    this.live.length = 0;
  }

  private call(kernelName: string, inputs: Record<string, TensorInfo>, attrs: Attrs): TensorInfo {
    const kernel = tf.getKernel(kernelName, this.backendName);
    if (!kernel) throw new Error(`kernel '${kernelName}' is not registered for backend '${this.backendName}'`);
    const out = timed(kernelName, () => kernel.kernelFunc({ inputs, backend: this.backend, attrs }));
    return Array.isArray(out) ? out[0] : out;
  }

  private track(t: TensorInfo): TensorInfo {
    this.live.push(t);
    return t;
  }
}
