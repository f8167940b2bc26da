// Synthetic defects pasted into good images (in the spirit of CutPaste, Li et al. 2021, and DRAEM's
// foreign patches), so a model can be judged before any real defect exists: cut-outs, cut-and-paste
// patches, scratches, blobs and noise patches. Deterministic from the seed.
import { createRng, type Rng } from './random';
import type { AreaShare } from '../shared/left-out';

export const DEFECT_KINDS = ['cutout', 'cutpaste', 'scratch', 'blob', 'noise'] as const;
export type DefectKind = (typeof DEFECT_KINDS)[number];

const clamp = (v: number): number => (v < -1 ? -1 : v > 1 ? 1 : v);
const between = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng.next();
const sign = (rng: Rng): number => (rng.next() < 0.5 ? -1 : 1);

/** A rectangle of 12-30% of the side, inside the image. */
function box(rng: Rng, h: number, w: number): { y: number; x: number; bh: number; bw: number } {
  const bh = Math.max(2, Math.round(h * between(rng, 0.12, 0.3)));
  const bw = Math.max(2, Math.round(w * between(rng, 0.12, 0.3)));
  return { y: Math.floor(rng.next() * (h - bh + 1)), x: Math.floor(rng.next() * (w - bw + 1)), bh, bw };
}

/**
 * Pastes one defect of `kind` into a copy of one HWC image (values in [-1, 1]). Returns the copy; `img`
 * is not changed.
 */
export function pasteDefect(img: Float32Array, h: number, w: number, nc: number, kind: DefectKind, rng: Rng): Float32Array {
  if (img.length !== h * w * nc) throw new Error(`synthetic defect: image has ${img.length} values, expected ${h}x${w}x${nc}`);
  const out = Float32Array.from(img);
  const at = (y: number, x: number, c: number): number => (y * w + x) * nc + c;
  if (kind === 'cutout' || kind === 'noise' || kind === 'cutpaste') {
    const b = box(rng, h, w);
    const fill = Array.from({ length: nc }, () => between(rng, -1, 1));
    const amp = between(rng, 0.3, 0.6);
    const src = { y: Math.floor(rng.next() * (h - b.bh + 1)), x: Math.floor(rng.next() * (w - b.bw + 1)) };
    const jitter = between(rng, -0.2, 0.2);
    for (let y = 0; y < b.bh; y++) {
      for (let x = 0; x < b.bw; x++) {
        for (let c = 0; c < nc; c++) {
          const i = at(b.y + y, b.x + x, c);
          if (kind === 'cutout') out[i] = fill[c];
          else if (kind === 'noise') out[i] = clamp(img[i] + amp * (2 * rng.next() - 1));
          // Rotated by 180 degrees so a patch copied from nearby is still out of place.
          else out[i] = clamp(img[at(src.y + b.bh - 1 - y, src.x + b.bw - 1 - x, c)] + jitter);
        }
      }
    }
  } else if (kind === 'scratch') {
    // A thin straight line (1 px, 2 px from a side of 64) of 30-70% of the side, brighter or darker.
    const len = Math.min(h, w) * between(rng, 0.3, 0.7);
    const ang = rng.next() * Math.PI;
    const cy = between(rng, 0.2, 0.8) * h;
    const cx = between(rng, 0.2, 0.8) * w;
    const half = Math.min(h, w) >= 64 ? 1 : 0.5;
    const delta = sign(rng) * between(rng, 0.6, 1.2);
    const [dx, dy] = [Math.cos(ang), Math.sin(ang)];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const rx = x + 0.5 - cx;
        const ry = y + 0.5 - cy;
        const along = rx * dx + ry * dy;
        const across = Math.abs(-rx * dy + ry * dx);
        if (Math.abs(along) <= len / 2 && across <= half) for (let c = 0; c < nc; c++) out[at(y, x, c)] = clamp(img[at(y, x, c)] + delta);
      }
    }
  } else {
    // blob: an ellipse with a soft edge, brighter or darker.
    const ry = Math.max(1.5, h * between(rng, 0.06, 0.15));
    const rx = Math.max(1.5, w * between(rng, 0.06, 0.15));
    const cy = between(rng, 0.15, 0.85) * h;
    const cx = between(rng, 0.15, 0.85) * w;
    const delta = sign(rng) * between(rng, 0.4, 0.8);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const d = ((y + 0.5 - cy) / ry) ** 2 + ((x + 0.5 - cx) / rx) ** 2;
        if (d < 1) for (let c = 0; c < nc; c++) out[at(y, x, c)] = clamp(img[at(y, x, c)] + delta * (1 - d));
      }
    }
  }
  return out;
}

/**
 * One defective copy of each of `count` NHWC images. `ids` name the copies: the kind is taken in turn by
 * id and each copy draws from its own stream of (seed, id), so a defect never depends on its batch.
 */
export function withSyntheticDefects(
  images: Float32Array, count: number, h: number, w: number, nc: number, seed: number, ids: number[],
): { images: Float32Array; kinds: DefectKind[] } {
  const per = h * w * nc;
  if (images.length !== count * per || ids.length !== count) {
    throw new Error(`synthetic defects: ${images.length} values and ${ids.length} ids for ${count} images of ${h}x${w}x${nc}`);
  }
  const out = new Float32Array(images.length);
  const kinds: DefectKind[] = [];
  for (let i = 0; i < count; i++) {
    const kind = DEFECT_KINDS[ids[i] % DEFECT_KINDS.length];
    const rng = createRng((seed * 1000003 + ids[i] * 7919) >>> 0);
    out.set(pasteDefect(images.subarray(i * per, (i + 1) * per), h, w, nc, kind, rng), i * per);
    kinds.push(kind);
  }
  return { images: out, kinds };
}

/**
 * Gives back `clean`'s pixels inside the left-out areas of each of `count` NHWC images of `defective` (in place):
 * decoding fills those areas whatever lies there, so a defect pasted into one is a defect no real part can show.
 */
export function keepLeftOut(defective: Float32Array, clean: Float32Array, count: number, h: number, w: number, nc: number, areas: readonly AreaShare[]): Float32Array {
  const per = h * w * nc;
  for (const a of areas) {
    // Every pixel the area touches: resizing blends the fill into its edge pixels too.
    const [x0, x1] = [Math.floor(a.left * w), Math.min(w, Math.ceil(a.right * w))];
    const [y0, y1] = [Math.floor(a.top * h), Math.min(h, Math.ceil(a.bottom * h))];
    for (let i = 0; i < count; i++) {
      for (let y = y0; y < y1; y++) {
        const from = i * per + (y * w + x0) * nc;
        defective.set(clean.subarray(from, from + (x1 - x0) * nc), from);
      }
    }
  }
  return defective;
}
