//! The answers of Sentry's replay API, read into what a bundle needs: the recording-segments page
//! (an array of per-segment event arrays, or the metadata-only `{"data": [...]}` of older servers)
//! and the replay detail (`{"data": {...}}`).

use crate::cache::parse_rfc3339;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// One page of `recording-segments/`.
pub enum Page {
    /// Each segment's event array, as the server sent it, in segment order.
    Segments(Vec<Box<RawValue>>),
    /// Older servers without `download=true`: segment descriptions only, no events.
    MetadataOnly,
}

/// Parses a recording-segments page, however deep its JSON nests.
pub fn parse_page(body: &[u8]) -> Result<Page, String> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
    match first {
        Some(b'[') => {
            let items: Vec<Box<RawValue>> = from_slice_deep(body).map_err(|e| format!("not a JSON array: {e}"))?;
            for (i, item) in items.iter().enumerate() {
                let t = item.get().trim_start();
                if !(t.starts_with('[') || t == "null") {
                    return Err(format!("element {i} is not a segment's event array"));
                }
            }
            Ok(Page::Segments(items))
        }
        Some(b'{') => {
            let v: Value = from_slice_deep(body).map_err(|e| format!("not JSON: {e}"))?;
            if v.get("data").is_some_and(Value::is_array) {
                Ok(Page::MetadataOnly)
            } else {
                Err("a JSON object that is not a recording-segments answer".into())
            }
        }
        _ => Err("not a JSON recording-segments answer".into()),
    }
}

fn from_slice_deep<'a, T: Deserialize<'a>>(s: &'a [u8]) -> serde_json::Result<T> {
    let mut de = serde_json::Deserializer::from_slice(s);
    de.disable_recursion_limit();
    T::deserialize(serde_stacker::Deserializer::new(&mut de))
}

/// The replay detail: what the bundle's `metadata.json` is made from.
#[derive(Debug, Clone)]
pub struct Detail {
    pub fields: Map<String, Value>,
}

impl Detail {
    pub fn parse(body: &[u8]) -> Result<Detail, String> {
        let v: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
        match v.get("data") {
            Some(Value::Object(fields)) => Ok(Detail { fields: fields.clone() }),
            _ => Err("expected a JSON object with a `data` object".into()),
        }
    }

    /// The server's segment count: a hint only (it counts replay events, not stored blobs).
    pub fn count_segments(&self) -> Option<u64> {
        self.fields.get("count_segments").and_then(Value::as_u64)
    }

    pub fn is_archived(&self) -> bool {
        self.fields.get("is_archived").and_then(Value::as_bool).unwrap_or(false)
    }

    pub fn error_ids(&self) -> Vec<String> {
        let ids = self.fields.get("error_ids").and_then(Value::as_array);
        ids.into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
    }

    /// `metadata.json` without its `reprise` block: the detail's fields plus the replay_event
    /// names ingest reads (`replay_id`, `replay_start_timestamp` and `timestamp` in seconds).
    pub fn metadata(&self, replay_id: &str) -> Value {
        let mut m = self.fields.clone();
        m.entry("replay_id").or_insert_with(|| Value::from(replay_id));
        let secs = |k: &str| {
            let t = self.fields.get(k).and_then(Value::as_str).and_then(parse_rfc3339);
            t.map(|t| Value::from(t.0 / 1000.0))
        };
        if let Some(start) = secs("started_at") {
            m.entry("replay_start_timestamp").or_insert(start);
        }
        if let Some(end) = secs("finished_at") {
            m.entry("timestamp").or_insert(end);
        }
        Value::Object(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_page_shapes() {
        match parse_page(b" [[{\"type\":4}], [], null]").unwrap() {
            Page::Segments(s) => assert_eq!(s.iter().map(|r| r.get()).collect::<Vec<_>>(), ["[{\"type\":4}]", "[]", "null"]),
            Page::MetadataOnly => panic!("segments expected"),
        }
        assert!(matches!(parse_page(br#"{"data":[{"segmentId":0}]}"#).unwrap(), Page::MetadataOnly));
        assert!(parse_page(b"[[1],").is_err(), "a page cut short is an error");
        assert!(parse_page(b"[1]").is_err());
        assert!(parse_page(b"<html>").is_err());
    }

    #[test]
    fn detail_becomes_metadata() {
        let d = Detail::parse(br#"{"data":{"id":"ab","count_segments":3,"started_at":"2026-11-21T14:41:32.228Z","finished_at":"2026-11-21T14:42:28.139Z","error_ids":["e1"]}}"#).unwrap();
        assert_eq!(d.count_segments(), Some(3));
        assert_eq!(d.error_ids(), ["e1"]);
        let m = d.metadata("ab");
        assert_eq!(m["replay_id"], "ab");
        assert_eq!(m["replay_start_timestamp"].as_f64(), Some(1795272092.228));
        assert_eq!(m["timestamp"].as_f64(), Some(1795272148.139));
    }
}
