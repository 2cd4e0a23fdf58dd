#!/usr/bin/env node
// Checks that a demo recording shows what it should: --expect bug (the buggy build) or
// --expect fixed (the fixed build under the same script).
//
//   node check.mjs --dir DIR --app search|checkout --expect bug|fixed
//
// Reads DIR/<recording>.rrweb.json[.gz] and DIR/<recording>.sentry/, replays both with rrweb's own
// Replayer in Chromium to read the final DOM, reads the network spans, error events and error_ids
// from the envelopes, prints the evidence and exits 1 when an expectation does not hold.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { FLOWS } from './lib/flows.mjs';
import { readEnvelopeDir, networkSpans, rrwebEventsOf, firstFrameMs } from './lib/envelopes.mjs';

const require = createRequire(import.meta.url);
const { values: opt } = parseArgs({
  options: {
    dir: { type: 'string' },
    app: { type: 'string' },
    expect: { type: 'string', default: 'bug' },
    chromium: { type: 'string', default: process.env.CHROME },
  },
});
if (!FLOWS[opt.app] || !opt.dir || !['bug', 'fixed'].includes(opt.expect)) {
  console.error('usage: node check.mjs --dir DIR --app search|checkout --expect bug|fixed');
  process.exit(2);
}
const name = FLOWS[opt.app].recording;
const failures = [];
const check = (ok, what) => {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

function readRrweb() {
  const base = path.join(opt.dir, `${name}.rrweb.json`);
  if (fs.existsSync(`${base}.gz`)) return JSON.parse(zlib.gunzipSync(fs.readFileSync(`${base}.gz`)).toString('utf8'));
  return JSON.parse(fs.readFileSync(base, 'utf8'));
}

function rrwebBundle() {
  let dir = path.dirname(require.resolve('rrweb'));
  while (path.basename(dir) !== 'rrweb') dir = path.dirname(dir);
  return fs.readFileSync(path.join(dir, 'dist', 'rrweb.umd.min.cjs'), 'utf8');
}

// What the user sees at the end, read from the replayed DOM (same fields as flows.mjs finalState).
const PROBES = {
  search: (doc) => ({
    input: doc.getElementById('q').value,
    status: doc.getElementById('status').textContent,
    results: [...doc.querySelectorAll('#results li .name')].map((n) => n.textContent),
  }),
  checkout: (doc) => ({
    banner: doc.getElementById('banner').hasAttribute('hidden') ? null : doc.getElementById('banner').textContent,
    confirmation_visible: !doc.getElementById('confirmation').hasAttribute('hidden'),
    order_id: doc.getElementById('order-id').textContent,
    place_order_button: doc.getElementById('place-order').textContent,
  }),
};

// Replays `events` to the end with rrweb 2.2.2's Replayer and probes the rebuilt document.
async function finalDom(browser, events) {
  const page = await browser.newPage();
  await page.route('**/*', (route) => route.abort());
  await page.setContent('<!DOCTYPE html><html><head></head><body></body></html>');
  await page.addScriptTag({ content: rrwebBundle() });
  const sorted = events.filter((e) => e.type !== 5).sort((a, b) => a.timestamp - b.timestamp);
  const state = await page.evaluate(({ events, probe }) => {
    const replayer = new window.rrweb.Replayer(events, {
      root: document.body, mouseTail: false, triggerFocus: false, showWarning: false, skipInactive: false,
    });
    replayer.pause(events[events.length - 1].timestamp - events[0].timestamp + 1);
    // eslint-disable-next-line no-new-func
    return new Function('doc', `return (${probe})(doc);`)(replayer.iframe.contentDocument);
  }, { events: sorted, probe: PROBES[opt.app].toString() });
  await page.close();
  return state;
}

function fmtSpan(s) {
  const body = s.response?.body === undefined ? 'no body' : `body ${JSON.stringify(s.response.body).slice(0, 70)}`;
  return `seg ${s.segment} frame ${s.frame}: ${s.method} ${s.url} -> ${s.status} (${s.startMs}..${s.endMs} ms) ${body}`
    + (s.warnings.length ? ` warnings ${s.warnings.join(',')}` : '');
}

async function main() {
  const rrweb = readRrweb();
  const sentry = readEnvelopeDir(path.join(opt.dir, `${name}.sentry`));
  const replayIds = [...new Set(sentry.replayEvents.map((r) => r.replay_id))];
  const errorIds = [...new Set(sentry.replayEvents.flatMap((r) => r.error_ids ?? []))];
  const spans = networkSpans(sentry.segments);
  const apiSpans = spans.filter((s) => s.url.includes('/api/'));
  const segEvents = rrwebEventsOf(sentry.segments);

  console.log(`${name} (${opt.dir}), expecting ${opt.expect === 'bug' ? 'the bug' : 'no bug'}`);
  console.log(`  rrweb: ${rrweb.length} events; sentry: ${sentry.files.length} envelopes, replay ${replayIds.join(',')}, `
    + `segments ${sentry.segments.map((s) => s.segmentId).join(',')}, ${sentry.errors.length} error event(s), error_ids [${errorIds.join(',')}]`);
  for (const s of apiSpans) console.log(`  span ${fmtSpan(s)}`);
  for (const e of sentry.errors) {
    const ex = e.exception?.values?.[0];
    const at = Math.round(e.timestamp * 1000 - firstFrameMs(sentry.segments));
    console.log(`  error ${e.event_id} (${e.file}, at ${at} ms): ${ex?.type}: ${ex?.value} [${ex?.mechanism?.type}] tags.replayId=${e.tags?.replayId}`);
  }

  check(replayIds.length === 1, 'one replay id in the envelopes');
  check(apiSpans.length > 0 && apiSpans.every((s) => s.response && s.response.body !== undefined), 'every API span has its response body');
  check(apiSpans.every((s) => s.warnings.length === 0), 'no _meta warnings (no URL_SKIPPED) on API spans');

  const browser = await chromium.launch({
    executablePath: [opt.chromium, '/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => p && fs.existsSync(p)),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  let domRrweb;
  let domSentry;
  try {
    domRrweb = await finalDom(browser, rrweb);
    domSentry = await finalDom(browser, segEvents);
  } finally {
    await browser.close();
  }
  console.log(`  final DOM (rrweb recording):  ${JSON.stringify(domRrweb)}`);
  console.log(`  final DOM (sentry segments):  ${JSON.stringify(domSentry)}`);
  const bug = opt.expect === 'bug';

  if (opt.app === 'search') {
    const q = (s) => new URL(s.url, 'http://x').searchParams.get('q');
    check(JSON.stringify(apiSpans.map(q)) === '["f","fe","fer","fern"]', 'requests q=f, fe, fer, fern in that order');
    const lastToArrive = [...apiSpans].sort((a, b) => a.endMs - b.endMs).at(-1);
    check(lastToArrive && q(lastToArrive) === 'fe', `the "fe" response arrives last (at ${lastToArrive?.endMs} ms)`);
    for (const [src, dom] of [['rrweb', domRrweb], ['sentry', domSentry]]) {
      check(dom.input === 'fern', `${src}: the input holds "fern"`);
      if (bug) {
        check(dom.status === '8 results for "fe"' && dom.results.length === 8 && dom.results.includes('Fennel'),
          `${src}: the page shows the stale results for "fe" (8 results, Fennel among them)`);
      } else {
        check(dom.status === '4 results for "fern"' && dom.results.length === 4 && !dom.results.includes('Fennel'),
          `${src}: the page shows the results for "fern" (4 results)`);
      }
    }
    check(sentry.errors.length === 0, 'no error events');
  } else {
    const posts = apiSpans.filter((s) => s.method === 'POST' && s.url.endsWith('/api/orders'));
    if (bug) {
      check(JSON.stringify(posts.map((s) => s.status)) === '[201,409]', 'two POST /api/orders: 201 then 409');
      check(posts[1]?.response?.body?.error === 'duplicate_order', 'the 409 body is captured (error "duplicate_order")');
      check(posts.every((s) => s.request?.body?.cart_id === 'cart-42'), 'both request bodies are captured');
      const typeErrors = sentry.errors.filter((e) => /Cannot read properties of undefined \(reading 'id'\)/.test(e.exception?.values?.[0]?.value ?? ''));
      check(typeErrors.length === 1, 'one error event: TypeError "Cannot read properties of undefined (reading \'id\')"');
      check(typeErrors.length === 1 && errorIds.includes(typeErrors[0].event_id), 'the error event is linked to the replay by error_ids');
      check(typeErrors.length === 1 && typeErrors[0].tags?.replayId === replayIds[0], 'the error event names the replay (tags.replayId)');
      for (const [src, dom] of [['rrweb', domRrweb], ['sentry', domSentry]]) {
        check(dom.banner === 'Something went wrong. Please try again.' && dom.confirmation_visible,
          `${src}: the error banner and the confirmation are shown together`);
      }
    } else {
      check(JSON.stringify(posts.map((s) => s.status)) === '[201]', 'one POST /api/orders: 201');
      check(sentry.errors.length === 0 && errorIds.length === 0, 'no error events, no error_ids');
      for (const [src, dom] of [['rrweb', domRrweb], ['sentry', domSentry]]) {
        check(dom.banner === null && dom.confirmation_visible && dom.order_id === 'ORD-1001',
          `${src}: a clean confirmation for ORD-1001, no banner`);
      }
    }
  }
  if (failures.length) {
    console.log(`${name}: ${failures.length} expectation(s) failed`);
    process.exit(1);
  }
  console.log(`${name}: all expectations hold`);
}

main().catch((err) => {
  console.error(err.stack ?? String(err));
  process.exit(1);
});
