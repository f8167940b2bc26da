// The synthetic-defect check keeps no defect inside the left-out areas: decoding fills them whatever lies there,
// so a defect pasted into one would be a defect no real part can show, and an easy one to find.
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src-main/engine/backends/select';
import { parseOptions, SCORE_KINDS } from '../../../src-main/engine/options';
import { createRng } from '../../../src-main/engine/random';
import { patchValidation, syntheticCheck } from '../../../src-main/engine/synthetic-check';
import { keepLeftOut, withSyntheticDefects } from '../../../src-main/engine/synthetic-defects';
import { createNets, disposeNets } from '../../../src-main/engine/train-step';
import type { ImageSet } from '../../../src-main/engine/image-set';

describe('left-out areas in the synthetic check', () => {
  it('gives back the clean pixels the area touches, and only those', () => {
    const [h, w, nc] = [10, 8, 2];
    const clean = Float32Array.from({ length: 2 * h * w * nc }, (_, i) => i);
    const pasted = new Float32Array(clean.length).fill(-1);
    // x 0.3..0.55 of 8 columns touches columns 2..4; y 0.5..1 of 10 rows, rows 5..9.
    keepLeftOut(pasted, clean, 2, h, w, nc, [{ left: 0.3, top: 0.5, right: 0.55, bottom: 1 }]);
    for (let i = 0; i < pasted.length; i++) {
      const [x, y] = [Math.floor(i / nc) % w, Math.floor(i / (nc * w)) % h];
      expect(pasted[i], `pixel ${x},${y}`).toBe(x >= 2 && x <= 4 && y >= 5 ? clean[i] : -1);
    }
  });

  it('finds no defect where every pasted one lies in a left-out area, whole images and patches alike', async () => {
    await selectBackend('wasm');
    const o = parseOptions({ isize: 16, nc: 1, nz: 8, ngf: 8, ndf: 8 });
    const nets = createNets(o);
    const model = { netG: nets.netG, netD: nets.netD, isize: 16, nc: 1 as const, meanImage: new Float32Array(256), errorStats: { mean: new Float32Array(256).fill(0.1), scale: new Float32Array(256).fill(0.2) } };
    const rng = createRng(3);
    const images = Array.from({ length: 6 }, () => Float32Array.from({ length: 256 }, () => rng.next() - 0.5));
    const set = (leftOut?: ImageSet['leftOut']): ImageSet => ({
      count: images.length, isize: 16, nc: 1, leftOut,
      load: async (indices) => {
        const out = new Float32Array(indices.length * 256);
        indices.forEach((i, k) => out.set(images[i], k * 256));
        return out;
      },
    });
    const indices = [0, 1, 2, 3, 4, 5];
    const all = [{ left: 0, top: 0, right: 1, bottom: 1 }];
    // Pasted defects differ from the good images, so without areas the baseline tells them apart.
    expect(withSyntheticDefects(images[0], 1, 16, 16, 1, 0, [0]).images).not.toEqual(images[0]);
    const open = await syntheticCheck({ model, set: set(), indices, seed: 0, batchSize: 6 });
    expect(open.synthetic.auroc.baseline).toBeGreaterThan(0.6);
    const covered = await syntheticCheck({ model, set: set(all), indices, seed: 0, batchSize: 6 });
    for (const k of SCORE_KINDS) expect(covered.synthetic.auroc[k], k).toBe(0.5);
    // Patch mode: a 24 x 20 image whose every pixel is left out.
    const big = Array.from({ length: 3 }, () => Float32Array.from({ length: 24 * 20 }, () => rng.next() - 0.5));
    const image = async (i: number) => ({ data: big[i], width: 20, height: 24 });
    const patches = await patchValidation({ model, image, indices: [0, 1, 2], seed: 0, batchSize: 8, leftOut: all });
    for (const k of SCORE_KINDS) expect(patches.synthetic.auroc[k], k).toBe(0.5);
    disposeNets(nets);
  });
});
