import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src-main/engine/random';
import { DEFECT_KINDS, pasteDefect, withSyntheticDefects } from '../../../src-main/engine/synthetic-defects';
import { makeParts } from '../../fixtures/synthetic-parts';

const parts = makeParts({ count: 10, isize: 32, nc: 3, seed: 4 });
const per = 32 * 32 * 3;

describe('synthetic defects', () => {
  it('are the same for the same seed and ids, whatever the batch, and differ for another seed', () => {
    const ids = Array.from({ length: 10 }, (_, i) => i);
    const a = withSyntheticDefects(parts.images, 10, 32, 32, 3, 7, ids);
    const b = withSyntheticDefects(parts.images, 10, 32, 32, 3, 7, ids);
    expect(a.images).toEqual(b.images);
    expect(a.kinds).toEqual([...DEFECT_KINDS, ...DEFECT_KINDS]);
    // Image 6 alone, with its id: the same defect as in the batch of ten.
    const alone = withSyntheticDefects(parts.images.slice(6 * per, 7 * per), 1, 32, 32, 3, 7, [6]);
    expect(alone.images).toEqual(a.images.slice(6 * per, 7 * per));
    expect(withSyntheticDefects(parts.images, 10, 32, 32, 3, 8, ids).images).not.toEqual(a.images);
  });

  it.each(DEFECT_KINDS)('%s changes a local region, stays in [-1, 1] and leaves the input alone', (kind) => {
    const img = parts.images.slice(0, per);
    const copy = Float32Array.from(img);
    const out = pasteDefect(img, 32, 32, 3, kind, createRng(11));
    expect(img).toEqual(copy);
    let changed = 0;
    for (let p = 0; p < 32 * 32; p++) if ([0, 1, 2].some((c) => Math.abs(out[p * 3 + c] - img[p * 3 + c]) > 1e-6)) changed++;
    // Visible, yet local: more than a few pixels, less than a third of the image.
    expect(changed).toBeGreaterThan(8);
    expect(changed).toBeLessThan((32 * 32) / 3);
    expect(out.every((v) => v >= -1 && v <= 1)).toBe(true);
  });

  it('refuses a wrong shape', () => {
    expect(() => pasteDefect(new Float32Array(10), 4, 4, 1, 'blob', createRng(1))).toThrow(/expected 4x4x1/);
    expect(() => withSyntheticDefects(new Float32Array(32), 2, 4, 4, 1, 0, [0])).toThrow(/2 images of 4x4x1/);
  });
});
