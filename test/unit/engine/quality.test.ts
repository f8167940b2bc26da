// Does the engine actually detect defects? A small GANomaly trained on synthetic good parts must rank
// held-out scratched and chipped parts above held-out good ones. (An untrained network of the same shape
// scores about 0.52 here, so the test fails when training does not work; seeds 1-4 all gave >= 0.998.)
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src-main/engine/backends/select';
import { auroc } from '../../../src-main/engine/metrics';
import { SCORE_KINDS } from '../../../src-main/engine/options';
import { scoreBatch } from '../../../src-main/engine/scoring';
import { disposeNets } from '../../../src-main/engine/train-step';
import { train } from '../../../src-main/engine/trainer';
import { makeParts, partsImageSet } from '../../fixtures/synthetic-parts';

beforeAll(async () => { await selectBackend('wasm'); });

describe('detection quality on synthetic parts', () => {
  it('default score kind reaches AUROC >= 0.9 on held-out good vs defective parts', async () => {
    const good = makeParts({ count: 160, isize: 32, seed: 101 });
    const test = makeParts({ count: 80, isize: 32, seed: 201, defectFraction: 0.5 });
    // Small and quick: ngf = ndf = 16, nz 32, batch 8 (more updates per epoch than a large batch).
    const r = await train({ set: partsImageSet(good), options: { isize: 32, nz: 32, ngf: 16, ndf: 16, batchSize: 8, epochs: 8, seed: 1 } });
    const h = r.snapshot.history;
    expect(r.snapshot.options.scoreKind).toBe('auto');
    const own = r.snapshot.synthetic!.best;
    // It learned: validation reconstruction loss of the kept epoch well below the first epoch's.
    expect(h.find((e) => e.epoch === r.snapshot.bestEpoch)!.validation.errGCon).toBeLessThan(0.8 * h[0].validation.errGCon);
    const s = await scoreBatch({ netG: r.nets.netG, netD: r.nets.netD, isize: 32, nc: 1, meanImage: r.snapshot.meanImage }, test.images, test.count);
    // The default kind, chosen on validation images with pasted synthetic defects (never on these parts).
    const a = auroc(s.raw[own], test.labels);
    console.log(`synthetic parts AUROC: ${SCORE_KINDS.map((k) => `${k} ${auroc(s.raw[k], test.labels).toFixed(3)}`).join(', ')}; ` +
      `chosen ${own}; synthetic-defect check ${JSON.stringify(r.snapshot.synthetic!.auroc)}`);
    expect(a).toBeGreaterThanOrEqual(0.9);
    // Each kind of defect on its own, so one easy kind cannot carry the other.
    for (const kind of ['scratch', 'chunk'] as const) {
      const idx = test.kinds.flatMap((k, i) => (k === kind || k === 'good' ? [i] : []));
      expect(auroc(idx.map((i) => s.raw[own][i]), idx.map((i) => test.labels[i]))).toBeGreaterThanOrEqual(0.85);
    }
    disposeNets(r.nets);
  });
});
