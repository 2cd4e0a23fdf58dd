#!/usr/bin/env node
// Records one demo app session with rrweb 2.2.2 record() and @sentry/browser 11.12.0
// replayIntegration at the same time, in Debian Chromium driven by playwright-core.
//
//   node record.mjs --app search|checkout --variant buggy|fixed --out DIR [--manifest FILE]
//
// Writes DIR/<recording>.rrweb.json (rrweb event array, as emitted), DIR/<recording>.sentry/NNN.envelope
// (every envelope the SDK POSTed, byte for byte, in arrival order) and, with --manifest, merges a
// description of the run (tools, steps, API requests, final DOM state) into FILE.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { startAppServer, startSentrySink } from './lib/servers.mjs';
import { FLOWS } from './lib/flows.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const require = createRequire(import.meta.url);

// A fixed, made-up public key: the sink accepts anything.
const SENTRY_KEY = '5e1d0c0ffee0a11b0b5eedfacade4242';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--no-first-run', '--disable-sync', '--disable-dev-shm-usage', '--mute-audio', '--hide-scrollbars',
];
const VIEWPORT = { width: 1280, height: 800 };
const WATCHDOG_MS = 120_000;

const { values: opt } = parseArgs({
  options: {
    app: { type: 'string' },
    variant: { type: 'string', default: 'buggy' },
    out: { type: 'string' },
    manifest: { type: 'string' },
    'sentry-bundle': { type: 'string', default: path.join(HERE, 'build', 'sentry.iife.js') },
    chromium: { type: 'string', default: process.env.CHROME },
  },
});
const flow = FLOWS[opt.app];
if (!flow || !['buggy', 'fixed'].includes(opt.variant) || !opt.out) {
  console.error('usage: node record.mjs --app search|checkout --variant buggy|fixed --out DIR [--manifest FILE]');
  process.exit(2);
}

function findChromium() {
  const candidates = [opt.chromium, '/usr/lib/chromium/chromium', '/usr/bin/chromium'].filter(Boolean);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(`no Chromium found (tried ${candidates.join(', ')}); install it with: apt-get install -y chromium`);
  }
  return found;
}

function rrwebBundle() {
  // package.json "exports" hides dist/; walk up from the main entry to the package root.
  let dir = path.dirname(require.resolve('rrweb'));
  while (path.basename(dir) !== 'rrweb') dir = path.dirname(dir);
  return fs.readFileSync(path.join(dir, 'dist', 'rrweb.umd.min.cjs'), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
}

function packageVersion(name) {
  let dir = path.dirname(require.resolve(name));
  while (!fs.existsSync(path.join(dir, 'package.json')) || JSON.parse(fs.readFileSync(path.join(dir, 'package.json'))).name !== name) {
    dir = path.dirname(dir);
  }
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'))).version;
}

// Runs at document start in every frame; only the top window records (rrweb's own helper iframe
// would otherwise record itself recursively).
function initScript({ origin, sinkPort }) {
  const sentryOptions = {
    dsn: `http://${SENTRY_KEY}@127.0.0.1:${sinkPort}/1`,
    environment: 'demo',
    release: 'reprise-demo-apps@1.0.0',
    replaysSessionSampleRate: 1.0,
    replaysOnErrorSampleRate: 1.0,
  };
  const replayOptions = {
    maskAllText: false,
    maskAllInputs: false,
    blockAllMedia: false,
    networkDetailAllowUrls: [origin],
    networkCaptureBodies: true,
    minReplayDuration: 0,
  };
  return `(function () {
if (window.top !== window) return;
${rrwebBundle()}
window.__rrwebEvents = [];
window.rrweb.record({ emit: function (event) { window.__rrwebEvents.push(event); } });
${fs.readFileSync(opt['sentry-bundle'], 'utf8')}
var options = ${JSON.stringify(sentryOptions)};
options.integrations = [Sentry.replayIntegration(${JSON.stringify(replayOptions)})];
Sentry.init(options);
window.Sentry = Sentry;
}).call(window);
`;
}

async function main() {
  const t0 = Date.now();
  const clock = () => Date.now() - t0;
  const requests = [];
  const steps = [];
  const pageErrors = [];
  const consoleErrors = [];
  const step = (what) => steps.push([clock(), what]);

  const sink = await startSentrySink({ port: 0 });
  const app = await startAppServer({
    app: opt.app,
    root: path.join(REPO, 'scenarios', 'apps', opt.app, opt.variant),
    port: flow.port,
    clock,
    log: requests,
  });
  const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', timezoneId: 'UTC' });
    await context.addInitScript({ content: initScript({ origin: app.origin, sinkPort: sink.port }) });
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push({ t: clock(), message: String(err.message ?? err) }));
    page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push({ t: clock(), text: msg.text() }); });

    await flow.run(page, app.origin, step);

    const finalState = await page.evaluate(flow.finalState);
    const rrwebJson = await page.evaluate(() => JSON.stringify(window.__rrwebEvents));
    const replayId = await page.evaluate(async () => {
      const replay = Sentry.getReplay();
      await replay.flush();
      await Sentry.flush(5000);
      const id = replay.getReplayId();
      await replay.stop();
      return id;
    });
    await sink.settle();

    fs.mkdirSync(opt.out, { recursive: true });
    const base = path.join(opt.out, flow.recording);
    fs.writeFileSync(`${base}.rrweb.json`, rrwebJson);
    fs.rmSync(`${base}.sentry`, { recursive: true, force: true });
    fs.mkdirSync(`${base}.sentry`);
    sink.envelopes.forEach((bytes, i) => {
      fs.writeFileSync(path.join(`${base}.sentry`, `${String(i + 1).padStart(3, '0')}.envelope`), bytes);
    });

    const run = {
      app: opt.app,
      variant: opt.variant,
      start_url: `${app.origin}/`,
      browser: `Chromium ${browser.version()}`,
      viewport: VIEWPORT,
      wall_ms: clock(),
      replay_id: replayId,
      rrweb_events: JSON.parse(rrwebJson).length,
      envelopes: sink.envelopes.length,
      steps,
      api_requests: requests.filter((r) => r.url.startsWith('/api/')),
      page_errors: pageErrors,
      console_errors: consoleErrors,
      final_live_dom: finalState,
    };
    if (opt.manifest) mergeManifest(opt.manifest, flow.recording, run);
    console.log(JSON.stringify({ recording: flow.recording, ...run, steps: undefined }, null, 1));
  } finally {
    await browser.close();
    await app.close();
    await sink.close();
  }
}

function mergeManifest(file, name, run) {
  const manifest = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  manifest.description = 'Real recordings of the demo apps in scenarios/apps/ (buggy builds), made by ci/record-demos: '
    + 'rrweb record() and @sentry/browser replayIntegration in the same page, driven by playwright-core. See docs/demo-apps.md.';
  manifest.tools = {
    node: process.version,
    'playwright-core': packageVersion('playwright-core'),
    rrweb: packageVersion('rrweb'),
    '@sentry/browser': packageVersion('@sentry/browser'),
    esbuild: packageVersion('esbuild'),
    browser: run.browser,
  };
  manifest.runs = { ...(manifest.runs ?? {}), [name]: run };
  manifest.runs = Object.fromEntries(Object.entries(manifest.runs).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(file, JSON.stringify(manifest, null, 1) + '\n');
}

setTimeout(() => {
  console.error(`record.mjs: gave up after ${WATCHDOG_MS} ms`);
  process.exit(3);
}, WATCHDOG_MS).unref();

main().catch((err) => {
  console.error(err.stack ?? String(err));
  process.exit(1);
});
