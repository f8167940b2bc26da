import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src-main/engine/backends/select';
import {
  hashFileList, loadCheckpoint, loadModel, readModelMeta, saveCheckpoint, saveModel,
} from '../../../src-main/engine/checkpoint';
import { FoldedNets } from '../../../src-main/engine/folded-nets';
import { scoreBatch } from '../../../src-main/engine/scoring';
import { DeviationStatsSum, normalisedDeviations } from '../../../src-main/engine/baseline';
import { SPREAD_FLOOR } from '../../../src-main/engine/error-stats';
import { farOutLimit, scoreStats } from '../../../src-main/engine/calibration';
import { disposeNets } from '../../../src-main/engine/train-step';
import {
  epochsWithoutImprovement, splitIndices, train, validate, type TrainProgress,
} from '../../../src-main/engine/trainer';
import { batchesOf } from '../../../src-main/engine/random';
import { parseOptions, SCORE_KINDS } from '../../../src-main/engine/options';
import { makeParts, partsImageSet } from '../../fixtures/synthetic-parts';
import type { ImageSet } from '../../../src-main/engine/image-set';

const options = { nz: 8, ngf: 8, ndf: 8, batchSize: 8, epochs: 2, seed: 7, validationFraction: 0.2 };
const parts = makeParts({ count: 30, isize: 16, seed: 4 });
let dir: string;

beforeAll(async () => {
  await selectBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'engine-trainer-'));
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const recording = (set: ImageSet) => {
  const loads: number[][] = [];
  return { loads, set: { ...set, load: (idx: number[]) => { loads.push(idx.slice()); return set.load(idx); } } };
};

