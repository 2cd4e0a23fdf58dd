// Loopback-only servers for one recording run: the app (static files + its JSON API, with
// latencies) and a Sentry sink that keeps every POSTed envelope body byte for byte.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { APIS } from './api.mjs';

const HOST = '127.0.0.1';
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', (err) => {
      reject(err.code === 'EADDRINUSE'
        ? new Error(`port ${port} on ${HOST} is in use; the recordings need this exact origin, free it first`)
        : err);
    });
    server.listen(port, HOST, () => resolve(server.address().port));
  });
}

function close(server) {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

// Serves `root` (index.html for "/") and answers /api/* from the app's API after its latency.
// `log` receives one entry per request: {t, method, url, status, latency_ms, request_body}.
export async function startAppServer({ app, root, port, clock, log }) {
  const api = APIS[app]();
  const rootAbs = path.resolve(root);
  const server = http.createServer(async (req, res) => {
    res.sendDate = false;
    const url = new URL(req.url, `http://${HOST}`);
    const body = await readBody(req);
    const t = clock();
    if (url.pathname.startsWith('/api/')) {
      const answer = api(req, url, body) ?? { status: 404, body: { error: 'not_found' }, latencyMs: 0 };
      const bytes = Buffer.from(JSON.stringify(answer.body));
      log.push({
        t: Math.round(t), method: req.method, url: url.pathname + url.search, status: answer.status,
        latency_ms: answer.latencyMs, ...(body.length ? { request_body: body.toString('utf8') } : {}),
      });
      setTimeout(() => {
        res.writeHead(answer.status, {
          'Content-Type': 'application/json',
          'Content-Length': bytes.length,
          'Cache-Control': 'no-store',
        });
        res.end(bytes);
      }, answer.latencyMs);
      return;
    }
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = path.resolve(rootAbs, rel);
    let status = 200;
    let bytes;
    if (req.method !== 'GET' || !file.startsWith(rootAbs + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      status = 404;
      bytes = Buffer.from('not found\n');
    } else {
      bytes = fs.readFileSync(file);
    }
    log.push({ t: Math.round(t), method: req.method, url: url.pathname, status });
    res.writeHead(status, {
      'Content-Type': status === 200 ? (TYPES[path.extname(file)] ?? 'application/octet-stream') : 'text/plain',
      'Content-Length': bytes.length,
      'Cache-Control': 'no-store',
    });
    res.end(bytes);
  });
  const bound = await listen(server, port);
  return { origin: `http://${HOST}:${bound}`, close: () => close(server) };
}

// The Sentry ingest stand-in: every POST to /api/<project>/envelope/ is kept as it arrived,
// numbered in arrival order, and answered 200 with CORS headers (the SDK only links error ids to
// the replay when the error envelope was accepted).
export async function startSentrySink({ port }) {
  const envelopes = [];
  let inFlight = 0;
  let lastActivity = Date.now();
  const server = http.createServer(async (req, res) => {
    res.sendDate = false;
    const cors = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': '*',
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors);
      res.end();
      return;
    }
    if (req.method !== 'POST' || !/^\/api\/\d+\/envelope\/?$/.test(new URL(req.url, `http://${HOST}`).pathname)) {
      res.writeHead(404, cors);
      res.end();
      return;
    }
    inFlight++;
    try {
      envelopes.push(await readBody(req));
    } finally {
      inFlight--;
      lastActivity = Date.now();
    }
    res.writeHead(200, { ...cors, 'Content-Type': 'application/json' });
    res.end('{}');
  });
  const bound = await listen(server, port);
  return {
    port: bound,
    envelopes,
    // Resolves once no envelope is being received and none arrived for `quietMs`.
    async settle(quietMs = 500, timeoutMs = 10000) {
      const end = Date.now() + timeoutMs;
      while (Date.now() < end) {
        if (inFlight === 0 && Date.now() - lastActivity >= quietMs) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the Sentry sink kept receiving envelopes');
    },
    close: () => close(server),
  };
}
