import { describe, expect, it } from 'vitest';
import { baselineVerdict, CLEAR_LEAD } from '../../../src-main/shared/verdict';

describe('the verdict against the model-free baseline', () => {
  it('calls a lead of at least 0.05 clear, a smaller one narrow, and none or less trailing, with the figures', () => {
    const clear = baselineVerdict(0.943, 0.762);
    expect(clear).toMatchObject({ kind: 'clear' });
    expect(clear.lead).toBeCloseTo(0.181, 6);
    expect(clear.text).toBe('The model ranks these parts clearly better than the model-free baseline: AUROC 0.943 against 0.762 (+0.181).');
    expect(baselineVerdict(0.8 + CLEAR_LEAD, 0.8).kind).toBe('clear');
    expect(baselineVerdict(0.85, 0.8).kind).toBe('clear'); // 0.04999… in floating point
    expect(baselineVerdict(0.849, 0.8).kind).toBe('narrow');
    expect(baselineVerdict(0.849, 0.8).text).toMatch(/only narrowly ahead .*AUROC 0\.849 against 0\.800 \(\+0\.049\); it adds little/);
    expect(baselineVerdict(0.8, 0.8).kind).toBe('trails');
    const trails = baselineVerdict(0.86, 0.895);
    expect(trails.kind).toBe('trails');
    expect(trails.text).toMatch(/^The model-free baseline ranks these parts at least as well as the model: AUROC 0\.860 against 0\.895 \(−0\.035\)\./);
  });

  it('adds that per-pixel statistics do as well when the normalised baseline reaches the model', () => {
    // The tire at seed 0: recon-z 0.751, baseline 0.606, normalised 0.791.
    const tire = baselineVerdict(0.751, 0.606, { normalised: 0.791 });
    expect(tire.kind).toBe('clear');
    expect(tire.text).toMatch(/\+0\.145\)\. The baseline normalised per pixel reaches 0\.791: per-pixel statistics of good parts do as well/);
    expect(baselineVerdict(0.943, 0.762, { normalised: 0.804 }).text).not.toMatch(/normalised/);
    expect(baselineVerdict(0.943, 0.762, { normalised: null }).text).not.toMatch(/normalised/);
  });

  it('says when the parts are too few to settle the lead, whichever way it points', () => {
    const few = baselineVerdict(0.5, 0.667, { interval: { low: -0.62, high: 0.29, defective: 3, good: 2 } });
    expect(few).toMatchObject({ kind: 'trails', settled: false });
    expect(few.text).toMatch(/\(−0\.167\)\. On these parts .* With 3 defective parts and 2 good parts this is not settled: the lead's 95 % interval runs from −0\.620 to \+0\.290, so either could rank better; label or review more parts to tell\.$/);
    const sure = baselineVerdict(0.943, 0.762, { interval: { low: 0.12, high: 0.24, defective: 300, good: 500 } });
    expect(sure).toMatchObject({ kind: 'clear', settled: true });
    expect(sure.text).not.toMatch(/settle/);
    const one = baselineVerdict(1, 0, { interval: { low: NaN, high: NaN, defective: 1, good: 4 } });
    expect(one).toMatchObject({ settled: false });
    expect(one.text).toMatch(/With 1 defective part and 4 good parts this settles nothing: label or review more of them\.$/);
    expect(baselineVerdict(0.9, 0.7).settled).toBeNull();
  });
});
