// The model's synthetic-defect figure as the models table shows it.

/** "0.931 (baseline 0.712)": the model's own kind on validation images with pasted synthetic defects. */
export function syntheticLine(v: Record<string, unknown> | null, scoreKind: string): string {
  const auroc = (v?.synthetic as { auroc?: Record<string, number> } | null | undefined)?.auroc;
  const own = auroc?.[scoreKind];
  if (typeof own !== 'number') return '—';
  return typeof auroc?.baseline === 'number' ? `${own.toFixed(3)} (baseline ${auroc.baseline.toFixed(3)})` : own.toFixed(3);
}
