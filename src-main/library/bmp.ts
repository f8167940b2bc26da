// libvips (and so sharp) has no BMP reader in its prebuilt form, so uncompressed BMPs are unpacked
// here into raw pixels that sharp then takes like any other image. RLE and OS/2 BMPs are refused.

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

export class BmpError extends Error {
  constructor(
    readonly reason: 'unsupported' | 'corrupt' | 'too-large',
    message: string,
  ) {
    super(message);
  }
}

export function isBmp(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d; // "BM"
}

export interface BmpHeader {
  width: number;
  height: number;
  topDown: boolean;
  bpp: number;
  compression: number;
  offset: number;
  headerSize: number;
}

export function readBmpHeader(bytes: Buffer): BmpHeader {
  if (bytes.length < 30) throw new BmpError('corrupt', 'BMP header is cut short');
  const headerSize = bytes.readUInt32LE(14);
  if (headerSize < 40) throw new BmpError('unsupported', `BMP with a ${headerSize}-byte (OS/2) header is not supported`);
  if (bytes.length < 14 + 40) throw new BmpError('corrupt', 'BMP header is cut short');
  const rawHeight = bytes.readInt32LE(22);
  return {
    width: bytes.readInt32LE(18),
    height: Math.abs(rawHeight),
    topDown: rawHeight < 0,
    bpp: bytes.readUInt16LE(28),
    compression: bytes.readUInt32LE(30),
    offset: bytes.readUInt32LE(10),
    headerSize,
  };
}

const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

export function decodeBmp(bytes: Buffer, maxPixels: number): RawImage {
  const h = readBmpHeader(bytes);
  const { width, height, bpp } = h;
  if (width <= 0 || height <= 0) throw new BmpError('corrupt', `BMP declares a ${width}x${height} size`);
  if (width * height > maxPixels) throw new BmpError('too-large', `${width}x${height} exceeds the ${maxPixels}-pixel limit`);
  const bitfields = h.compression === BI_BITFIELDS || h.compression === BI_ALPHABITFIELDS;
  if (!(h.compression === BI_RGB || (bitfields && bpp === 32))) {
    throw new BmpError('unsupported', `BMP compression ${h.compression} at ${bpp} bits is not supported (only uncompressed)`);
  }
  if (![1, 4, 8, 24, 32].includes(bpp)) throw new BmpError('unsupported', `${bpp}-bit BMP is not supported`);

  const stride = Math.floor((bpp * width + 31) / 32) * 4;
  if (h.offset + stride * height > bytes.length) throw new BmpError('corrupt', 'BMP pixel data is cut short');
  const row = (y: number) => h.offset + (h.topDown ? y : height - 1 - y) * stride;

  if (bpp <= 8) {
    const colours = bytes.readUInt32LE(46) || 1 << bpp;
    const paletteAt = 14 + h.headerSize;
    if (paletteAt + colours * 4 > h.offset) throw new BmpError('corrupt', 'BMP palette overlaps the pixels');
    const palette = Array.from({ length: colours }, (_, i) => {
      const p = paletteAt + i * 4;
      return [bytes[p + 2], bytes[p + 1], bytes[p]]; // stored BGR0
    });
    const gray = palette.every(([r, g, b]) => r === g && g === b);
    const channels = gray ? 1 : 3;
    const out = Buffer.alloc(width * height * channels);
    const perByte = 8 / bpp;
    const mask = (1 << bpp) - 1;
    for (let y = 0; y < height; y++) {
      const start = row(y);
      for (let x = 0; x < width; x++) {
        const byte = bytes[start + Math.floor(x / perByte)];
        const index = (byte >> ((perByte - 1 - (x % perByte)) * bpp)) & mask;
        const colour = palette[index];
        if (!colour) throw new BmpError('corrupt', `BMP pixel uses colour ${index} outside its palette`);
        const o = (y * width + x) * channels;
        if (gray) out[o] = colour[0];
        else [out[o], out[o + 1], out[o + 2]] = colour;
      }
    }
    return { data: out, width, height, channels };
  }

  // 24-bit is BGR; 32-bit is BGRX or BGRA. Only the standard byte order of masks is taken.
  const alphaMask = bitfields && h.headerSize >= 56 ? bytes.readUInt32LE(14 + 52) : 0;
  if (bitfields) {
    const masks = [bytes.readUInt32LE(54), bytes.readUInt32LE(58), bytes.readUInt32LE(62)];
    if (masks[0] !== 0x00ff0000 || masks[1] !== 0x0000ff00 || masks[2] !== 0x000000ff) {
      throw new BmpError('unsupported', 'BMP bit fields other than 8-8-8 are not supported');
    }
  }
  const channels = alphaMask === 0xff000000 ? 4 : 3;
  const step = bpp / 8;
  const out = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    const start = row(y);
    for (let x = 0; x < width; x++) {
      const p = start + x * step;
      const o = (y * width + x) * channels;
      out[o] = bytes[p + 2];
      out[o + 1] = bytes[p + 1];
      out[o + 2] = bytes[p];
      if (channels === 4) out[o + 3] = bytes[p + 3];
    }
  }
  return { data: out, width, height, channels };
}
