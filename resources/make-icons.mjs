// Writes the app icons (icon.png, icon.ico, icon.icns) and the .sluice document icon from code, so
// they need no design tool and stay reproducible: `node resources/make-icons.mjs`.
// The mark: a sluice gate — three white bars across a teal square with rounded corners.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const here = new URL('.', import.meta.url);

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
};

/** An RGBA PNG of `size` pixels drawn by `pixel(x, y) -> [r, g, b, a]` (coordinates 0..1). */
const png = (size, pixel) => {
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) {
    rows[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x += 1) {
      const [r, g, b, a] = pixel((x + 0.5) / size, (y + 0.5) / size);
      rows.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
};

const inRoundedSquare = (x, y, margin, radius) => {
  const lo = margin + radius;
  const hi = 1 - margin - radius;
  const dx = Math.max(lo - x, 0, x - hi);
  const dy = Math.max(lo - y, 0, y - hi);
  return x >= margin && x <= 1 - margin && y >= margin && y <= 1 - margin && dx * dx + dy * dy <= radius * radius;
};
const bars = (x, y) => [0.34, 0.5, 0.66].some((c) => Math.abs(y - c) < 0.045) && x > 0.24 && x < 0.76;

const appIcon = (x, y) => {
  if (!inRoundedSquare(x, y, 0.06, 0.18)) return [0, 0, 0, 0];
  if (bars(x, y)) return [255, 255, 255, 255];
  const t = y; // teal, darker towards the bottom
  return [Math.round(18 + 10 * (1 - t)), Math.round(128 - 40 * t), Math.round(140 - 30 * t), 255];
};
const documentIcon = (x, y) => {
  if (x < 0.18 || x > 0.82 || y < 0.08 || y > 0.92) return [0, 0, 0, 0];
  if (x > 0.62 && y < 0.28 && x - 0.62 > y - 0.08) return [0, 0, 0, 0]; // folded corner
  if (inRoundedSquare((x - 0.18) / 0.64, (y - 0.38) / 0.46, 0.15, 0.12) && bars(x, y * 0.9 + 0.1)) return [20, 110, 120, 255];
  return [245, 248, 248, 255];
};

const ico = (pngData, size) => {
  const head = Buffer.alloc(22);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2);
  head.writeUInt16LE(1, 4);
  head.set([size >= 256 ? 0 : size, size >= 256 ? 0 : size, 0, 0], 6);
  head.writeUInt16LE(1, 10);
  head.writeUInt16LE(32, 12);
  head.writeUInt32LE(pngData.length, 14);
  head.writeUInt32LE(22, 18);
  return Buffer.concat([head, pngData]);
};
const icns = (entries) => {
  const parts = entries.map(([type, data]) => {
    const h = Buffer.alloc(8);
    h.write(type, 0, 'ascii');
    h.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([h, data]);
  });
  const body = Buffer.concat(parts);
  const h = Buffer.alloc(8);
  h.write('icns', 0, 'ascii');
  h.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([h, body]);
};

const app512 = png(512, appIcon);
const app256 = png(256, appIcon);
writeFileSync(new URL('icon.png', here), app512);
writeFileSync(new URL('icon.ico', here), ico(app256, 256));
writeFileSync(new URL('icon.icns', here), icns([['ic08', app256], ['ic09', app512]]));
writeFileSync(new URL('tray.png', here), png(32, appIcon));
const doc256 = png(256, documentIcon);
writeFileSync(new URL('sluice-file.png', here), png(512, documentIcon));
writeFileSync(new URL('sluice-file.ico', here), ico(doc256, 256));
writeFileSync(new URL('sluice-file.icns', here), icns([['ic08', doc256]]));
