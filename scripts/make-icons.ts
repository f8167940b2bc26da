// Draws the app icon (SVG) and writes every size the packagers want into build/: PNGs for Linux,
// icon.ico (PNG entries) for Windows, icon.icns (PNG entries) for macOS. Run: npx tsx scripts/make-icons.ts
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

const out = join(import.meta.dirname, '..', 'build');

// A part made of 3x3 cells (like the solar cells the app inspects), one cell glowing as the anomaly,
// under a magnifying glass.
export const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024" viewBox="0 0 1024 1024">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#2b4c7e"/><stop offset="1" stop-color="#141c2c"/>
    </linearGradient>
    <radialGradient id="hot" cx="0.5" cy="0.5" r="0.5">
      <stop offset="0" stop-color="#fff3b0"/><stop offset="0.45" stop-color="#ff8a3d"/><stop offset="1" stop-color="#c2272d"/>
    </radialGradient>
  </defs>
  <rect x="32" y="32" width="960" height="960" rx="210" fill="url(#bg)"/>
  <g fill="#9fb3cc" stroke="#2b3a52" stroke-width="10">
    ${[0, 1, 2]
      .flatMap((r) => [0, 1, 2].map((c) => ({ r, c })))
      .map(({ r, c }) =>
        r === 1 && c === 2
          ? `<rect x="${190 + c * 190}" y="${190 + r * 190}" width="180" height="180" rx="18" fill="url(#hot)"/>`
          : `<rect x="${190 + c * 190}" y="${190 + r * 190}" width="180" height="180" rx="18"/>`,
      )
      .join('\n    ')}
  </g>
  <circle cx="660" cy="470" r="170" fill="none" stroke="#ffffff" stroke-width="44"/>
  <line x1="785" y1="595" x2="890" y2="700" stroke="#ffffff" stroke-width="70" stroke-linecap="round"/>
</svg>`;

const png = (size: number) => sharp(Buffer.from(ICON_SVG)).resize(size, size).png({ compressionLevel: 9 }).toBuffer();

/** ICO with PNG-compressed entries (Windows Vista and later read these). */
function ico(images: Array<{ size: number; data: Buffer }>): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, i) => {
    const e = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, e);
    header.writeUInt8(size >= 256 ? 0 : size, e + 1);
    header.writeUInt16LE(1, e + 4); // planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(data.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.data)]);
}

/** ICNS with PNG entries: ic07 128, ic08 256, ic09 512, ic10 1024, ic11 32, ic12 64, ic13 256, ic14 512. */
function icns(entries: Array<{ type: string; data: Buffer }>): Buffer {
  const chunks = entries.map(({ type, data }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const total = 8 + chunks.reduce((n, c) => n + c.length, 0);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(total, 4);
  return Buffer.concat([head, ...chunks]);
}

async function main(): Promise<void> {
  await mkdir(join(out, 'icons'), { recursive: true });
  await writeFile(join(out, 'icon.svg'), ICON_SVG);
  const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
  const pngs = new Map<number, Buffer>();
  for (const s of sizes) pngs.set(s, await png(s));
  for (const s of sizes) await writeFile(join(out, 'icons', `${s}x${s}.png`), pngs.get(s)!);
  await writeFile(join(out, 'icon.png'), pngs.get(1024)!);
  await writeFile(join(out, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: pngs.get(size)! }))));
  const types: Array<[string, number]> = [['ic11', 32], ['ic12', 64], ['ic07', 128], ['ic08', 256], ['ic13', 512], ['ic09', 512], ['ic14', 1024], ['ic10', 1024]];
  await writeFile(join(out, 'icon.icns'), icns(types.map(([type, size]) => ({ type, data: pngs.get(size)! }))));
  console.log(`icons written to ${out}`);
}

await main();
