// Writes tests/pixels/pixelmatch-counts.json: what pixelmatch 7 says about every pair in
// tests/pixels/pairs.json, for each setting the Rust test checks reprise against.
//
//   cd ci/pixelmatch && npm ci && node counts.mjs
//
// Masks are painted onto both images in MASK_COLOR before comparing, as reprise does.
// diffHash is FNV-1a (32 bit) of pixelmatch's RGBA diff output with default colours and
// alpha; aaPixels counts the pixels it painted in aaColor (yellow).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

const here = dirname(fileURLToPath(import.meta.url));
const data = resolve(here, '../../tests/pixels');
const version = createRequire(import.meta.url)('pixelmatch/package.json').version;

const MASK_COLOR = [255, 0, 255, 255];
const SETTINGS = [];
for (const threshold of [0.1, 0.05])
  for (const includeAA of [false, true])
    for (const checkerboard of [true, false]) SETTINGS.push({ threshold, includeAA, checkerboard });

export function readPng(path) {
  return PNG.sync.read(readFileSync(path));
}

export function paintMasks(img, masks) {
  for (const [mx, my, mw, mh] of masks) {
    for (let y = Math.max(my, 0); y < Math.min(my + mh, img.height); y++) {
      for (let x = Math.max(mx, 0); x < Math.min(mx + mw, img.width); x++) {
        img.data.set(MASK_COLOR, (y * img.width + x) * 4);
      }
    }
  }
}

export function fnv1a(bytes) {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

function run({ name, a, b, masks = [] }) {
  const img1 = readPng(join(data, 'png', a));
  const img2 = readPng(join(data, 'png', b));
  const entry = { name, a, b, masks };
  if (img1.width !== img2.width || img1.height !== img2.height) {
    try {
      pixelmatch(img1.data, img2.data, null, img1.width, img1.height);
      throw new Error('pixelmatch accepted images of different sizes');
    } catch (e) {
      return { ...entry, sizeMismatch: [[img1.width, img1.height], [img2.width, img2.height]], error: e.message };
    }
  }
  paintMasks(img1, masks);
  paintMasks(img2, masks);
  const { width, height } = img1;
  const results = SETTINGS.map((s) => {
    const out = Buffer.alloc(width * height * 4);
    const diffPixels = pixelmatch(img1.data, img2.data, out, width, height, s);
    let aaPixels = 0;
    for (let i = 0; i < out.length; i += 4) {
      if (out[i] === 255 && out[i + 1] === 255 && out[i + 2] === 0) aaPixels++;
    }
    return { ...s, diffPixels, aaPixels, diffHash: fnv1a(out) };
  });
  return { ...entry, width, height, results };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const pairs = JSON.parse(readFileSync(join(data, 'pairs.json'), 'utf8'));
  const out = { tool: `pixelmatch ${version}`, generatedBy: 'ci/pixelmatch/counts.mjs', pairs: pairs.map(run) };
  // One line per pair and per result keeps the file reviewable in diffs.
  const line = (v) => JSON.stringify(v).replace(/([,:])(?=[\[{"\dtfn-])/g, '$1 ');
  const pair = ({ results, ...p }) => results
    ? `  ${line(p).slice(0, -1)}, "results": [\n${results.map((r) => `    ${line(r)}`).join(',\n')}\n  ]}`
    : `  ${line(p)}`;
  const text = `{"tool": ${line(out.tool)}, "generatedBy": ${line(out.generatedBy)}, "pairs": [\n${out.pairs.map(pair).join(',\n')}\n]}`;
  writeFileSync(join(data, 'pixelmatch-counts.json'), text + '\n');
  for (const p of out.pairs) {
    const r = p.results ? p.results.map((x) => x.diffPixels).join(' ') : `size mismatch: ${p.error}`;
    console.log(`${p.name.padEnd(28)} ${r}`);
  }
}
