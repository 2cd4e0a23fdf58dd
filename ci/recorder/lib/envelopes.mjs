// Reads a folder of Sentry envelopes (sentry.md §2): replay events, recording segments (zlib,
// gzip or plain JSON after the {"segment_id":N} header line), error events and sessions.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

function parseEnvelope(buf) {
  let pos = buf.indexOf(0x0a);
  const header = JSON.parse(buf.subarray(0, pos < 0 ? buf.length : pos).toString('utf8'));
  const items = [];
  while (pos >= 0 && pos + 1 < buf.length) {
    const start = pos + 1;
    const nl = buf.indexOf(0x0a, start);
    if (nl < 0) break;
    const itemHeader = JSON.parse(buf.subarray(start, nl).toString('utf8'));
    let payload;
    if (typeof itemHeader.length === 'number') {
      payload = buf.subarray(nl + 1, nl + 1 + itemHeader.length);
      pos = nl + 1 + itemHeader.length;
      if (buf[pos] !== 0x0a) pos = buf.length > pos ? pos - 1 : -1;
    } else {
      const end = buf.indexOf(0x0a, nl + 1);
      payload = buf.subarray(nl + 1, end < 0 ? buf.length : end);
      pos = end;
    }
    items.push({ header: itemHeader, payload });
  }
  return { header, items };
}

function recordingEvents(payload) {
  const nl = payload.indexOf(0x0a);
  const header = JSON.parse(payload.subarray(0, nl).toString('utf8'));
  const body = payload.subarray(nl + 1);
  let text;
  if (body[0] === 0x5b) text = body.toString('utf8');
  else if (body[0] === 0x1f && body[1] === 0x8b) text = zlib.gunzipSync(body).toString('utf8');
  else text = zlib.inflateSync(body).toString('utf8');
  return { segmentId: header.segment_id, events: JSON.parse(text) };
}

export function readEnvelopeDir(dir) {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.envelope')).sort();
  const out = { files, replayEvents: [], segments: [], errors: [], sessions: 0, other: [] };
  for (const file of files) {
    const env = parseEnvelope(fs.readFileSync(path.join(dir, file)));
    for (const item of env.items) {
      const type = item.header.type;
      if (type === 'replay_event') out.replayEvents.push({ file, ...JSON.parse(item.payload.toString('utf8')) });
      else if (type === 'replay_recording') out.segments.push({ file, ...recordingEvents(item.payload) });
      else if (type === 'event') out.errors.push({ file, ...JSON.parse(item.payload.toString('utf8')) });
      else if (type === 'session') out.sessions++;
      else out.other.push({ file, type });
    }
  }
  out.segments.sort((a, b) => a.segmentId - b.segmentId);
  return out;
}

// The replay's rrweb events without Sentry's custom events (type 5), whose outer timestamps mix
// seconds and milliseconds (sentry.md §3.5), sorted by time: what rrweb's Replayer needs.
export function rrwebEventsOf(segments) {
  return segments.flatMap((s) => s.events).filter((e) => e.type !== 5).sort((a, b) => a.timestamp - b.timestamp);
}

// Outer event timestamps in ms: values up to 9999999999 are seconds (the SDK's own rule).
const ms = (t) => (t > 9999999999 ? t : t * 1000);

// The replay's network spans (sentry.md §4), each with its segment, frame and its offsets (ms)
// from the replay's first frame (as `reprise events` counts them), in start order.
export function firstFrameMs(segments) {
  return Math.min(...segments.flatMap((s) => s.events.map((e) => ms(e.timestamp))));
}

export function networkSpans(segments) {
  const first = firstFrameMs(segments);
  const spans = [];
  for (const seg of segments) {
    seg.events.forEach((e, frame) => {
      const p = e.type === 5 && e.data?.tag === 'performanceSpan' ? e.data.payload : null;
      if (!p || !/^resource\.(fetch|xhr)$/.test(p.op)) return;
      spans.push({
        segment: seg.segmentId,
        frame,
        url: p.description,
        method: p.data?.method,
        status: p.data?.statusCode,
        startMs: Math.round(p.startTimestamp * 1000 - first),
        endMs: Math.round(p.endTimestamp * 1000 - first),
        request: p.data?.request,
        response: p.data?.response,
        warnings: [...(p.data?.request?._meta?.warnings ?? []), ...(p.data?.response?._meta?.warnings ?? [])],
      });
    });
  }
  return spans.sort((a, b) => a.startMs - b.startMs);
}