describe('trainer', () => {
  it('splits by seed and batches without a lone image', async () => {
    const s = splitIndices(30, 0.2, 7);
    expect(s.validation).toHaveLength(6);
    expect(new Set([...s.train, ...s.validation]).size).toBe(30);
    expect(splitIndices(30, 0.2, 7)).toEqual(s);
    expect(splitIndices(30, 0.2, 8)).not.toEqual(s);
    expect(batchesOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4, 5]]);
    expect(() => splitIndices(2, 0.1, 0)).toThrow(/at least 2 training images/);
  });

  it('trains, validates on held-out images only, reports progress, leaks nothing, and is seeded', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const { loads, set } = recording(partsImageSet(parts));
    const events: TrainProgress[] = [];
    const r = await train({ set, options, onProgress: (p) => events.push(p) });
    const { snapshot: s } = r;
    expect(s.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(s.bestEpoch).toBe(s.history.reduce((b, h) => (h.validation.errGCon < b.validation.errGCon ? h : b)).epoch);
    const val = new Set(s.split.validation);
    // Every load is a training batch or a validation batch, never a mix; validation is read once per epoch
    // and once more with the kept weights, for the synthetic-defect check that picks the 'auto' score kind and
    // whose good images calibrate (recon-z included: its per-pixel error statistics come from training images only).
    const valLoads = loads.filter((l) => l.every((i) => val.has(i)));
    expect(loads.every((l) => l.every((i) => val.has(i)) || l.every((i) => !val.has(i)))).toBe(true);
    expect(valLoads.flat().sort((a, b) => a - b)).toEqual([...s.split.validation, ...s.split.validation, ...s.split.validation]
      .sort((a, b) => a - b));
    expect(s.errorStats?.mean).toHaveLength(256);
    expect(s.errorStats!.scale.every((v) => v > 0)).toBe(true);
    // The normalised baseline's statistics come from the same training images: |x - mean image| per pixel.
    const deviations = new DeviationStatsSum(s.meanImage, 1);
    deviations.add(await partsImageSet(parts).load(s.split.train), s.split.train.length);
    expect(s.deviationStats).toEqual(deviations.result(SPREAD_FLOOR));
    // The capture-shift limit: where the held-out validation images' median normalised deviations reach a
    // calibrated 3, from the synthetic check's read of them (no extra pass: the loads above count three).
    const val0 = await partsImageSet(parts).load(s.split.validation);
    const shifts = normalisedDeviations(val0, s.split.validation.length, s.meanImage, 1, s.deviationStats!).median;
    expect(s.shiftLimit).toBe(farOutLimit(scoreStats(shifts)));
    expect(s.shiftLimit).toBeGreaterThan(scoreStats(shifts).median);
    expect(s.calibration?.['recon-z']?.count).toBe(6);
    expect(s.synthetic).toMatchObject({ good: 6, defective: 12 });
    expect(['recon-top1', 'ssim', 'feature', 'latent', 'recon-z']).toContain(s.synthetic?.best);
    expect(events[0]).toMatchObject({ phase: 'planning', message: 'batch of 8 images per step' });
    const trainEvents = events.filter((e) => e.phase === 'training');
    expect(trainEvents).toHaveLength(2 * 3);
    expect(trainEvents[2]).toMatchObject({ epoch: 1, batch: 3, batches: 3, epochs: 2 });
    expect(trainEvents[2].imagesPerSecond).toBeGreaterThan(0);
    // The ETA counts steps and validations (timed from the second step on): it falls, and after the last
    // step only the last validation is left.
    expect(trainEvents[0].etaSeconds).toBeNaN();
    expect(trainEvents[5].etaSeconds).toBeGreaterThan(0);
    expect(trainEvents[5].etaSeconds).toBeLessThan(trainEvents[1].etaSeconds);
    expect(events.filter((e) => e.phase === 'planning')[1].message).toMatch(/^2 epochs, 6 steps of 8 images; about 1 min left \(timed on this step\)$/);
    expect(s.calibration?.['recon-top1']?.count).toBe(6);
    expect(s.meanImage).toHaveLength(256);
    disposeNets(r.nets);
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    const again = await train({ set: partsImageSet(parts), options });
    expect(again.snapshot.history.map((h) => [h.train, h.validation])).toEqual(s.history.map((h) => [h.train, h.validation]));
    disposeNets(again.nets);
  });

  it('counts epochs without a 1 % gain of the validation reconstruction loss', () => {
    const h = (losses: number[]) => losses.map((errGCon, i) => ({ epoch: i + 1, validation: { errGCon } }));
    expect(epochsWithoutImprovement(h([1, 0.9, 0.895, 0.894, 0.5]))).toBe(0);
    expect(epochsWithoutImprovement(h([1, 0.9, 0.895, 0.894]))).toBe(2); // under 1 % better does not count
    expect(epochsWithoutImprovement([])).toBe(0);
  });

  it('stops early when validation stops improving, and a resume of that run trains nothing more', async () => {
    // A learning rate too small to change anything: no epoch after the first improves.
    const r = await train({ set: partsImageSet(parts), options: { ...options, epochs: 40, lr: 1e-12, patienceSteps: 1 } });
    expect(r.snapshot.history.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.snapshot.stoppedEarly).toBe(true);
    disposeNets(r.nets);
    const again = await train({ set: partsImageSet(parts), resume: r.snapshot });
    expect(again.snapshot.history).toHaveLength(6);
    disposeNets(again.nets);
  });

  it('stops within one batch when asked', async () => {
    let steps = 0;
    let stopAt = -1;
    const r = await train({
      set: partsImageSet(parts), options,
      onProgress: (p) => { if (p.phase === 'training') steps++; if (steps === 4 && stopAt < 0) stopAt = steps; },
      shouldStop: () => stopAt >= 0,
    });
    expect(r.stopped).toBe(true);
    expect(steps).toBe(4);
    expect(r.snapshot.history).toHaveLength(1);
    disposeNets(r.nets);
  });

  it('resumes from a checkpoint exactly where it left off', async () => {
    const full = await train({ set: partsImageSet(parts), options });
    const ckpt = join(dir, 'ckpt');
    const first = await train({ set: partsImageSet(parts), options: { ...options, epochs: 1 }, onEpoch: (s) => saveCheckpoint(ckpt, s) });
    disposeNets(first.nets);
    const resume = await loadCheckpoint(ckpt);
    expect(resume.epoch).toBe(1);
    const rest = await train({ set: partsImageSet(parts), resume, options: { epochs: 2 } });
    const losses = (h: typeof full.snapshot.history) => h.map((e) => [e.epoch, e.train, e.validation]);
    expect(losses(rest.snapshot.history)).toEqual(losses(full.snapshot.history));
    await expect(train({ set: partsImageSet(makeParts({ count: 12, isize: 16, seed: 1 })), resume })).rejects.toThrow(/trained on 30 images/);
    disposeNets(full.nets);
    disposeNets(rest.nets);
  });

  it('saves a model that reloads and scores identically; bad model files give clear errors', async () => {
    const r = await train({ set: partsImageSet(parts), options: { ...options, epochs: 1 } });
    const modelDir = join(dir, 'model');
    const hash = hashFileList(['b.png', 'a.png']);
    expect(hash).toBe(hashFileList(['a.png', 'b.png']));
    await saveModel(modelDir, { snapshot: r.snapshot, backend: { name: 'wasm', gpu: false, threads: 1, detail: 'test' }, trainingSetHash: hash, trainingHashes: ['bb', 'aa', 'bb'] });
    const meta = await readModelMeta(modelDir);
    expect(meta).toMatchObject({ isize: 16, nc: 1, epochKept: 1, trainCount: 24, validationCount: 6, trainingSetHash: hash, trainingHashes: ['aa', 'bb'] });
    expect(meta.options.ngf).toBe(8);
    expect(meta.history).toHaveLength(1);
    // The weight files are in the tfjs layout: tf.io.decodeWeights reads them with the saved manifest.
    const bin = await readFile(join(modelDir, meta.weights.netG.file));
    const decoded = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), meta.weights.netG.specs);
    expect(Object.keys(decoded)).toHaveLength(meta.weights.netG.specs.length);
    tf.dispose(Object.values(decoded));

    const loaded = await loadModel(modelDir);
    const x = parts.images.slice(0, 4 * 256);
    // The trained networks folded as loading folds them: the same computation, so the same numbers to the bit.
    const folded = await FoldedNets.fold(r.nets.netG, r.nets.netD);
    const a = await scoreBatch({ netG: r.nets.netG, netD: r.nets.netD, folded, isize: 16, nc: 1, meanImage: r.snapshot.meanImage, errorStats: r.snapshot.errorStats }, x, 4, true);
    folded.dispose();
    const b = await scoreBatch(loaded, x, 4, true);
    expect(b.raw).toEqual(a.raw);
    expect(b.reconstructions).toEqual(a.reconstructions);
    expect(loaded.calibration).toEqual(r.snapshot.calibration);
    loaded.dispose();
    disposeNets(r.nets);

    await writeFile(join(modelDir, 'netG.weights.bin'), new Uint8Array(12));
    await expect(loadModel(modelDir)).rejects.toThrow(/truncated or corrupt/);
    await writeFile(join(modelDir, 'model.json'), '{"format":"something-else"}');
    await expect(loadModel(modelDir)).rejects.toThrow(/is not a ganomaly-inspector\/model file/);
    await expect(loadModel(join(dir, 'missing'))).rejects.toThrow(/missing[\\/]model\.json not found/);
  });
});

