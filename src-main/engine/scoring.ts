// Inference: raw anomaly scores of every kind, reconstructions and difference maps, as plain arrays.
// BatchNorm runs on its moving statistics (training: false) so an image's score does not depend on
// the other images in its batch.
import * as tf from '@tensorflow/tfjs';
import { baselineScores, topCount } from './baseline';
import { calibratedScore, percentileOf, type Calibration } from './calibration';
import type { NetD, NetG } from './networks';
import { SCORE_KINDS, type ScoreKind } from './options';
import { dssimMap } from './ssim';
import type { ImageSet } from './image-set';

export type RawScores = Record<ScoreKind, Float32Array>;

export interface ScoreResult {
  count: number;
  /** Per image, higher = more anomalous. latent: mean((E(x) - E(G(x)))^2), the paper's A(x);
   *  recon-top1: mean of the top 1% of per-pixel |x - G(x)|; ssim: mean of the top 1% of the local
   *  structural dissimilarity 1 - SSIM(x, G(x)); feature: mean((f_D(x) - f_D(G(x)))^2) over D's last
   *  feature map (Skip-GANomaly's feature term); baseline: top 1% of |x - mean image|. */
  raw: RawScores;
  /** G(x), NHWC in [-1, 1] (only when maps were asked for). */
  reconstructions?: Float32Array;
  /** |x - G(x)| averaged over channels, [count, isize, isize] in [0, 2] (only when maps were asked for). */
  diffMaps?: Float32Array;
}

export interface ScoringModel {
  netG: NetG;
  /** The discriminator, for the feature score. */
  netD: NetD;
  isize: number;
  nc: 1 | 3;
  /** The mean training image (NHWC, one image), for the baseline score. */
  meanImage: Float32Array;
}

/**
 * Scores `count` images given as NHWC Float32Array in [-1, 1]. withFeature false leaves the feature score
 * NaN: it alone needs D, twice (x and G(x)), about a third of scoring's time; every other kind comes from G.
 */
export async function scoreBatch(m: ScoringModel, x: Float32Array, count: number, withMaps = false, withFeature = true): Promise<ScoreResult> {
  const per = m.isize * m.isize * m.nc;
  if (!Number.isInteger(count) || count < 1) throw new Error(`scoring: count must be a positive integer, got ${count}`);
  if (x.length !== count * per) {
    throw new Error(`scoring: got ${x.length} values, expected ${count} images of ${m.isize}x${m.isize}x${m.nc} = ${count * per}`);
  }
  const [latent, recon, ssim, feature, fake, diff] = tf.tidy(() => {
    const input = tf.tensor4d(x, [count, m.isize, m.isize, m.nc]);
    const g = m.netG.apply(input, false);
    const latentScore = tf.mean(tf.squaredDifference(g.latentI, g.latentO), [1, 2, 3]);
    const diffMap = tf.mean(tf.abs(tf.sub(input, g.fake)), 3) as tf.Tensor3D;
    const featureScore = withFeature
      ? tf.mean(tf.squaredDifference(m.netD.apply(input, false).features, m.netD.apply(g.fake, false).features), [1, 2, 3])
      : tf.fill([count], NaN);
    return [latentScore, topMeanPerImage(diffMap), topMeanPerImage(dssimMap(input, g.fake)), featureScore, g.fake, diffMap];
  });
  try {
    // Awaited reads: a GPU backend cannot read synchronously in Node.
    const [latentValues, reconValues, ssimValues, featureValues, fakeValues, diffValues] = await Promise.all([
      latent.data(), recon.data(), ssim.data(), feature.data(), withMaps ? fake.data() : undefined, withMaps ? diff.data() : undefined,
    ]);
    const result: ScoreResult = {
      count,
      raw: {
        'recon-top1': reconValues as Float32Array,
        ssim: ssimValues as Float32Array,
        feature: featureValues as Float32Array,
        latent: latentValues as Float32Array,
        baseline: baselineScores(x, count, m.meanImage, m.nc),
      },
    };
    if (withMaps) {
      result.reconstructions = fakeValues as Float32Array;
      result.diffMaps = diffValues as Float32Array;
    }
    return result;
  } finally {
    tf.dispose([latent, recon, ssim, feature, fake, diff]);
  }
}

/** Per image (first axis), the mean of the top 1% of a map's values. */
function topMeanPerImage(map: tf.Tensor3D): tf.Tensor1D {
  const [n, h, w] = map.shape;
  return tf.mean(tf.topk(tf.reshape(map, [n, h * w]), topCount(h * w)).values, 1);
}

export interface CalibratedScores {
  /** Robust z-score against the validation images. */
  calibrated: RawScores;
  /** Percentage of validation images scoring lower. */
  percentile: RawScores;
}

