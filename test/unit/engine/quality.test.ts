// Does the engine actually detect defects, at the options it ships with? GANomaly trained with the defaults
// (nz 100, ngf = ndf = 64, batch 64, Adam 2e-4, data-parallel as the app runs it, precise BatchNorm, the
// default score kind; isize is the set's, as train() defaults it) on small synthetic good parts must rank
// held-out scratched and chipped parts above held-out good ones, and clearly better than the model-free
// baseline on the same parts. The one departure, for time: a step budget of QUICK_STEPS instead of the
// default 400 (the parts are simple; the real sets need more).
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src-main/engine/backends/select';
import { auroc } from '../../../src-main/engine/metrics';
import { parseOptions, SCORE_KINDS } from '../../../src-main/engine/options';
import { scoreBatch } from '../../../src-main/engine/scoring';
import { disposeNets } from '../../../src-main/engine/train-step';
import { train } from '../../../src-main/engine/trainer';
import { makeParts, partsImageSet } from '../../fixtures/synthetic-parts';

beforeAll(async () => { await selectBackend('wasm'); });

const QUICK_STEPS = 40;
const SIDE = 16;

describe('detection quality on synthetic parts, at the shipped defaults', () => {
  it('the default score beats the model-free baseline on held-out good vs defective parts', async () => {
    const defaults = parseOptions();
    // Parts that move and vary in brightness: the mean good image is a blur that hides the defects.
    const good = makeParts({ count: 120, isize: SIDE, seed: 101, variation: 1 });
    const test = makeParts({ count: 80, isize: SIDE, seed: 201, defectFraction: 0.5, variation: 1 });
    const r = await train({ set: partsImageSet(good), options: { minSteps: QUICK_STEPS }, workers: 'auto' });
    const o = r.snapshot.options;
    expect({ ...o, minSteps: defaults.minSteps, isize: defaults.isize }).toEqual(defaults);
    const h = r.snapshot.history;
    // It learned: validation reconstruction loss of the kept epoch well below the first epoch's.
    expect(h.find((e) => e.epoch === r.snapshot.bestEpoch)!.validation.errGCon).toBeLessThan(0.8 * h[0].validation.errGCon);
    // The default kind ('auto'), chosen on validation images with pasted synthetic defects (never on these parts).
    expect(o.scoreKind).toBe('auto');
    const own = r.snapshot.synthetic!.best;
    const s = await scoreBatch({ netG: r.nets.netG, netD: r.nets.netD, isize: o.isize, nc: 1, meanImage: r.snapshot.meanImage, errorStats: r.snapshot.errorStats }, test.images, test.count);
    const a = auroc(s.raw[own], test.labels);
    const base = auroc(s.raw.baseline, test.labels);
    console.log(`synthetic parts, defaults (${h.length} epochs, kept ${r.snapshot.bestEpoch}): AUROC ` +
      `${SCORE_KINDS.map((k) => `${k} ${auroc(s.raw[k], test.labels).toFixed(3)}`).join(', ')}; chosen ${own}; ` +
      `synthetic-defect check ${JSON.stringify(r.snapshot.synthetic!.auroc)}`);
    expect(a).toBeGreaterThanOrEqual(0.85);
    expect(a).toBeGreaterThanOrEqual(base + 0.1);
    // Each kind of defect on its own, so one easy kind cannot carry the other.
    for (const kind of ['scratch', 'chunk'] as const) {
      const idx = test.kinds.flatMap((k, i) => (k === kind || k === 'good' ? [i] : []));
      const labels = idx.map((i) => test.labels[i]);
      const [ownKind, baseKind] = [auroc(idx.map((i) => s.raw[own][i]), labels), auroc(idx.map((i) => s.raw.baseline[i]), labels)];
      console.log(`  ${kind}: ${own} ${ownKind.toFixed(3)}, baseline ${baseKind.toFixed(3)}`);
      expect(ownKind).toBeGreaterThanOrEqual(0.75);
      expect(ownKind).toBeGreaterThan(baseKind);
    }
    disposeNets(r.nets);
  }, 900_000);
});
