// Structural dissimilarity (Wang et al. 2004 SSIM; used for defect maps by Bergmann et al. 2019): compares
// local means, contrasts and correlation instead of raw pixel values, so a part that is a little brighter
// or a texture that is reproduced with a small shift does not dominate the score the way |x - G(x)| does.
import * as tf from '@tensorflow/tfjs';

/** Side of the square (uniform) window; 7 is the usual choice at the small sides this model sees. */
export const SSIM_WINDOW = 7;
// The SSIM paper's constants (K1 0.01, K2 0.03) for a dynamic range L = 2 (images are in [-1, 1]).
export const SSIM_C1 = (0.01 * 2) ** 2;
export const SSIM_C2 = (0.03 * 2) ** 2;

/**
 * Per-window dissimilarity 1 - SSIM(x, y), averaged over channels: [B, H - w + 1, W - w + 1], in [0, 2]
 * (0 = identical structure). x, y: NHWC in [-1, 1]. 'valid' windows only, so no padding invents structure
 * at the border. Call inside tf.tidy (returns a tensor).
 */
export function dssimMap(x: tf.Tensor4D, y: tf.Tensor4D, window = SSIM_WINDOW): tf.Tensor3D {
  // SSIM is defined on intensities in [0, L]: shifted from [-1, 1] to [0, 2], or the luminance term
  // (2 mu_a mu_b + C1) / (mu_a^2 + mu_b^2 + C1) would collapse for any shift of a mid-grey region.
  const a = tf.add(x, 1) as tf.Tensor4D;
  const b = tf.add(y, 1) as tf.Tensor4D;
  const [, h, w] = a.shape;
  const k = Math.min(window, h, w);
  const mean = (t: tf.Tensor4D): tf.Tensor4D => tf.avgPool(t, k, 1, 'valid');
  const muA = mean(a);
  const muB = mean(b);
  const varA = tf.sub(mean(tf.mul(a, a)), tf.mul(muA, muA));
  const varB = tf.sub(mean(tf.mul(b, b)), tf.mul(muB, muB));
  const cov = tf.sub(mean(tf.mul(a, b)), tf.mul(muA, muB));
  const num = tf.mul(tf.add(tf.mul(2, tf.mul(muA, muB)), SSIM_C1), tf.add(tf.mul(2, cov), SSIM_C2));
  const den = tf.mul(tf.add(tf.add(tf.mul(muA, muA), tf.mul(muB, muB)), SSIM_C1), tf.add(tf.add(varA, varB), SSIM_C2));
  return tf.mean(tf.sub(1, tf.div(num, den)), 3) as tf.Tensor3D;
}
