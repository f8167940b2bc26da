// Seeded randomness for everything the engine decides by chance (weight init, shuffles, the validation
// split), so a run is reproducible from its seed alone. mulberry32: tiny, fast, good enough for this.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** A fresh 32-bit seed, for deriving independent streams. */
  seed(): number;
}

export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new Error(`random: seed must be a finite number, got ${seed}`);
  let a = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | undefined;
  const normal = (): number => {
    if (spare !== undefined) { const s = spare; spare = undefined; return s; }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return { next, normal, seed: () => Math.floor(next() * 4294967296) };
}

/** Fisher-Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** n samples of N(mean, std). */
export function normalArray(n: number, mean: number, std: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + std * rng.normal();
  return out;
}

/** Batches of the given indices; a lone last image joins the previous batch (BatchNorm needs >= 2). */
export function batchesOf(indices: number[], batchSize: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < indices.length; i += batchSize) out.push(indices.slice(i, i + batchSize));
  if (out.length > 1 && out[out.length - 1].length < 2) out[out.length - 2].push(...(out.pop() as number[]));
  return out;
}
