//! Ingest: bytes on disk -> a typed `Recording`. The only module that knows wire formats. Formats
//! are detected by content (magic bytes, JSON shape), never by file name alone.

mod builder;
mod bundle;
mod compression;
mod envelope;
mod events;
mod intern;
mod liveness;
mod msgpack;
mod network;
mod surrogates;
mod wire;

pub use bundle::FORMAT_VERSION as BUNDLE_FORMAT_VERSION;
pub use events::to_ms;
pub use network::load_har;

use builder::Builder;
use compression::{inflate_all, into_text, unpack};
use events::{decode_array, decode_event, from_str_deep, offset_in, split_array};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::error::{Error, Location, Result};
use crate::model::{Pointer, Recording, SourceFormat, Span, Video};
use std::path::Path;

/// How to read a source.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// For multi-window sources (PostHog): which window; the first by default.
    pub window: Option<String>,
    /// Keep going when a segment is unreadable: it becomes a gap.
    pub lenient: bool,
}

/// Reads any supported source: a file (any format) or a folder (bundle or envelopes).
pub fn load(path: &Path, opts: &LoadOptions) -> Result<Recording> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return load_dir(path, opts);
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    load_bytes(bytes, &path.display().to_string(), opts)
}

fn load_dir(dir: &Path, opts: &LoadOptions) -> Result<Recording> {
    if bundle::is_bundle(dir) {
        return bundle::read(dir, opts.lenient);
    }
    // A corpus-style session folder: prefer its bundle, then its envelopes.
    if bundle::is_bundle(&dir.join("bundle")) {
        return bundle::read(&dir.join("bundle"), opts.lenient);
    }
    let env_dir = if dir.join("envelopes").is_dir() { dir.join("envelopes") } else { dir.to_path_buf() };
    let mut files: Vec<_> = std::fs::read_dir(&env_dir)
        .map_err(|e| Error::io(&env_dir, e))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let origin = dir.display().to_string();
    let mut b = Builder::new(&origin, SourceFormat::SentryEnvelope, opts.lenient);
    b.segmented();
    let mut envelopes = 0;
    for path in &files {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let loc = Location::file(path.display().to_string());
        if !envelope::looks_like(&bytes) {
            b.rec.warn(loc.to_string(), "not a Sentry envelope; skipped");
            continue;
        }
        envelopes += 1;
        envelope::read_into(&mut b, &bytes, &loc)?;
    }
    if envelopes == 0 {
        return Err(Error::input(
            Location::file(origin),
            "folder holds no replay bundle (metadata.json + segments/) and no Sentry envelopes",
        ));
    }
    Ok(b.finish())
}

/// Reads a source already in memory; `origin` names it in messages.
pub fn load_bytes(bytes: Vec<u8>, origin: &str, opts: &LoadOptions) -> Result<Recording> {
    let loc = Location::file(origin);
    let compressed = compression::sniff(&bytes).is_some();
    let bytes = inflate_all(bytes, &loc)?;
    // A Sentry storage blob may be packed (0x00 / 0x01 + ...).
    let packed = compressed && matches!(bytes.first(), Some(0x00 | 0x01));
    let (video, bytes) = if matches!(bytes.first(), Some(0x00 | 0x01)) { unpack(bytes, &loc)? } else { (None, bytes) };
    if msgpack::looks_like_map(&bytes) {
        let mut b = Builder::new(origin, SourceFormat::SentryReplayVideo, opts.lenient);
        let fake = format!("{{}}\n{{\"type\":\"replay_video\",\"length\":{}}}\n", bytes.len());
        let mut env = fake.into_bytes();
        env.extend_from_slice(&bytes);
        envelope::read_into(&mut b, &env, &loc)?;
        return Ok(b.finish());
    }
    let first_line_end = bytes.iter().position(|&c| c == b'\n').unwrap_or(bytes.len());
    let multi_line = bytes[first_line_end..].iter().any(|c| !c.is_ascii_whitespace());
    // Only line-based formats need their first line parsed; a single-line document (often the
    // whole recording) is never parsed twice.
    let first_line: Option<Value> = if multi_line {
        serde_json::from_slice(&bytes[..first_line_end]).ok()
    } else {
        None
    };
    if let Some(Value::Object(head)) = &first_line {
        if envelope::looks_like(&bytes) {
            let mut b = Builder::new(origin, SourceFormat::SentryEnvelope, opts.lenient);
            envelope::read_into(&mut b, &bytes, &loc)?;
            return Ok(b.finish());
        }
        if head.contains_key("segment_id") && !head.contains_key("type") {
            let mut b = Builder::new(origin, SourceFormat::SentryBlob, opts.lenient);
            envelope::recording_item(&mut b, &bytes, &loc)?;
            return Ok(b.finish());
        }
        if head.get("type").is_some_and(Value::is_number) || head.contains_key("window_id") {
            let text = into_text(bytes, &loc)?;
            return load_jsonl(text, origin, opts);
        }
    }
    let text = into_text(bytes, &loc)?;
    // A gzip/zlib file of plain JSON is still that JSON; only Sentry's packed layout is a blob.
    let format = if packed { SourceFormat::SentryBlob } else { SourceFormat::RrwebJson };
    let mut rec = load_json(text, origin, format, opts)?;
    if let Some(bytes) = video {
        rec.videos.push(Video { segment: 0, bytes });
    }
    Ok(rec)
}

