// How sure a lead in AUROC is, when two scores rank the same parts: DeLong, DeLong & Clarke-Pearson (1988),
// the standard test for two correlated ROC curves. Each part's "structural component" (the share of the
// other class it outranks) gives the variance of each AUROC and their covariance in O(n log n), with no
// resampling, so the same parts always give the same interval. Pure: imports only shared/truth (the renderer
// shows it; the main side and `eval` compute it).
import { lowerBound, upperBound } from './truth';

/** A lead's 95 % interval; NaN bounds when a class has fewer than 2 parts (no variance to estimate). */
export interface LeadInterval { lead: number; low: number; high: number }

const Z95 = 1.959964;

/** Sorted copy. */
const sortedOf = (v: readonly number[]): Float64Array => Float64Array.from(v).sort();

/** Number of values in `asc` below `x`, and equal to it. */
function below(asc: Float64Array, x: number): { less: number; equal: number } {
  const less = lowerBound(asc, x);
  return { less, equal: upperBound(asc, x) - less };
}

/** Each defective part's share of good parts it outranks (V10), and each good part's share of defective parts that outrank it (V01). */
function components(pos: readonly number[], neg: readonly number[]): { v10: Float64Array; v01: Float64Array } {
  const negAsc = sortedOf(neg);
  const posAsc = sortedOf(pos);
  const v10 = Float64Array.from(pos, (x) => { const b = below(negAsc, x); return (b.less + b.equal / 2) / neg.length; });
  const v01 = Float64Array.from(neg, (y) => { const b = below(posAsc, y); return (pos.length - b.less - b.equal + b.equal / 2) / pos.length; });
  return { v10, v01 };
}

const mean = (v: Float64Array): number => v.reduce((s, x) => s + x, 0) / v.length;

/** Sample covariance of two equally long series. */
function cov(a: Float64Array, b: Float64Array): number {
  const ma = mean(a);
  const mb = mean(b);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - ma) * (b[i] - mb);
  return s / (a.length - 1);
}

/**
 * AUROC of `a` minus AUROC of `b` over the same parts (`defective[i]` true for a defective part), with the
 * 95 % interval of that difference.
 */
export function aurocLead(a: readonly number[], b: readonly number[], defective: readonly boolean[]): LeadInterval {
  const split = (s: readonly number[]) => ({ pos: s.filter((_, i) => defective[i]), neg: s.filter((_, i) => !defective[i]) });
  const sa = split(a);
  const sb = split(b);
  const ca = components(sa.pos, sa.neg);
  const cb = components(sb.pos, sb.neg);
  const lead = mean(ca.v10) - mean(cb.v10);
  const m = sa.pos.length;
  const n = sa.neg.length;
  if (m < 2 || n < 2) return { lead, low: NaN, high: NaN };
  const variance = (cov(ca.v10, ca.v10) + cov(cb.v10, cb.v10) - 2 * cov(ca.v10, cb.v10)) / m
    + (cov(ca.v01, ca.v01) + cov(cb.v01, cb.v01) - 2 * cov(ca.v01, cb.v01)) / n;
  const half = Z95 * Math.sqrt(Math.max(0, variance));
  return { lead, low: lead - half, high: lead + half };
}
