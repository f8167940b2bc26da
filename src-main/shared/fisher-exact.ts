// Fisher's exact test, one-sided: how likely a group of parts holds at least this many flagged ones when the
// flags fall at random over it and the rest (the hypergeometric upper tail). Exact at any count, a lot of a few
// parts included, where a p-chart's normal approximation is not. Pure: no imports.

// Lanczos approximation of ln Γ (g = 7, 9 terms): relative error below 1e-15 for the arguments used here.
const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** ln Γ(x) for x ≥ 1 (here always a count plus one). */
function logGamma(x: number): number {
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const logChoose = (n: number, k: number): number => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);

/**
 * P(X ≥ k) for X the flagged parts among `n` drawn from `total` parts of which `flagged` are flagged: the
 * one-sided p-value that a group of `n` parts with `k` flagged flags more than the rest.
 */
export function upperTail(k: number, n: number, flagged: number, total: number): number {
  const low = Math.max(0, n + flagged - total);
  const high = Math.min(n, flagged);
  if (k <= low) return 1;
  if (k > high) return 0;
  const all = logChoose(total, n);
  let p = 0;
  for (let i = k; i <= high; i++) {
    const term = Math.exp(logChoose(flagged, i) + logChoose(total - flagged, n - i) - all);
    p += term;
    // Past the mode the terms only shrink, faster than geometrically: the rest no longer counts.
    if (term < p * 1e-17) break;
  }
  return Math.min(1, p);
}
