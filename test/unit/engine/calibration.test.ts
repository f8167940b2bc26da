import { describe, expect, it } from 'vitest';
import { DeviationStatsSum, MeanImage, baselineScores, normalisedDeviations, topCount, topMean } from '../../../src-main/engine/baseline';
import { buildCalibration, calibratedScore, FAR_OUT, farOutLimit, percentileOf, scoreStats } from '../../../src-main/engine/calibration';

describe('calibration', () => {
  it('robust statistics by hand', () => {
    const s = scoreStats([5, 1, 3, 2, 100]);
    expect(s.sorted).toEqual([1, 2, 3, 5, 100]);
    expect(s.median).toBe(3);
    expect(s.mad).toBe(2); // |x - 3| = 2, 1, 0, 2, 97 -> median 2
    expect(s.mean).toBe(22.2);
    expect(calibratedScore(3 + 1.4826 * 2 * 2, s)).toBeCloseTo(2, 12);
    expect(calibratedScore(3, s)).toBe(0);
    // Far out: a calibrated 3, which the one odd value (100) does not move as it moves the largest.
    expect(farOutLimit(s)).toBeCloseTo(3 + 3 * 1.4826 * 2, 12);
    expect(calibratedScore(farOutLimit(s), s)).toBeCloseTo(FAR_OUT, 12);
    expect(farOutLimit(scoreStats([5, 1, 3, 2, 7]))).toBe(farOutLimit(s));
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
    // The same number as the mean of a sorted copy's top k, summed smallest first, on maps with ties and infinities.
    let seed = 7;
    const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    for (let t = 0; t < 400; t++) {
      const map = Float32Array.from({ length: 1 + Math.floor(rnd() * 2000) }, () => [rnd(), Math.floor(rnd() * 4), rnd() < 0.5 ? -Infinity : -rnd()][t % 3]);
      const k = topCount(map.length);
      const sorted = Float32Array.from(map).sort().subarray(map.length - k);
      expect(topMean(map)).toBe(sorted.reduce((a, x) => a + x, 0) / k);
    }
    v[5] = NaN;
    expect(topMean(v)).toBeNaN();
    // two channels, 1 pixel: channel-mean distance
    const s = baselineScores(Float32Array.from([1, -1, 0.5, 0.5]), 2, Float32Array.from([0, 0]), 2);
    expect(Array.from(s)).toEqual([1, 0.5]);
  });

  it('normalised per pixel: |x - mean image| against the training images\' per-pixel mean and floored spread', () => {
    // 4 pixels, 1 channel, mean image 0. Training deviations: pixel 0 always 0.5 (no spread), pixel 1 0.2 / 0.6,
    // pixel 2 0 / 0.2, pixel 3 0.1 / 0.3.
    const mean = new Float32Array(4);
    const sum = new DeviationStatsSum(mean, 1);
    expect(() => sum.result(0.5)).toThrow(/at least 2 training images/);
    sum.add(Float32Array.from([0.5, 0.2, 0, -0.1, -0.5, -0.6, 0.2, 0.3]), 2);
    expect(() => sum.add(new Float32Array(3), 1)).toThrow(/expected 1 x 4/);
    const st = sum.result(0.5);
    [0.5, 0.4, 0.1, 0.2].forEach((v, p) => expect(st.mean[p]).toBeCloseTo(v, 6));
    // Spreads 0, 0.2, 0.1, 0.1: median (the upper middle) 0.1, floor 0.05; pixel 0's spread is floored.
    [0.05, 0.2, 0.1, 0.1].forEach((v, p) => expect(st.scale[p]).toBeCloseTo(v, 6));
    // A test image off by 0.6 at pixel 0 and as usual elsewhere: z = (0.6 - 0.5) / 0.05 = 2 there, the top 1 % (one pixel).
    const d = normalisedDeviations(Float32Array.from([0.6, 0.4, 0.1, 0.2]), 1, mean, 1, st);
    expect(d.top[0]).toBeCloseTo(2, 5);
    // Its median (the upper middle of 2, 0, 0, 0) is 0: a rule blind to one odd pixel.
    expect(d.median[0]).toBeCloseTo(0, 5);
    // The plain baseline ranks the same image by its largest deviation, wherever it is usual.
    expect(baselineScores(Float32Array.from([0.6, 0.4, 0.1, 0.2]), 1, mean, 1)[0]).toBeCloseTo(0.6, 6);
    expect(() => normalisedDeviations(new Float32Array(3), 1, mean, 1, st)).toThrow(/3 values for 1 images/);
  });
});
