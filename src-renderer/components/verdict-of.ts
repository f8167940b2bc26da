// What a model's metrics mean: the verdict against the baseline (shared/verdict), with how sure the lead is on
// these parts, and whether the parts were captured like the training images (shared/capture-shift).
import { baselineVerdict, captureShiftWarning, type MetricsResult, type Verdict } from '../api/client';

export function verdictOf(m: MetricsResult): Verdict | null {
  if (m.auroc === null || !m.baseline) return null;
  const { low, high } = m.baseline.lead;
  return baselineVerdict(m.auroc, m.baseline.auroc, {
    interval: { low: low ?? NaN, high: high ?? NaN, defective: m.positives, good: m.negatives },
  });
}

/** The capture-shift warning on these parts, by kind of defect when there are several; null: none, or the model cannot tell. */
export function shiftWarningOf(m: MetricsResult): string | null {
  if (!m.available || !m.shifted) return null;
  return captureShiftWarning({ shifted: m.shifted.good, parts: m.negatives }, { shifted: m.shifted.defective, parts: m.positives }, m.byDefectKind);
}
