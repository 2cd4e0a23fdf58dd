//! Sentry envelopes: header line, then items, `length`-delimited when the item header says so,
//! else newline-delimited (sentry.md §2.1). Replay recordings, replay events, error events and
//! native `replay_video` items are read; other item types are skipped.

use super::builder::Builder;
use super::compression::{inflate_all, into_text, unpack};
use super::msgpack;
use crate::error::{Error, Location, Result};
use crate::model::{ErrorEvent, ReplayMeta, Timestamp, Video};
use serde_json::Value;

pub struct Item<'a> {
    pub index: usize,
    pub header: Value,
    pub payload: &'a [u8],
    pub offset: usize,
}

impl Item<'_> {
    pub fn kind(&self) -> &str {
        self.header.get("type").and_then(Value::as_str).unwrap_or("")
    }
}

fn line(buf: &[u8], from: usize) -> (&[u8], usize) {
    match buf[from..].iter().position(|&b| b == b'\n') {
        Some(n) => (&buf[from..from + n], from + n + 1),
        None => (&buf[from..], buf.len()),
    }
}

/// Splits an envelope into its header and items.
pub fn parse<'a>(buf: &'a [u8], loc: &Location) -> Result<(Value, Vec<Item<'a>>)> {
    let (head, mut pos) = line(buf, 0);
    let header: Value = serde_json::from_slice(head)
        .map_err(|e| Error::input(loc.clone().byte(0), format!("envelope header is not JSON: {e}")))?;
    if !header.is_object() {
        return Err(Error::input(loc.clone().byte(0), "envelope header is not a JSON object"));
    }
    let mut items = Vec::new();
    while pos < buf.len() {
        let at = pos;
        let (ih, next) = line(buf, pos);
        pos = next;
        if ih.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let index = items.len();
        let item_loc = || loc.clone().detail(format!("envelope item {index}")).byte(at as u64);
        let header: Value = serde_json::from_slice(ih)
            .map_err(|e| Error::input(item_loc(), format!("item header is not JSON: {e}")))?;
        let payload_at = pos;
        let payload = match header.get("length") {
            Some(len) => {
                let len = len
                    .as_u64()
                    .ok_or_else(|| Error::input(item_loc(), "item `length` is not a whole number"))?
                    as usize;
                let remain = buf.len() - pos;
                if len > remain {
                    return Err(Error::input(
                        item_loc(),
                        format!("item declares length {len} but only {remain} bytes remain in the file"),
                    ));
                }
                let p = &buf[pos..pos + len];
                pos += len;
                if buf.get(pos) == Some(&b'\n') {
                    pos += 1;
                }
                p
            }
            None => {
                let (p, next) = line(buf, pos);
                pos = next;
                p
            }
        };
        items.push(Item { index, header, payload, offset: payload_at });
    }
    Ok((header, items))
}

/// True when the bytes look like an envelope: a JSON object line, then an item header line with a
/// string `type`.
pub fn looks_like(buf: &[u8]) -> bool {
    let (head, pos) = line(buf, 0);
    let Ok(Value::Object(h)) = serde_json::from_slice::<Value>(head) else { return false };
    if h.get("type").is_some_and(Value::is_number) {
        return false;
    }
    let (item, _) = line(buf, pos);
    matches!(serde_json::from_slice::<Value>(item), Ok(Value::Object(i)) if i.get("type").is_some_and(Value::is_string))
}

/// Reads every item of one envelope file into the builder.
pub fn read_into(b: &mut Builder, buf: &[u8], loc: &Location) -> Result<()> {
    let (header, items) = parse(buf, loc)?;
    let envelope_replay = header.pointer("/trace/replay_id").and_then(Value::as_str).map(str::to_owned);
    for item in items {
        let item_loc = loc.clone().detail(format!("envelope item {} ({})", item.index, item.kind())).byte(item.offset as u64);
        match item.kind() {
            "replay_recording" => {
                recording_item(b, item.payload, &item_loc)?;
            }
            "replay_event" => {
                let v: Value = serde_json::from_slice(item.payload)
                    .map_err(|e| Error::input(item_loc.clone(), format!("replay_event is not JSON: {e}")))?;
                merge_replay_event(b, &v);
            }
            "replay_video" => {
                let map = msgpack::read_map(item.payload, &item_loc)?;
                let get = |k: &str| map.iter().find(|(n, _)| n == k).map(|(_, v)| *v);
                if let Some(ev) = get("replay_event") {
                    let v: Value = serde_json::from_slice(ev).map_err(|e| {
                        Error::input(item_loc.clone(), format!("replay_video: replay_event is not JSON: {e}"))
                    })?;
                    merge_replay_event(b, &v);
                }
                let rec = get("replay_recording")
                    .ok_or_else(|| Error::input(item_loc.clone(), "replay_video has no replay_recording"))?;
                let segment = recording_item(b, rec, &item_loc)?;
                if let Some(video) = get("replay_video") {
                    b.rec.videos.push(Video { segment, bytes: video.to_vec() });
                }
            }
            "event" => {
                let v: Value = serde_json::from_slice(item.payload)
                    .map_err(|e| Error::input(item_loc.clone(), format!("error event is not JSON: {e}")))?;
                if let Some(mut err) = error_event(&v, &item_loc.to_string()) {
                    err.replay_id = envelope_replay.clone();
                    b.rec.errors.push(err);
                }
            }
            _ => {}
        }
    }
    if b.rec.replay_id.is_none() {
        b.rec.replay_id = envelope_replay;
    }
    Ok(())
}

