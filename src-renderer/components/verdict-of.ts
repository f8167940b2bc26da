// The verdict on a model's metrics (shared/verdict), with how sure the lead is on these parts.
import { baselineVerdict, type MetricsResult, type Verdict } from '../api/client';

export function verdictOf(m: MetricsResult): Verdict | null {
  if (m.auroc === null || !m.baseline) return null;
  const { low, high } = m.baseline.lead;
  return baselineVerdict(m.auroc, m.baseline.auroc, {
    interval: { low: low ?? NaN, high: high ?? NaN, defective: m.positives, good: m.negatives },
  });
}
