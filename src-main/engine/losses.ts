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

/** Binary cross-entropy of probabilities against a constant target (0 or 1). */
export function bce(prob: tf.Tensor, target: 0 | 1): tf.Scalar {
  return tf.tidy(() => {
    // Clipped so a saturated discriminator gives a large finite loss instead of Infinity.
    const p = tf.clipByValue(prob, 1e-7, 1 - 1e-7);
    return tf.neg(tf.mean(target === 1 ? tf.log(p) : tf.log1p(tf.neg(p)))) as tf.Scalar;
  });
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

/** The discriminator should say 1 for real images and 0 for reconstructions. */
export function discriminatorLoss(probReal: tf.Tensor, probFake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.add(bce(probReal, 1), bce(probFake, 0)) as tf.Scalar);
}
