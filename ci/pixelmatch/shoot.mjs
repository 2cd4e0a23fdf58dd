// Regenerates the screenshots in tests/pixels/png/ from the pages in tests/pixels/pages/.
//
//   node ci/pixelmatch/shoot.mjs            (CHROMIUM=/path overrides the headless shell)
//   node ci/pixelmatch/shoot.mjs --bench DIR
//                                           the large pairs of ci/bench-diff, kept out of git
//
// Each shot is one page at one variant (?v=NAME, see pages/variant.js) and one window size.
// The committed PNGs are the test data; rerunning this on another machine may change
// anti-aliasing details, after which ci/pixelmatch/counts.mjs must be rerun too.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pages = join(root, 'tests/pixels/pages');
const out = join(root, 'tests/pixels/png');
const chromium = process.env.CHROMIUM || '/usr/lib/chromium/chromium-headless-shell';

// [png name, page, variant, width, height, transparent background]
export const SHOTS = [
  ['text', 'text', 'base', 480, 320],
  ['text-edit', 'text', 'edit', 480, 320],
  ['text-shift', 'text', 'shift', 480, 320],
  ['text-color', 'text', 'color', 480, 320],
  ['text-bold', 'text', 'bold', 480, 320],
  ['text-wide', 'text', 'base', 500, 320],
  ['aa', 'aa-text', 'base', 460, 200],
  ['aa-subpx', 'aa-text', 'subpx', 460, 200],
  ['aa-edit', 'aa-text', 'edit', 460, 200],
  ['aa-shift', 'aa-text', 'shift', 460, 200],
  ['aa-color', 'aa-text', 'color', 460, 200],
  ['borders', 'borders', 'base', 420, 200],
  ['borders-radius', 'borders', 'radius', 420, 200],
  ['borders-shift', 'borders', 'shift', 420, 200],
  ['borders-color', 'borders', 'color', 420, 200],
  ['borders-shadow', 'borders', 'shadow', 420, 200],
  ['gradient', 'gradient', 'base', 320, 300],
  ['gradient-stop', 'gradient', 'stop', 320, 300],
  ['gradient-angle', 'gradient', 'angle', 320, 300],
  ['gradient-shift', 'gradient', 'shift', 320, 300],
  ['form', 'form', 'base', 300, 280],
  ['form-edit', 'form', 'edit', 300, 280],
  ['form-checked', 'form', 'checked', 300, 280],
  ['form-color', 'form', 'color', 300, 280],
  ['form-shift', 'form', 'shift', 300, 280],
  ['form-tall', 'form', 'base', 300, 290],
  ['table', 'table', 'base', 400, 200],
  ['table-edit', 'table', 'edit', 400, 200],
  ['table-shift', 'table', 'shift', 400, 200],
  ['table-color', 'table', 'color', 400, 200],
  ['alpha', 'alpha', 'base', 260, 180, true],
  ['alpha-alpha', 'alpha', 'alpha', 260, 180, true],
  ['alpha-shift', 'alpha', 'shift', 260, 180, true],
];

export function shoot(file, page, variant, width, height, transparent = false, pagesDir = pages) {
  const url = `${pathToFileURL(join(pagesDir, `${page}.html`))}?v=${variant}`;
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars',
    '--force-device-scale-factor=1', `--screenshot=${file}`, `--window-size=${width},${height}`];
  if (transparent) args.push('--default-background-color=00000000');
  execFileSync(chromium, [...args, url], { stdio: ['ignore', 'ignore', 'pipe'] });
}

// Large pairs for ci/bench-diff: a long page of sections, and the same with a few edits.
export const BENCH_SHOTS = [
  ['bench-1080', 'bench', 1920, 1080],
  ['bench-tall', 'bench', 3446, 10728],
];

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--bench') {
  const dir = resolve(process.argv[3]);
  mkdirSync(dir, { recursive: true });
  for (const [name, page, w, h] of BENCH_SHOTS) {
    for (const variant of ['base', 'edit']) shoot(join(dir, `${name}-${variant}.png`), page, variant, w, h);
    console.log(`${name}-{base,edit}.png  ${w}x${h}`);
  }
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(out, { recursive: true });
  for (const [name, page, variant, w, h, transparent] of SHOTS) {
    shoot(join(out, `${name}.png`), page, variant, w, h, transparent);
    console.log(`${name}.png  ${page}?v=${variant}  ${w}x${h}${transparent ? '  transparent' : ''}`);
  }
}
