// Whether a model's ranking earns its place on labelled parts: its AUROC against the model-free baseline's on
// the same parts, in words, and whether that many parts settle it. One rule for `eval`, the Metrics screen and
// the report. Pure: no imports but names.
import type { LeadInterval } from './auroc-lead';

/** A lead this large is a clear one (the quality issue's bar); less is called narrow. */
export const CLEAR_LEAD = 0.05;

export type VerdictKind = 'clear' | 'narrow' | 'trails';

export interface Verdict {
  kind: VerdictKind;
  /** The model's AUROC minus the baseline's. */
  lead: number;
  /** Whether the parts settle which of the two ranks better (the lead's 95 % interval leaves out 0); null when not known. */
  settled: boolean | null;
  /** One or two sentences for the user. */
  text: string;
}

const f3 = (v: number): string => v.toFixed(3);
/** A lead as the verdict writes it: sign and three decimals ("+0.181", "−0.036"). */
export const signedLead = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;

export interface VerdictContext {
  /** The baseline normalised per pixel (whole-image models), when known: a model that trails it sees nothing
   *  that per-pixel statistics of good parts would not, which is said too. */
  normalised?: number | null;
  /** The lead's 95 % interval over these parts (shared/auroc-lead) and how many of each class there are:
   *  on a handful of parts a lead of any size can be chance, which is said too. */
  interval?: Pick<LeadInterval, 'low' | 'high'> & { defective: number; good: number };
}

const count = (n: number, what: string): string => `${n} ${what} part${n === 1 ? '' : 's'}`;

export function baselineVerdict(model: number, baseline: number, context: VerdictContext = {}): Verdict {
  const { normalised, interval } = context;
  // Rounded so that 0.850 against 0.800 (0.04999… in floating point) is the clear lead it reads as.
  const lead = Math.round((model - baseline) * 1e9) / 1e9;
  const figures = `AUROC ${f3(model)} against ${f3(baseline)} (${signedLead(lead)})`;
  let kind: VerdictKind;
  let text: string;
  if (lead >= CLEAR_LEAD) {
    kind = 'clear';
    text = `The model ranks these parts clearly better than the model-free baseline: ${figures}.`;
  } else if (lead > 0) {
    kind = 'narrow';
    text = `The model is only narrowly ahead of the model-free baseline: ${figures}; it adds little to comparing each part with the average good part.`;
  } else {
    kind = 'trails';
    text = `The model-free baseline ranks these parts at least as well as the model: ${figures}. On these parts the model sees no more than a comparison with the average good part.`;
  }
  if (normalised != null && Number.isFinite(normalised) && normalised >= model) {
    text += ` The baseline normalised per pixel reaches ${f3(normalised)}: per-pixel statistics of good parts do as well without a model.`;
  }
  let settled: boolean | null = null;
  if (interval) {
    settled = interval.low > 0 || interval.high < 0;
    const parts = `${count(interval.defective, 'defective')} and ${count(interval.good, 'good')}`;
    if (!Number.isFinite(interval.low) || !Number.isFinite(interval.high)) {
      text += ` With ${parts} this settles nothing: label or review more of them.`;
    } else if (!settled) {
      text += ` With ${parts} this is not settled: the lead's 95 % interval runs from ${signedLead(interval.low)} to ${signedLead(interval.high)}, so either could rank better; label or review more parts to tell.`;
    }
  }
  return { kind, lead, settled, text };
}
