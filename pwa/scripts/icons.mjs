// Draws the app icon (a calm centre, Self, with parts around it) and renders the PNGs the
// manifest names. Run with `npm run icons`; the PNGs are committed, so builds do not need sharp.
import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';

const THEME = '#2b6f6a';
const PARTS = ['#f2c7a5', '#a8d5cf', '#c9b8e3', '#f4dfa0', '#b9d7a8', '#f0b6b6'];

/** The motif on a square of `size`; `safe` is the radius (0..0.5) the parts may reach. */
function motif(size, safe) {
  const c = size / 2;
  const ring = size * safe * 0.62;
  const partR = size * safe * 0.2;
  const parts = PARTS.map((fill, i) => {
    const a = (Math.PI * 2 * i) / PARTS.length - Math.PI / 2;
    const x = (c + ring * Math.cos(a)).toFixed(1);
    const y = (c + ring * Math.sin(a)).toFixed(1);
    return `<circle cx="${x}" cy="${y}" r="${partR.toFixed(1)}" fill="${fill}"/>`;
  }).join('');
  return (
    `<circle cx="${c}" cy="${c}" r="${(ring).toFixed(1)}" fill="none" stroke="#ffffff" ` +
    `stroke-opacity="0.35" stroke-width="${(size * 0.012).toFixed(1)}"/>` +
    parts +
    `<circle cx="${c}" cy="${c}" r="${(size * safe * 0.26).toFixed(1)}" fill="#fff7e0"/>`
  );
}

function icon(size, { maskable }) {
  const bg = maskable
    ? `<rect width="${size}" height="${size}" fill="${THEME}"/>`
    : `<rect width="${size}" height="${size}" rx="${size * 0.22}" fill="${THEME}"/>`;
  // Maskable icons keep everything inside the central 80% circle (radius 0.4).
  const safe = maskable ? 0.38 : 0.46;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">${bg}${motif(size, safe)}</svg>`;
}

/** The notification badge: Android shows only its alpha channel, so white shapes on nothing. */
function badge(size) {
  const c = size / 2;
  const dots = PARTS.map((_, i) => {
    const a = (Math.PI * 2 * i) / PARTS.length - Math.PI / 2;
    return `<circle cx="${(c + size * 0.3 * Math.cos(a)).toFixed(1)}" cy="${(c + size * 0.3 * Math.sin(a)).toFixed(1)}" r="${(size * 0.09).toFixed(1)}" fill="#fff"/>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">${dots}<circle cx="${c}" cy="${c}" r="${(size * 0.14).toFixed(1)}" fill="#fff"/></svg>`;
}

const out = new URL('../public/', import.meta.url);
const jobs = [
  ['icons/icon-192.png', 192, false],
  ['icons/icon-512.png', 512, false],
  ['icons/maskable-512.png', 512, true],
  ['icons/apple-touch-icon-180.png', 180, true],
];
for (const [name, size, maskable] of jobs) {
  await sharp(Buffer.from(icon(size, { maskable }))).png({ compressionLevel: 9 }).toFile(new URL(name, out).pathname);
}
await sharp(Buffer.from(badge(96))).png({ compressionLevel: 9 }).toFile(new URL('icons/badge-96.png', out).pathname);
await writeFile(new URL('favicon.svg', out), icon(64, { maskable: false }) + '\n');
console.log('icons written to public/');