describe('validation', () => {
  it('reads every kind off its loss passes as scoring gives it, batch by batch, leaking nothing', async () => {
    const r = await train({ set: partsImageSet(parts), options: { ...options, epochs: 1 } });
    const o = parseOptions({ ...options, isize: 16, nc: 1 });
    const indices = [3, 9, 14, 20, 27];
    const before = tf.memory().numTensors;
    const v = await validate(r.nets, o, partsImageSet(parts), indices, r.snapshot.meanImage, 2);
    expect(tf.memory().numTensors).toBe(before);
    const x = new Float32Array(indices.length * 256);
    indices.forEach((i, k) => x.set(parts.images.subarray(i * 256, (i + 1) * 256), k * 256));
    const s = await scoreBatch({ netG: r.nets.netG, netD: r.nets.netD, isize: 16, nc: 1, meanImage: r.snapshot.meanImage }, x, indices.length);
    // recon-z needs the kept weights' error statistics, which exist only after training: NaN in validation.
    expect(v.scores['recon-z'].every(Number.isNaN)).toBe(true);
    for (const k of SCORE_KINDS.filter((kind) => kind !== 'recon-z')) v.scores[k].forEach((value, i) => expect(value, `${k} of image ${i}`).toBeCloseTo(s.raw[k][i], 5));
    disposeNets(r.nets);
  });
});
