// Filling the left-out areas (shared/left-out) of a decoded image: each channel of each area gets the image's
// own mean of that channel over the pixels outside every area. Flat, so the model learns it as nothing; the
// image's own level, so its edge is no stronger than lighting makes it; and computed without the areas' pixels,
// so whatever they hold (a date that changes every part) cannot change a single value the model sees.
import type { PixelBox } from '../shared/left-out';

/** Fills `boxes` of an HWC image of `channels` samples per pixel in place. Throws where they cover all of it. */
export function fillLeftOut<T extends Uint8Array | Uint16Array>(samples: T, width: number, height: number, channels: number, boxes: PixelBox[]): T {
  if (boxes.length === 0) return samples;
  const out = new Uint8Array(width * height);
  for (const b of boxes) {
    for (let y = b.top; y < b.top + b.height; y++) out.fill(1, y * width + b.left, y * width + b.left + b.width);
  }
  const sum = new Float64Array(channels);
  let kept = 0;
  for (let p = 0; p < out.length; p++) {
    if (out[p]) continue;
    kept++;
    for (let c = 0; c < channels; c++) sum[c] += samples[p * channels + c];
  }
  if (kept === 0) throw new Error('the left-out areas cover the whole inspection region: nothing is left to inspect');
  const mean = Array.from(sum, (s) => Math.round(s / kept));
  for (let p = 0; p < out.length; p++) {
    if (!out[p]) continue;
    for (let c = 0; c < channels; c++) samples[p * channels + c] = mean[c];
  }
  return samples;
}
