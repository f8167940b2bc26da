import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src-main/engine/backends/select';
import { parseOptions } from '../../../src-main/engine/options';
import { batchCount, planLine, planRun, trainingPlan } from '../../../src-main/engine/run-plan';
import { disposeNets } from '../../../src-main/engine/train-step';
import { batchesOf } from '../../../src-main/engine/random';
import { splitIndices, train, type TrainProgress } from '../../../src-main/engine/trainer';
import { makeParts, partsImageSet } from '../../fixtures/synthetic-parts';

describe('training plan', () => {
  it('plans epochs from a minimum of steps when epochs are unset', () => {
    const o = { epochs: undefined, minSteps: 400, patienceSteps: 150, batchSize: 64 };
    // 209 images at batch 64: 4 steps an epoch (the reference's 15 epochs would be 60 steps).
    expect(trainingPlan(o, 209)).toEqual({ batchesPerEpoch: 4, epochs: 100, steps: 400, patienceEpochs: 38 });
    // A large set keeps at least 15 epochs; given epochs are exact; patience is at least 5 epochs.
    expect(trainingPlan(o, 6400)).toMatchObject({ epochs: 15, steps: 1500, patienceEpochs: 5 });
    expect(trainingPlan({ ...o, epochs: 2 }, 209)).toMatchObject({ epochs: 2, steps: 8 });
    expect(trainingPlan({ ...o, minSteps: 0 }, 209)).toMatchObject({ epochs: 15, steps: 60 });
    expect(trainingPlan({ ...o, patienceSteps: 0 }, 209).patienceEpochs).toBe(Infinity);
  });

  it('plans a run from the image count before the split: ELPV-sized, small and large sets', () => {
    const o = parseOptions();
    // ELPV's 470 good images: 47 held out, 423 trained on = 7 batches (the last of 39), 58 epochs for 400 steps.
    const elpv = planRun(o, 470);
    expect(elpv).toEqual({
      images: 470, trainImages: 423, validationImages: 47, batchesPerEpoch: 7, epochs: 58, steps: 406,
      patienceEpochs: 22, validations: 58, upperBound: true,
    });
    expect(planLine(elpv, o)).toBe('58 epochs, 406 steps of 64 images (at least 400 steps), or fewer: ' +
      'training stops after 22 epochs without a 1 % better validation loss');
    // 10 images: 1 validation image, one batch of 9 an epoch, 400 epochs.
    expect(planRun(o, 10)).toMatchObject({ trainImages: 9, validationImages: 1, batchesPerEpoch: 1, epochs: 400, steps: 400 });
    // 20 000 images: 282 batches, the reference's 15 epochs; patience 5 epochs, so an upper bound.
    expect(planRun(o, 20_000)).toMatchObject({ trainImages: 18_000, batchesPerEpoch: 282, epochs: 15, steps: 4230, upperBound: true });
    // Given epochs are exact; without early stopping the plan is exact too.
    expect(planRun({ ...o, epochs: 3 }, 470)).toMatchObject({ epochs: 3, steps: 21, validations: 3 });
    expect(planRun({ ...o, patienceSteps: 0 }, 470).upperBound).toBe(false);
    expect(() => planRun(o, 2)).toThrow(/at least 2 training images/);
  });

  it('counts batches as the trainer batches (a lone last image joins the batch before)', () => {
    for (const b of [2, 3, 8, 64]) {
      for (let n = 2; n <= 200; n++) expect(batchCount(n, b), `n ${n} batch ${b}`).toBe(batchesOf(Array.from({ length: n }, (_, i) => i), b).length);
    }
    for (let n = 3; n <= 200; n += 7) expect(planRun({ ...parseOptions(), validationFraction: 0.15 }, n).validationImages).toBe(splitIndices(n, 0.15, 3).validation.length);
  });

  it('is the plan the trainer follows: epochs, batches and steps of a real run match planRun', async () => {
    await selectBackend('cpu');
    const parts = makeParts({ count: 21, isize: 16, seed: 2 });
    const options = { nz: 4, ngf: 4, ndf: 4, batchSize: 8, minSteps: 6, patienceSteps: 0, seed: 1, validationFraction: 0.2 };
    const seen: TrainProgress[] = [];
    const r = await train({ set: partsImageSet(parts), options, onProgress: (p) => seen.push(p) });
    disposeNets(r.nets);
    const plan = planRun(parseOptions({ ...options, isize: 16 }), 21);
    // 21 images: 4 held out, 17 trained on = 2 batches (8 and 9): 15 epochs (minSteps 6 asks for fewer), 30 steps.
    expect(plan).toMatchObject({ trainImages: 17, batchesPerEpoch: 2, epochs: 15, steps: 30 });
    expect(r.snapshot.split.validation.length).toBe(plan.validationImages);
    expect(new Set(seen.map((p) => `${p.epochs}/${p.batches}/${p.steps}`))).toEqual(new Set([`${plan.epochs}/${plan.batchesPerEpoch}/${plan.steps}`]));
    expect(r.snapshot.history).toHaveLength(plan.validations);
    expect(seen.find((p) => p.phase === 'planning' && p.message?.includes('steps'))?.message).toContain(planLine(plan, parseOptions(options)));
  }, 120_000);
});
