// Inferno (matplotlib, van der Walt & Smith): perceptually uniform, dark for "normal", bright for
// "anomalous", and readable in gray print. These are its 11 evenly spaced colours; the 256-entry
// table interpolates linearly between them.
const INFERNO_STOPS = [
  0x000004, 0x160b39, 0x420a68, 0x6a176e, 0x932667, 0xbc3754, 0xdd513a, 0xf37819, 0xfca50a, 0xf6d746, 0xfcffa4,
];

function buildTable(stops: number[]): Uint8Array {
  const table = new Uint8Array(256 * 3);
  const channel = (colour: number, c: number) => (colour >> (16 - 8 * c)) & 0xff;
  for (let i = 0; i < 256; i++) {
    const at = (i / 255) * (stops.length - 1);
    const lo = Math.min(Math.floor(at), stops.length - 2);
    const t = at - lo;
    for (let c = 0; c < 3; c++) {
      table[i * 3 + c] = Math.round(channel(stops[lo], c) * (1 - t) + channel(stops[lo + 1], c) * t);
    }
  }
  return table;
}

/** 256 RGB triples, index 0 = lowest value. */
export const INFERNO = buildTable(INFERNO_STOPS);

/** Writes the colour of `level` (0-255, rounded; NaN, ±Infinity and negatives are 0, above 255 is 255) at out[at..at+2]. */
export function putInferno(out: Uint8Array, at: number, level: number): void {
  // Three byte writes, not a subarray per pixel: that allocation was most of a 900x900 map's time.
  const index = Number.isFinite(level) && level > 0 ? Math.round(Math.min(level, 255)) * 3 : 0;
  out[at] = INFERNO[index];
  out[at + 1] = INFERNO[index + 1];
  out[at + 2] = INFERNO[index + 2];
}