export function calibrateScores(raw: RawScores, cal: Calibration): CalibratedScores {
  const out: CalibratedScores = { calibrated: {} as RawScores, percentile: {} as RawScores };
  for (const kind of Object.keys(raw) as ScoreKind[]) {
    const stats = cal[kind];
    // Models saved before a kind existed have no statistics for it: NaN, not a made-up figure.
    out.calibrated[kind] = stats ? raw[kind].map((v) => calibratedScore(v, stats)) : raw[kind].map(() => NaN);
    out.percentile[kind] = stats ? raw[kind].map((v) => percentileOf(v, stats)) : raw[kind].map(() => NaN);
  }
  return out;
}

/**
 * The difference map at the original image's resolution: the reconstruction (isize x isize) is resized up
 * bilinearly to height x width (half-pixel centres, as tf.image.resizeBilinear(.., false, true)) and
 * compared with the original pixels (NHWC, one image, [-1, 1], same nc). Returns |original - G(x)| averaged
 * over channels, height*width values. One pass in plain JS: on 900x900 maps the tensor version spent more
 * time allocating and copying full-size intermediates than computing.
 */
export async function diffMapAtResolution(
  reconstruction: Float32Array, isize: number, nc: number, original: Float32Array, height: number, width: number,
): Promise<Float32Array> {
  if (reconstruction.length !== isize * isize * nc) {
    throw new Error(`diff map: reconstruction has ${reconstruction.length} values, expected ${isize}x${isize}x${nc}`);
  }
  if (original.length !== height * width * nc) {
    throw new Error(`diff map: original has ${original.length} values, expected ${height}x${width}x${nc}`);
  }
  const cols = bilinearTaps(width, isize, nc);
  const out = new Float32Array(height * width);
  const row = isize * nc;
  const upRow = new Float32Array(row); // the reconstruction resized to this output row's height
  for (let y = 0; y < height; y++) {
    const src = (y + 0.5) * (isize / height) - 0.5;
    const lo = Math.max(0, Math.floor(src));
    const a = lo * row;
    const b = Math.min(isize - 1, Math.ceil(src)) * row;
    const t = src - lo;
    for (let i = 0; i < row; i++) upRow[i] = reconstruction[a + i] + (reconstruction[b + i] - reconstruction[a + i]) * t;
    for (let x = 0, o = y * width * nc; x < width; x++) {
      const l = cols.lo[x];
      const h = cols.hi[x];
      const w = cols.t[x];
      let sum = 0;
      for (let c = 0; c < nc; c++, o++) {
        const v = upRow[l + c];
        sum += Math.abs(original[o] - (v + (upRow[h + c] - v) * w));
      }
      out[y * width + x] = sum / nc;
    }
  }
  return out;
}

/** Per output column of `to` resized from `from` (half-pixel centres): the two source offsets (times nc) and the weight. */
function bilinearTaps(to: number, from: number, nc: number): { lo: Int32Array; hi: Int32Array; t: Float32Array } {
  const lo = new Int32Array(to);
  const hi = new Int32Array(to);
  const t = new Float32Array(to);
  for (let i = 0; i < to; i++) {
    const src = (i + 0.5) * (from / to) - 0.5;
    const l = Math.max(0, Math.floor(src));
    lo[i] = l * nc;
    hi[i] = Math.min(from - 1, Math.ceil(src)) * nc;
    t[i] = src - l;
  }
  return { lo, hi, t };
}

export interface ScoreSetOptions {
  batchSize?: number;
  withMaps?: boolean;
  /** Receives each batch (e.g. to write maps to disk) before the next is loaded. */
  onBatch?: (indices: number[], result: ScoreResult) => Promise<void> | void;
  /** Checked before every batch; scoring then stops and returns what it has. */
  shouldStop?: () => boolean;
}

/** Streams a whole set through scoreBatch; returns raw scores for the images scored, in set order. */
export async function scoreSet(m: ScoringModel, set: ImageSet, o: ScoreSetOptions = {}): Promise<{ raw: RawScores; scored: number }> {
  if (set.isize !== m.isize || set.nc !== m.nc) {
    throw new Error(`scoring: the images are ${set.isize}x${set.isize}x${set.nc}, the model wants ${m.isize}x${m.isize}x${m.nc}`);
  }
  // Default: 64 images up to isize 64, fewer above so a batch stays ~256k pixels (bounded memory).
  const bs = Math.max(1, o.batchSize ?? Math.min(64, Math.floor(262144 / (m.isize * m.isize))));
  const raw = Object.fromEntries(SCORE_KINDS.map((k) => [k, new Float32Array(set.count)])) as RawScores;
  let scored = 0;
  for (let start = 0; start < set.count; start += bs) {
    if (o.shouldStop?.()) break;
    const indices = Array.from({ length: Math.min(bs, set.count - start) }, (_, i) => start + i);
    const r = await scoreBatch(m, await set.load(indices), indices.length, o.withMaps);
    for (const k of SCORE_KINDS) raw[k].set(r.raw[k], start);
    scored += indices.length;
    await o.onBatch?.(indices, r);
  }
  if (scored < set.count) for (const k of SCORE_KINDS) raw[k] = raw[k].slice(0, scored);
  return { raw, scored };
}
