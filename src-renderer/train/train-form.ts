// The training form: turning typed text into the options the contract accepts (with a message per bad
// field instead of a failed request).
import { coveringArea, formatLeftOut, formatRegion, leftOutOrNone, parseLeftOut, parseRegion, regionOrNull, type GanomalyOptions, type OptionField, type OptionsPatch } from '../api/client';

// The fields, their bounds and their help come from the engine's schema through `training.defaults`;
// checking them here only lets the user see a problem before sending.
export type FormValues = Record<string, string>;
/** What the form needs of `training.defaults`. */
export interface FormDefaults { options: Partial<GanomalyOptions>; fields: OptionField[] }

export function valuesFromOptions(options: Partial<GanomalyOptions>, fields: OptionField[]): FormValues {
  const out: FormValues = {};
  for (const f of fields) if (options[f.key] !== undefined) out[f.key] = String(options[f.key]);
  return out;
}

/** Why a typed value breaks the field's rule, or the value itself. */
function checkField(f: OptionField, raw: string): { error: string } | { value: string | number } {
  if (f.kind === 'region') {
    try {
      return { value: formatRegion(parseRegion(raw)) };
    } catch (e) {
      return { error: (e as Error).message.replace(/^region /, 'Region ') };
    }
  }
  if (f.kind === 'areas') {
    try {
      return { value: formatLeftOut(parseLeftOut(raw)) };
    } catch (e) {
      return { error: (e as Error).message.replace(/^left/, 'Left') };
    }
  }
  if (f.kind === 'choice') {
    const choice = f.choices?.find((c) => String(c) === raw);
    return choice === undefined ? { error: `Choose one of ${f.choices?.join(', ')}` } : { value: choice };
  }
  const word = f.kind === 'choiceOrNumber' ? f.choices?.find((c) => String(c) === raw) : undefined;
  if (word !== undefined) return { value: word };
  const n = Number(raw);
  if (!Number.isFinite(n)) return { error: f.kind === 'choiceOrNumber' ? `Enter ${f.choices?.join(', ')} or a number` : 'Enter a number' };
  if (f.kind === 'int' && !Number.isInteger(n)) return { error: 'Enter a whole number' };
  if (f.min !== undefined && n < f.min) return { error: `At least ${f.min}` };
  if (f.above !== undefined && n <= f.above) return { error: `More than ${f.above}` };
  if (f.max !== undefined && n > f.max) return { error: `At most ${f.max}` };
  if (f.below !== undefined && n >= f.below) return { error: `Less than ${f.below}` };
  if (f.multipleOf && n % f.multipleOf !== 0) return { error: `A multiple of ${f.multipleOf}` };
  return { value: n };
}

/** Parses the form; only fields that differ from the defaults are sent, so the engine's defaults stay the source. */
export function parseTrainForm(values: FormValues, defaults: FormDefaults): { options: OptionsPatch; errors: Record<string, string> } {
  const options: Record<string, string | number> = {};
  const errors: Record<string, string> = {};
  for (const f of defaults.fields) {
    const raw = (values[f.key] ?? '').trim();
    if (raw === '') continue;
    const r = checkField(f, raw);
    if ('error' in r) errors[f.key] = r.error;
    else if (defaults.options[f.key] !== r.value) options[f.key] = r.value;
  }
  // One rule across two fields: areas that leave nothing of the region.
  const covered = errors.leaveOut || errors.region ? null : coveringArea({ region: regionOrNull(values.region), leftOut: leftOutOrNone(values.leaveOut) });
  if (covered) errors.leaveOut = covered.replace(/^left/, 'Left');
  // Each value passed its field's own rule from the schema, so it is what the option takes.
  return { options: options as OptionsPatch, errors };
}