/// `{"segment_id":N}\n` + raw, zlib or gzip rrweb JSON. Returns the segment id.
pub fn recording_item(b: &mut Builder, payload: &[u8], loc: &Location) -> Result<u32> {
    let nl = payload.iter().position(|&c| c == b'\n').ok_or_else(|| {
        Error::input(loc.clone(), "replay_recording has no `{\"segment_id\":N}` header line")
    })?;
    let head: Value = serde_json::from_slice(&payload[..nl])
        .map_err(|e| Error::input(loc.clone(), format!("replay_recording header is not JSON: {e}")))?;
    let segment = head
        .get("segment_id")
        .and_then(Value::as_u64)
        .and_then(|s| u32::try_from(s).ok())
        .ok_or_else(|| Error::input(loc.clone(), "replay_recording header has no numeric segment_id"))?;
    b.segmented();
    if b.has_segment(segment) {
        b.rec.warn(format!("segment {segment}"), "duplicate segment: the first copy is kept");
        return Ok(segment);
    }
    let seg_loc = loc.clone().segment(segment);
    let body = match inflate_all(payload[nl + 1..].to_vec(), &seg_loc)
        .and_then(|bytes| unpack(bytes, &seg_loc))
        .and_then(|(video, json)| into_text(json, &seg_loc).map(|t| (video, t)))
    {
        Ok(v) => v,
        Err(e) => {
            b.fail(segment, e)?;
            return Ok(segment);
        }
    };
    if let Some(video) = body.0 {
        b.rec.videos.push(Video { segment, bytes: video });
    }
    let buffer = b.add_buffer(body.1);
    b.segment_from_buffer(segment, buffer, loc)?;
    Ok(segment)
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

fn push_unique(into: &mut Vec<String>, items: Vec<String>) {
    for i in items {
        if !into.contains(&i) {
            into.push(i);
        }
    }
}

/// Merges one replay_event (or bundle metadata) into the recording's replay metadata.
pub fn merge_replay_event(b: &mut Builder, v: &Value) {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    if b.rec.replay_id.is_none() {
        b.rec.replay_id = s("replay_id").or_else(|| s("event_id"));
    }
    let m: &mut ReplayMeta = &mut b.rec.meta;
    m.replay_type = m.replay_type.take().or_else(|| s("replay_type"));
    m.platform = m.platform.take().or_else(|| s("platform"));
    m.release = m.release.take().or_else(|| s("release"));
    m.environment = m.environment.take().or_else(|| s("environment"));
    push_unique(&mut m.urls, strings(v, "urls"));
    push_unique(&mut m.error_ids, strings(v, "error_ids"));
    push_unique(&mut m.trace_ids, strings(v, "trace_ids"));
    if let Some(start) = v.get("replay_start_timestamp").and_then(Value::as_f64) {
        let t = super::events::to_ms(start);
        m.started_at = Some(Timestamp(m.started_at.map_or(t, |s| s.0.min(t))));
    }
    if let Some(end) = v.get("timestamp").and_then(Value::as_f64) {
        let t = super::events::to_ms(end);
        m.finished_at = Some(Timestamp(m.finished_at.map_or(t, |s| s.0.max(t))));
    }
    if m.raw.is_none() {
        m.raw = Some(v.clone());
    }
}

/// The parts of an error event a replay investigation needs.
pub fn error_event(v: &Value, origin: &str) -> Option<ErrorEvent> {
    let id = v.get("event_id").and_then(Value::as_str)?.to_owned();
    let timestamp = match v.get("timestamp") {
        Some(Value::Number(n)) => n.as_f64().map(super::events::to_ms),
        _ => None,
    }
    .unwrap_or(f64::NAN);
    let exc = v.pointer("/exception/values").and_then(Value::as_array).and_then(|a| a.last());
    let s = |x: Option<&Value>| x.and_then(Value::as_str).map(str::to_owned);
    let message = s(v.get("message"))
        .or_else(|| s(v.pointer("/message/formatted")))
        .or_else(|| s(v.pointer("/logentry/formatted")))
        .or_else(|| s(v.pointer("/logentry/message")));
    Some(ErrorEvent {
        id,
        timestamp: Timestamp(timestamp),
        message,
        exception_type: s(exc.and_then(|e| e.get("type"))),
        exception_value: s(exc.and_then(|e| e.get("value"))),
        level: s(v.get("level")),
        url: s(v.pointer("/request/url")),
        origin: origin.to_string(),
        replay_id: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_length_and_newline_delimited_items() {
        let env = b"{\"event_id\":\"x\"}\n{\"type\":\"replay_event\"}\n{\"a\":1}\n{\"type\":\"replay_recording\",\"length\":5}\nab\ncd\n";
        let loc = Location::file("e");
        let (_, items) = parse(env, &loc).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].payload, b"{\"a\":1}");
        assert_eq!(items[1].payload, b"ab\ncd");
        assert!(looks_like(env));
    }

    #[test]
    fn length_overrun_names_the_item() {
        let env = b"{}\n{\"type\":\"replay_recording\",\"length\":500}\nabc";
        let err = parse(env, &Location::file("e")).err().unwrap().to_string();
        assert!(err.contains("envelope item 0") && err.contains("length 500"), "{err}");
    }
}
