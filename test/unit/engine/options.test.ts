import { describe, expect, it } from 'vitest';
import { geometry, parseOptions } from '../../../src-main/engine/options';

describe('options', () => {
  it('fills the reference defaults', () => {
    const o = parseOptions();
    expect(o).toMatchObject({
      isize: 32, nc: 1, nz: 100, ngf: 64, ndf: 64, extraLayers: 0, batchSize: 64, lr: 2e-4, beta1: 0.5, minSteps: 400, patienceSteps: 150,
      wAdv: 1, wCon: 50, wEnc: 1, seed: 0, validationFraction: 0.1, scoreKind: 'auto',
    });
  });

  it('leaves epochs unset by default: the trainer plans them from minSteps', () => {
    expect(parseOptions().epochs).toBeUndefined();
    expect(parseOptions({ epochs: 3 }).epochs).toBe(3);
  });

  it('rejects bad options with errors naming each field', () => {
    expect(() => parseOptions({ isize: 40 })).toThrow(/isize: isize must be a multiple of 16/);
    expect(() => parseOptions({ isize: 512 })).toThrow(/isize must be at most 256/);
    expect(() => parseOptions({ nc: 2 as 1 })).toThrow(/nc \(image channels\) must be 1 or 3/);
    expect(() => parseOptions({ batchSize: 1, lr: 0 })).toThrow(/batchSize.*; lr: lr must be > 0/);
    expect(() => parseOptions({ validationFraction: 0 })).toThrow(/validationFraction must be > 0/);
    expect(() => parseOptions({ scoreKind: 'baseline' as 'latent' })).toThrow(/scoreKind/);
  });

  it('plans halvings for any multiple of 16 and ends on a valid kernel', () => {
    expect(geometry(16)).toEqual({ firstSize: 8, pyramid: 1, finalSize: 4 });
    expect(geometry(32)).toEqual({ firstSize: 16, pyramid: 2, finalSize: 4 });
    expect(geometry(48)).toEqual({ firstSize: 24, pyramid: 3, finalSize: 3 });
    expect(geometry(80)).toEqual({ firstSize: 40, pyramid: 3, finalSize: 5 });
    expect(geometry(240)).toEqual({ firstSize: 120, pyramid: 3, finalSize: 15 });
    expect(geometry(256)).toEqual({ firstSize: 128, pyramid: 5, finalSize: 4 });
    for (let s = 16; s <= 256; s += 16) {
      const g = geometry(s);
      expect(g.firstSize / 2 ** g.pyramid).toBe(g.finalSize);
      // stops at 4 or at an odd size (144 -> 9, 240 -> 15)
      expect(g.finalSize === 4 || g.finalSize % 2 === 1).toBe(true);
    }
    expect(() => geometry(24)).toThrow(/multiple of 16/);
  });
});
