// Inference: raw anomaly scores of every kind, reconstructions and difference maps, as plain arrays.
// BatchNorm runs on its moving statistics (training: false) so an image's score does not depend on
// the other images in its batch.
import * as tf from '@tensorflow/tfjs';
import { baselineScores, topCount, type DeviationStats } from './baseline';
import { calibratedScore, percentileOf, type Calibration } from './calibration';
import type { NetD, NetG } from './networks';
import { SCORE_KINDS, type ModelScoreKind, type ScoreKind } from './options';
import type { ErrorStats } from './error-stats';
import { dssimMap } from './ssim';
import type { ImageSet } from './image-set';
import { inferenceOf, type FoldedNets } from './folded-nets';

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
  /** Per-pixel error statistics of good parts, for recon-z (absent while training and in older models: NaN). */
  errorStats?: ErrorStats;
  /** Whole images: the normalised baseline's per-pixel statistics, for each image's capture shift (absent while training, in patch and older models). */
  deviationStats?: DeviationStats;
  /** A frozen model's networks with BatchNorm folded (faster, same scores up to float rounding); absent: the layers. */
  folded?: FoldedNets;
}

/**
 * The kinds that cost passes beyond GE and GD (which give recon-top1 and ssim): latent needs the second
 * encoder E (a third of G's time), feature needs D twice (about as much again). One left out is NaN.
 */
export interface CostlyKinds { latent: boolean; feature: boolean }
export const EVERY_KIND: CostlyKinds = { latent: true, feature: true };

/** Throws unless x holds `count` (a positive integer) NHWC images of the model's size. */
export function checkBatch(m: Pick<ScoringModel, 'isize' | 'nc'>, x: Float32Array, count: number): void {
  const per = m.isize * m.isize * m.nc;
  if (!Number.isInteger(count) || count < 1) throw new Error(`scoring: count must be a positive integer, got ${count}`);
  if (x.length !== count * per) {
    throw new Error(`scoring: got ${x.length} values, expected ${count} images of ${m.isize}x${m.isize}x${m.nc} = ${count * per}`);
  }
}

/** Scores `count` images given as NHWC Float32Array in [-1, 1]; `costly` says which of latent and feature to compute. */
export async function scoreBatch(m: ScoringModel, x: Float32Array, count: number, withMaps = false, costly: CostlyKinds = EVERY_KIND): Promise<ScoreResult> {
  checkBatch(m, x, count);
  const [latent, recon, ssim, feature, fake, diff, reconZ] = tf.tidy(() => {
    const nets = inferenceOf(m);
    const input = tf.tensor4d(x, [count, m.isize, m.isize, m.nc]);
    const g = nets.reconstruct(input);
    const latentO = costly.latent ? nets.encode2(g.fake) : undefined;
    const features = costly.feature ? { real: nets.features(input), fake: nets.features(g.fake) } : undefined;
    const s = scoreTensors(input, { ...g, latentO }, features, m.errorStats);
    return [s.latent, s['recon-top1'], s.ssim, s.feature, g.fake, s.diffMap, s['recon-z']];
  });
  try {
    // Awaited reads: a GPU backend cannot read synchronously in Node.
    const [latentValues, reconValues, ssimValues, featureValues, reconZValues, fakeValues, diffValues] = await Promise.all([
      latent.data(), recon.data(), ssim.data(), feature.data(), reconZ.data(), withMaps ? fake.data() : undefined, withMaps ? diff.data() : undefined,
    ]);
    const result: ScoreResult = {
      count,
      raw: {
        'recon-top1': reconValues as Float32Array,
        ssim: ssimValues as Float32Array,
        feature: featureValues as Float32Array,
        latent: latentValues as Float32Array,
        'recon-z': reconZValues as Float32Array,
        baseline: baselineScores(x, count, m.meanImage, m.nc),
      },
    };
    if (withMaps) {
      result.reconstructions = fakeValues as Float32Array;
      result.diffMaps = diffValues as Float32Array;
    }
    return result;
  } finally {
    tf.dispose([latent, recon, ssim, feature, fake, diff, reconZ]);
  }
}

/**
 * Every model kind's per-image score from one forward pass (call inside tf.tidy): what scoreBatch reports
 * and what validation reads off the passes it makes for its losses anyway. Without latentO latent is NaN,
 * without D's features feature is NaN, without error statistics recon-z is NaN. diffMap: |x - G(x)|
 * averaged over channels.
 */
export function scoreTensors(
  input: tf.Tensor4D, g: { fake: tf.Tensor4D; latentI: tf.Tensor4D; latentO?: tf.Tensor4D }, features?: { real: tf.Tensor4D; fake: tf.Tensor4D },
  errors?: ErrorStats,
): Record<ModelScoreKind, tf.Tensor1D> & { diffMap: tf.Tensor3D } {
  const [count, h, w] = input.shape;
  const notComputed = (): tf.Tensor1D => tf.fill([count], NaN) as tf.Tensor1D;
  const diffMap = tf.mean(tf.abs(tf.sub(input, g.fake)), 3) as tf.Tensor3D;
  return {
    // recon-z: the top 1 % of the error map as z-scores against the good parts' error at each pixel.
    'recon-z': errors
      ? topMeanPerImage(tf.div(tf.sub(diffMap, tf.tensor2d(errors.mean, [h, w])), tf.tensor2d(errors.scale, [h, w])) as tf.Tensor3D)
      : notComputed(),
    latent: g.latentO ? tf.mean(tf.squaredDifference(g.latentI, g.latentO), [1, 2, 3]) as tf.Tensor1D : notComputed(),
    'recon-top1': topMeanPerImage(diffMap),
    ssim: topMeanPerImage(dssimMap(input, g.fake)),
    feature: features ? tf.mean(tf.squaredDifference(features.real, features.fake), [1, 2, 3]) as tf.Tensor1D : notComputed(),
    diffMap,
  };
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