/// Top-level JSON objects reprise recognizes, with their payloads left raw.
#[derive(Deserialize)]
struct TopObject<'a> {
    #[serde(borrow, default)]
    events: Option<&'a RawValue>,
    #[serde(borrow, default)]
    session: Option<&'a RawValue>,
    #[serde(borrow, default)]
    snapshot_data_by_window_id: Option<std::collections::BTreeMap<String, &'a RawValue>>,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
}

fn first_char(s: &str) -> Option<char> {
    s.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}').chars().next()
}

fn load_json(text: String, origin: &str, format: SourceFormat, opts: &LoadOptions) -> Result<Recording> {
    let loc = Location::file(origin);
    match first_char(&text) {
        Some('[') => {
            let mut b = Builder::new(origin, format, opts.lenient);
            let buffer = b.add_buffer(text);
            let buf = &b.rec.buffers[buffer as usize];
            let items = split_array(buf, &loc)?;
            if items.first().is_some_and(|i| first_char(i.get()) == Some('[')) {
                // Sentry recording-segments: one array per segment, in segment order.
                let mut parsed = Vec::new();
                for (seg, item) in items.iter().enumerate() {
                    let seg = seg as u32;
                    let seg_loc = loc.clone().segment(seg).byte(offset_in(buf, item.get()) as u64);
                    let r = from_str_deep::<Vec<&RawValue>>(item.get())
                        .map_err(|e| Error::input(seg_loc, format!("segment is not an array of events: {e}")))
                        .and_then(|events| decode_array(buf, &events, buffer, seg, &loc));
                    parsed.push((seg, r));
                }
                b.rec.format = Some(SourceFormat::SentrySegments);
                b.segmented();
                for (seg, r) in parsed {
                    b.accept(seg, r)?;
                }
            } else {
                let r = decode_array(buf, &items, buffer, 0, &loc);
                b.accept(0, r)?;
            }
            Ok(b.finish())
        }
        Some('{') => {
            let top: TopObject = from_str_deep(&text)
                .map_err(|e| Error::input(loc.clone(), format!("not a recognized JSON document: {e}")))?;
            if let Some(windows) = &top.snapshot_data_by_window_id {
                let names: Vec<String> = windows.keys().cloned().collect();
                let chosen = choose_window(&names, opts, &loc)?;
                let raw = windows[&chosen];
                let (start, len) = (offset_in(&text, raw.get()), raw.get().len());
                drop(top);
                return from_slice_of(text, start, len, origin, SourceFormat::PostHog, opts, names, Some(chosen));
            }
            if let Some(events) = top.events {
                let (start, len) = (offset_in(&text, events.get()), events.get().len());
                let format = if top.session.is_some() { SourceFormat::WebExtension } else { format };
                drop(top);
                return from_slice_of(text, start, len, origin, format, opts, vec![], None);
            }
            if let Some(data) = top.data {
                if first_char(data.get()) == Some('[') && data.get().contains("segmentId") {
                    return Err(Error::input(
                        loc,
                        "this is Sentry's metadata-only recording-segments answer: it lists segments but holds no events. \
                         Fetch it again with `download=true` (reprise fetch does this by itself)",
                    ));
                }
            }
            Err(Error::input(
                loc,
                "a JSON object reprise does not recognize (expected an rrweb event array, {session, events}, \
                 PostHog {snapshot_data_by_window_id}, or a Sentry segments array)",
            ))
        }
        _ => Err(Error::input(loc, "not a recording: expected JSON, JSONL, gzip/zlib, an envelope or MessagePack")),
    }
}

