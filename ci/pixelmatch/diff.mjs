// pixelmatch as a command, shaped like `reprise diff`, for ci/bench-diff:
//
//   node diff.mjs a.png b.png [-o diff.png] [--threshold T] [--no-aa]
//
// Prints {"diffPixels": N, "totalPixels": M}; exits 0 when identical, 3 when different or
// of different sizes (then pixelmatch is not called: it would throw).
import { readFileSync, writeFileSync } from 'node:fs';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

const args = process.argv.slice(2);
const paths = [];
const opts = {};
let output = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '-o') output = args[++i];
  else if (args[i] === '--threshold') opts.threshold = Number(args[++i]);
  else if (args[i] === '--no-aa') opts.includeAA = true;
  else paths.push(args[i]);
}
if (paths.length !== 2) {
  console.error('usage: node diff.mjs a.png b.png [-o diff.png] [--threshold T] [--no-aa]');
  process.exit(2);
}
const [a, b] = paths.map((p) => PNG.sync.read(readFileSync(p)));
if (a.width !== b.width || a.height !== b.height) {
  console.log(JSON.stringify({ sizeMismatch: [[a.width, a.height], [b.width, b.height]] }));
  process.exit(3);
}
const diff = output ? new PNG({ width: a.width, height: a.height }) : null;
const diffPixels = pixelmatch(a.data, b.data, diff && diff.data, a.width, a.height, opts);
if (diff) writeFileSync(output, PNG.sync.write(diff));
console.log(JSON.stringify({ diffPixels, totalPixels: a.width * a.height }));
process.exit(diffPixels ? 3 : 0);
