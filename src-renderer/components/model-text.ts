// How a model is described in words, on every screen that lists or reports one.
import { leftOutOrNone, regionOrNull, regionSpans, type GanomalyOptions, type ThresholdSource } from '../api/client';

/** A short line describing a model's options, e.g. "32 px · 15 epochs · batch 64 · nz 100". */
export function optionsLine(o: Partial<GanomalyOptions>): string {
  const parts: string[] = [];
  if (o.isize !== undefined) parts.push(`${o.isize} px`);
  if (o.epochs !== undefined) parts.push(`${o.epochs} epoch${o.epochs === 1 ? '' : 's'}`);
  if (o.batchSize !== undefined) parts.push(`batch ${o.batchSize}`);
  if (o.nz !== undefined) parts.push(`nz ${o.nz}`);
  if (o.wAdv !== undefined) parts.push(`w ${o.wAdv}/${o.wCon}/${o.wEnc}`);
  if (o.seed !== undefined) parts.push(`seed ${o.seed}`);
  const region = regionOrNull(o.region);
  if (region) parts.push(`region ${regionSpans(region)}`);
  const areas = leftOutOrNone(o.leaveOut).length;
  if (areas) parts.push(`${areas} area${areas === 1 ? '' : 's'} left out`);
  return parts.join(' · ');
}

/** How the model looks at an image: "whole image" or "patches at 1/3.91 scale" (crop option resolved). */
export function cropText(patchScale: number | null | undefined, isize?: number | null): string {
  if (patchScale == null) return 'whole image';
  const native = isize ? ` (${Math.round(isize * patchScale)} px of the original each)` : '';
  return `patches at 1/${+patchScale.toFixed(2)} scale${native}`;
}

// The store calls a trained model 'ready'; 'done' is accepted too so job-style statuses work.
export const isReady = (status: string): boolean => status === 'ready' || status === 'done';

/** A kind of defect as the Metrics table and the report name it (null: no folder named one). */
export function defectKindName(kind: string | null): string {
  return kind ?? 'no kind (an ng/defect folder, or reviewed defect)';
}

/** How a saved threshold was chosen, in the Threshold screen's own words. */
export function thresholdSourceText(source: ThresholdSource): string {
  return { manual: 'set by hand', 'best-f1': 'best F1', percentile: 'percentile of validation', recall: 'catch known defects' }[source];
}