fn choose_window(names: &[String], opts: &LoadOptions, loc: &Location) -> Result<String> {
    match &opts.window {
        Some(w) if names.contains(w) => Ok(w.clone()),
        Some(w) => Err(Error::input(loc.clone(), format!("no window `{w}`; windows: {}", names.join(", ")))),
        None => names.first().cloned().ok_or_else(|| Error::input(loc.clone(), "no windows in this recording")),
    }
}

/// Decodes the event array at `text[start..start+len]`, keeping the whole text as the buffer.
#[allow(clippy::too_many_arguments)]
fn from_slice_of(
    text: String,
    start: usize,
    len: usize,
    origin: &str,
    format: SourceFormat,
    opts: &LoadOptions,
    windows: Vec<String>,
    window: Option<String>,
) -> Result<Recording> {
    let loc = Location::file(origin);
    let mut b = Builder::new(origin, format, opts.lenient);
    b.rec.windows = windows;
    b.rec.window = window;
    let buffer = b.add_buffer(text);
    let buf = &b.rec.buffers[buffer as usize];
    let items = split_array(&buf[start..start + len], &loc)?;
    let r = decode_array(buf, &items, buffer, 0, &loc);
    b.accept(0, r)?;
    Ok(b.finish())
}

/// JSONL: one rrweb event per line, or PostHog's `{window_id, data: [events]}` lines.
fn load_jsonl(text: String, origin: &str, opts: &LoadOptions) -> Result<Recording> {
    let loc = Location::file(origin);
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if !trimmed.trim().is_empty() {
            lines.push((at, trimmed));
        }
        at += line.len();
    }
    #[derive(Deserialize)]
    struct WindowLine<'a> {
        window_id: Option<String>,
        #[serde(borrow)]
        data: &'a RawValue,
    }
    let posthog = lines.first().is_some_and(|(_, l)| l.contains("\"window_id\""));
    let format = if posthog { SourceFormat::PostHog } else { SourceFormat::RrwebJsonl };
    let mut b = Builder::new(origin, format, opts.lenient);
    let mut decoded = Vec::new();
    if posthog {
        let mut per_window: Vec<(String, Vec<(usize, &str)>)> = Vec::new();
        for (i, (off, line)) in lines.iter().enumerate() {
            let w: WindowLine = serde_json::from_str(line).map_err(|e| {
                Error::input(loc.clone().byte(*off as u64).detail(format!("line {}", i + 1)), format!("not a PostHog line: {e}"))
            })?;
            let id = w.window_id.unwrap_or_default();
            let items: Vec<&RawValue> = from_str_deep(w.data.get()).map_err(|e| {
                Error::input(loc.clone().byte(*off as u64).detail(format!("line {}", i + 1)), format!("`data` is not an event array: {e}"))
            })?;
            let entry = match per_window.iter_mut().find(|(n, _)| *n == id) {
                Some(e) => e,
                None => {
                    per_window.push((id.clone(), Vec::new()));
                    per_window.last_mut().unwrap()
                }
            };
            entry.1.extend(items.iter().map(|r| (offset_in(&text, r.get()), r.get())));
        }
        let names: Vec<String> = per_window.iter().map(|(n, _)| n.clone()).collect();
        let chosen = choose_window(&names, opts, &loc)?;
        b.rec.windows = names;
        lines = per_window.into_iter().find(|(n, _)| *n == chosen).map(|(_, l)| l).unwrap_or_default();
        b.rec.window = Some(chosen);
    }
    for (i, (off, line)) in lines.iter().enumerate() {
        let span = Span { buffer: 0, start: *off as u32, end: (*off + line.len()) as u32 };
        let d = decode_event(line, Pointer::new(0, i as u32), span).map_err(|m| {
            Error::input(loc.clone().segment(0).frame(i as u32).byte(*off as u64), m)
        });
        match d {
            Ok(d) => decoded.push(d),
            Err(e) => return b.accept(0, Err(e)).map(|_| b.finish()),
        }
    }
    b.add_buffer(text);
    b.accept(0, Ok(decoded))?;
    Ok(b.finish())
}
