// Parts that differ from the good parts as a whole (each part's shift beyond the model's saved limit), counted per
// group: a lot on the Threshold screen, the good and the defective parts and each kind of defect on the Metrics
// screen and in the report. A group most of whose parts differ was most likely captured differently (camera,
// lighting, part type, another session), and figures on it measure the capture as much as the parts. One rule
// for every screen, and the warning under labelled figures (Metrics, the report). Pure: no imports.

/** More than this share of a group differing as a whole: the group was most likely captured differently. */
export const SHIFTED_SHARE = 0.5;

/** Whether one part differs as a whole: its shift beyond the model's limit (a part scored before shifts were kept does not). */
export const differsAsAWhole = (shift: number | null | undefined, limit: number): boolean =>
  shift !== null && shift !== undefined && shift > limit;

/** shifted: how many of the group's parts differ as a whole; null when the model cannot tell (patch models, older models). */
export const mostlyShifted = (shifted: number | null, parts: number): boolean =>
  shifted !== null && parts > 0 && shifted > SHIFTED_SHARE * parts;

/** A group of parts: how many of them differ as a whole (null: the model cannot tell). */
export interface ShiftCount { shifted: number | null; parts: number }
export interface ShiftGroup extends ShiftCount { name: string }

/**
 * The warning under labelled figures, or null: the good parts first (when they differ from the training images'
 * held-out share, every figure compares two captures), else the defective parts, by kind when there are kinds,
 * that mostly differ (their AUROC may measure how they were photographed rather than the defect).
 */
export function captureShiftWarning(good: ShiftCount, defective: ShiftCount, kinds: Array<ShiftCount & { kind: string | null }> = []): string | null {
  if (goodPartsShifted(good)) {
    return `${count(good.shifted)} of ${count(good.parts)} good parts differ from the good parts held out of training as a whole, not only at one spot: ` +
      'they were captured unlike the training images (another camera, lighting or session?). Every figure here then ' +
      'compares two captures as much as good and defective parts; train on good parts of this capture.';
  }
  const differing = kinds.length ? warnedKinds(good, kinds).map((k) => ({ ...k, name: k.kind ?? 'defective parts of no kind' }))
    : [{ ...defective, name: 'defective parts' }].filter((g) => mostlyShifted(g.shifted, g.parts));
  if (!differing.length) return null;
  return `${named(differing)}: most of these parts differ from the good parts as a whole, not only at one spot, while ` +
    'the good parts do not. Photographed another way or on another day? Then ' +
    `${differing.length > 1 ? 'their AUROCs' : 'its AUROC'} may measure the capture rather than the defect.`;
}

const goodPartsShifted = (good: ShiftCount): boolean => mostlyShifted(good.shifted, good.parts);

/** The kinds of defect captureShiftWarning names (none when it warns of the good parts instead). */
export function warnedKinds<K extends ShiftCount & { kind: string | null }>(good: ShiftCount, kinds: K[]): K[] {
  return goodPartsShifted(good) ? [] : kinds.filter((k) => mostlyShifted(k.shifted, k.parts));
}

/** The warning for lots (imports, a scored folder) most of whose parts differ as a whole, or null: no labels needed. */
export function shiftedLotsWarning(lots: ShiftGroup[]): string | null {
  const differing = lots.filter((g) => mostlyShifted(g.shifted, g.parts));
  if (!differing.length) return null;
  return `${named(differing)}: most parts differ from the good parts as a ` +
    'whole, not only at one spot. Another camera, lighting or part type? Check the capture before reading ' +
    `${differing.length > 1 ? 'these lots\'' : 'its'} flags as defects.`;
}

/** Counts as the screens show them: 1,234. */
const count = (n: number | null): string => (n ?? 0).toLocaleString('en-US');

/** "contamination (28 of 28); cut (18 of 27)". */
const named = (groups: ShiftGroup[]): string => groups.map((g) => `${g.name} (${count(g.shifted)} of ${count(g.parts)})`).join('; ');
