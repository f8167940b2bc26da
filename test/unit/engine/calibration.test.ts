import { describe, expect, it } from 'vitest';
import { MeanImage, baselineScores, topCount, topMean } from '../../../src-main/engine/baseline';
import { buildCalibration, calibratedScore, percentileOf, scoreStats } from '../../../src-main/engine/calibration';

describe('calibration', () => {
  it('robust statistics by hand', () => {
    const s = scoreStats([5, 1, 3, 2, 100]);
    expect(s.sorted).toEqual([1, 2, 3, 5, 100]);
    expect(s.median).toBe(3);
    expect(s.mad).toBe(2); // |x - 3| = 2, 1, 0, 2, 97 -> median 2
    expect(s.mean).toBe(22.2);
    expect(calibratedScore(3 + 1.4826 * 2 * 2, s)).toBeCloseTo(2, 12);
    expect(calibratedScore(3, s)).toBe(0);
  });

  it('percentile within the validation distribution, ties half', () => {
    const s = scoreStats([1, 2, 2, 3]);
    expect(percentileOf(0, s)).toBe(0);
    expect(percentileOf(2, s)).toBe(50); // one below, two tied
    expect(percentileOf(2.5, s)).toBe(75);
    expect(percentileOf(9, s)).toBe(100);
  });

  it('zero spread falls back instead of dividing by zero; empty input is refused', () => {
    expect(calibratedScore(2, scoreStats([1, 1, 1]))).toBe(1);
    expect(() => scoreStats([])).toThrow(/no validation scores/);
    expect(() => buildCalibration({ 'recon-top1': [1], ssim: [1], feature: [1], latent: [1, NaN], 'recon-z': [1], baseline: [1] })).toThrow(/not finite/);
    // A kind not computed at all (NaN throughout) gets no entry rather than an error.
    expect(Object.keys(buildCalibration({ 'recon-top1': [1], ssim: [1], feature: [1], latent: [1], 'recon-z': [NaN, NaN], baseline: [1] })))
      .toEqual(['recon-top1', 'ssim', 'feature', 'latent', 'baseline']);
  });
});

describe('baseline', () => {
  it('mean image and top-1% distance', () => {
    const m = new MeanImage(4);
    m.add(Float32Array.from([0, 0, 0, 0, 1, 1, 1, 1]), 2);
    expect(Array.from(m.result())).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(() => m.add(new Float32Array(3), 1)).toThrow(/expected 1 x 4/);
    expect(topCount(1024)).toBe(11);
    expect(topCount(10)).toBe(1);
    const v = new Float32Array(200).fill(0);
    v[3] = 4;
    v[7] = 2;
    expect(topMean(v)).toBe(3); // top 2 of 200
    // two channels, 1 pixel: channel-mean distance
    const s = baselineScores(Float32Array.from([1, -1, 0.5, 0.5]), 2, Float32Array.from([0, 0]), 2);
    expect(Array.from(s)).toEqual([1, 0.5]);
  });
});
