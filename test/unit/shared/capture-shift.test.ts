import { describe, expect, it } from 'vitest';
import { captureShiftWarning, differsAsAWhole, mostlyShifted, shiftedLotsWarning, warnedKinds } from '../../../src-main/shared/capture-shift';

describe('capture shift per group of parts', () => {
  it('calls a group shifted when more than half of its parts differ as a whole, never when the model cannot tell', () => {
    expect(mostlyShifted(2, 3)).toBe(true);
    expect(mostlyShifted(2, 4)).toBe(false); // half is not most
    expect(mostlyShifted(0, 0)).toBe(false);
    expect(mostlyShifted(null, 3)).toBe(false);
    expect(differsAsAWhole(0.81, 0.8)).toBe(true);
    expect(differsAsAWhole(0.8, 0.8)).toBe(false);
    expect(differsAsAWhole(null, 0.8)).toBe(false); // scored before shifts were kept
  });

  it('names the lots most of whose parts differ, without labels', () => {
    expect(shiftedLotsWarning([{ name: '/line/lot-b', shifted: 2, parts: 3 }, { name: '/line/lot-a', shifted: 1, parts: 3 }]))
      .toBe('/line/lot-b (2 of 3): most parts differ from the good parts as a whole, not only at one spot. Another camera, ' +
        'lighting or part type? Check the capture before reading its flags as defects.');
    expect(shiftedLotsWarning([{ name: 'a', shifted: 3, parts: 3 }, { name: 'b', shifted: 2, parts: 3 }])).toMatch(/^a \(3 of 3\); b \(2 of 3\): .*these lots' flags/);
    expect(shiftedLotsWarning([{ name: 'a', shifted: null, parts: 3 }])).toBeNull();
    expect(shiftedLotsWarning([{ name: 'a', shifted: 1000, parts: 1234 }])).toMatch(/^a \(1,000 of 1,234\): /); // as the screens count
  });

  it('warns first about good parts captured unlike the training images, else names the defective groups that differ', () => {
    const good = (shifted: number | null) => ({ shifted, parts: 25 });
    const defective = { shifted: 48, parts: 82 };
    const kinds = [{ kind: 'contamination', shifted: 28, parts: 28 }, { kind: 'cut', shifted: 18, parts: 27 }, { kind: 'hole', shifted: 2, parts: 27 }];
    // The tyre's test parts: the good ones too, so every figure compares two captures.
    expect(captureShiftWarning(good(22), defective, kinds)).toMatch(/^22 of 25 good parts differ from the good parts held out of training as a whole.*train on good parts of this capture\.$/);
    expect(captureShiftWarning(good(1), defective, kinds)).toBe('contamination (28 of 28); cut (18 of 27): most of these parts differ from the good ' +
      'parts as a whole, not only at one spot, while the good parts do not. Photographed another way or on another day? Then their ' +
      'AUROCs may measure the capture rather than the defect.');
    expect(captureShiftWarning(good(1), defective, kinds.slice(1))).toMatch(/^cut \(18 of 27\): .* Then its AUROC may measure/);
    expect(captureShiftWarning(good(1), defective, kinds.slice(2))).toBeNull();
    // Without kinds the defective parts are one group; a kind of no name has one.
    expect(captureShiftWarning(good(1), defective)).toMatch(/^defective parts \(48 of 82\): most/);
    expect(captureShiftWarning(good(1), defective, [{ kind: null, shifted: 3, parts: 4 }])).toMatch(/^defective parts of no kind \(3 of 4\): most/);
    expect(captureShiftWarning(good(null), { shifted: null, parts: 9 })).toBeNull();
    // The kinds it names, for a caller that would otherwise warn of them again (eval): none while the good parts differ.
    expect(warnedKinds(good(1), kinds).map((k) => k.kind)).toEqual(['contamination', 'cut']);
    expect(warnedKinds(good(22), kinds)).toEqual([]);
  });
});
