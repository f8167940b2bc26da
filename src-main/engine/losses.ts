// GANomaly losses, named after the paper: errG = wAdv*errGAdv + wCon*errGCon + wEnc*errGEnc, errD = BCE.
import * as tf from '@tensorflow/tfjs';

export interface LossWeights { wAdv: number; wCon: number; wEnc: number }

export interface GeneratorLoss {
  errG: tf.Scalar;
  /** L2 between the discriminator's features of real and fake images (feature matching). */
  errGAdv: tf.Scalar;
  /** L1 between the image and its reconstruction. */
  errGCon: tf.Scalar;
  /** L2 between the latent code of the image and that of its reconstruction. */
  errGEnc: tf.Scalar;
}

export function l1(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(a, b))) as tf.Scalar);
}

export function l2(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.squaredDifference(a, b)) as tf.Scalar);
}

const LOG_CLAMP = -100;
const CLAMP_BELOW = Math.exp(LOG_CLAMP);

/**
 * log(x) clamped at -100, as PyTorch's BCELoss does. Unlike clipping the probability, the gradient stays
 * the true 1/x wherever the log is above the clamp, so a saturated discriminator still learns; below it
 * the gradient is 0 (written by hand: the automatic one would be 0 * 1/0 = NaN at x = 0).
 */
export const clampedLog: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  (args[1] as tf.GradSaveFunc)([x]);
  return {
    value: tf.maximum(tf.log(x), LOG_CLAMP),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.where(tf.greater(saved[0], CLAMP_BELOW), tf.div(dy, saved[0]), tf.zerosLike(dy)),
  };
}) as (x: tf.Tensor) => tf.Tensor;

/** Binary cross-entropy of probabilities against a constant target (0 or 1), computed like PyTorch's BCELoss. */
export function bce(prob: tf.Tensor, target: 0 | 1): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(clampedLog(target === 1 ? prob : tf.sub(1, prob)))) as tf.Scalar);
}

export function generatorLoss(
  t: { real: tf.Tensor; fake: tf.Tensor; featReal: tf.Tensor; featFake: tf.Tensor; latentI: tf.Tensor; latentO: tf.Tensor },
  w: LossWeights,
): GeneratorLoss {
  const errGAdv = l2(t.featReal, t.featFake);
  const errGCon = l1(t.fake, t.real);
  const errGEnc = l2(t.latentI, t.latentO);
  const errG = tf.tidy(() => tf.addN([tf.mul(errGAdv, w.wAdv), tf.mul(errGCon, w.wCon), tf.mul(errGEnc, w.wEnc)]) as tf.Scalar);
  return { errG, errGAdv, errGCon, errGEnc };
}

/**
 * The discriminator should say 1 for real images and 0 for reconstructions. The mean of the two terms, as
 * the reference code computes it (the paper writes their sum): half the gradient, and the re-initialisation
 * threshold (errD < 1e-5) reads the same number the reference reads.
 */
export function discriminatorLoss(probReal: tf.Tensor, probFake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mul(tf.add(bce(probReal, 1), bce(probFake, 0)), 0.5) as tf.Scalar);
}
