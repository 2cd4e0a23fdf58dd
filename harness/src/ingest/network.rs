//! Sentry network spans (`resource.fetch`/`resource.xhr`) -> typed exchanges, with bodies taken
//! verbatim from the recorded text (sentry.md §4), and HAR files -> the same exchanges.

use crate::error::{Error, Location, Result};
use crate::model::{CustomFrame, Exchange, FrameData, Pointer, Recording, Timestamp};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct WireFrame<'a> {
    #[serde(borrow)]
    data: WireCustomData<'a>,
}

#[derive(Deserialize)]
struct WireCustomData<'a> {
    #[serde(borrow)]
    payload: WirePayload<'a>,
}

#[derive(Deserialize)]
struct WirePayload<'a> {
    #[serde(borrow, default)]
    data: Option<WireNetData<'a>>,
}

#[derive(Deserialize)]
struct WireNetData<'a> {
    #[serde(default)]
    method: Option<String>,
    #[serde(rename = "statusCode", default)]
    status: Option<u16>,
    #[serde(borrow, default)]
    request: Option<WireSide<'a>>,
    #[serde(borrow, default)]
    response: Option<WireSide<'a>>,
}

#[derive(Deserialize)]
struct WireSide<'a> {
    #[serde(default)]
    headers: BTreeMap<String, serde_json::Value>,
    #[serde(borrow, default)]
    body: Option<&'a RawValue>,
    #[serde(rename = "_meta", default)]
    meta: Option<WireMeta>,
}

#[derive(Deserialize, Default)]
struct WireMeta {
    #[serde(default)]
    warnings: Vec<String>,
}

/// A body as the app would receive it: strings unescaped, JSON kept as recorded text.
fn body_text(raw: Option<&RawValue>) -> Option<String> {
    let raw = raw?.get();
    if raw == "null" {
        return None;
    }
    if raw.starts_with('"') {
        return serde_json::from_str::<String>(raw).ok();
    }
    Some(raw.to_string())
}

fn headers(h: &BTreeMap<String, serde_json::Value>) -> Vec<(String, String)> {
    h.iter().map(|(k, v)| (k.to_lowercase(), v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()))).collect()
}

/// Fills `rec.exchanges` from its network spans. Spans whose data cannot be read are skipped with
/// a warning: they are still events.
pub fn extract_exchanges(rec: &mut Recording) {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for f in &rec.frames {
        let FrameData::Custom(CustomFrame::PerformanceSpan { op, description, start, end, .. }) = &f.data else { continue };
        if !matches!(op.as_str(), "resource.fetch" | "resource.xhr") {
            continue;
        }
        let parsed: Result<WireFrame, _> = serde_json::from_str(rec.raw(f));
        let Ok(WireFrame { data: WireCustomData { payload: WirePayload { data: Some(d) } } }) = parsed else {
            bad.push(f.pointer);
            continue;
        };
        let (req, res) = (d.request.as_ref(), d.response.as_ref());
        let mut warnings: Vec<String> = Vec::new();
        for (side, s) in [("request", req), ("response", res)] {
            for w in s.and_then(|s| s.meta.as_ref()).map(|m| m.warnings.clone()).unwrap_or_default() {
                warnings.push(format!("{side}:{w}"));
            }
        }
        out.push(Exchange {
            pointer: f.pointer,
            start: *start,
            end: *end,
            method: d.method.clone().unwrap_or_else(|| "GET".into()).to_uppercase(),
            url: description.clone(),
            status: d.status,
            request_headers: req.map(|s| headers(&s.headers)).unwrap_or_default(),
            request_body: body_text(req.and_then(|s| s.body)),
            response_headers: res.map(|s| headers(&s.headers)).unwrap_or_default(),
            response_body: body_text(res.and_then(|s| s.body)),
            warnings,
        });
    }
    for p in bad {
        rec.warn(p.to_string(), "network span without readable request/response data");
    }
    out.sort_by(|a, b| a.start.0.total_cmp(&b.start.0));
    rec.exchanges = out;
}

#[derive(Deserialize)]
struct Har {
    log: HarLog,
}

#[derive(Deserialize)]
struct HarLog {
    entries: Vec<HarEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HarEntry {
    started_date_time: String,
    #[serde(default)]
    time: f64,
    request: HarRequest,
    response: HarResponse,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HarRequest {
    method: String,
    url: String,
    #[serde(default)]
    headers: Vec<HarHeader>,
    #[serde(default)]
    post_data: Option<HarPostData>,
}

#[derive(Deserialize)]
struct HarPostData {
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize)]
struct HarHeader {
    name: String,
    value: String,
}

#[derive(Deserialize)]
struct HarResponse {
    status: u16,
    #[serde(default)]
    headers: Vec<HarHeader>,
    #[serde(default)]
    content: Option<HarContent>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HarContent {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    encoding: Option<String>,
}

/// `2026-11-21T14:41:32.645Z` (or with an offset) -> epoch ms.
fn parse_rfc3339(s: &str) -> Option<f64> {
    let (date, time) = s.split_once('T')?;
    let mut d = date.split('-').map(|x| x.parse::<i64>());
    let (y, m, day) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
    let (clock, offset_min) = match time.find(['Z', '+', '-']) {
        Some(i) if &time[i..] == "Z" => (&time[..i], 0),
        Some(i) => {
            let sign = if time.as_bytes()[i] == b'-' { -1 } else { 1 };
            let (oh, om) = time[i + 1..].split_once(':')?;
            (&time[..i], sign * (oh.parse::<i64>().ok()? * 60 + om.parse::<i64>().ok()?))
        }
        None => (time, 0),
    };
    let mut c = clock.split(':');
    let (h, mi, sec) = (c.next()?.parse::<i64>().ok()?, c.next()?.parse::<i64>().ok()?, c.next()?.parse::<f64>().ok()?);
    // days from civil (Howard Hinnant)
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + h * 3600 + mi * 60 - offset_min * 60) as f64 + sec) * 1000.0)
}

/// Reads a HAR file's entries as exchanges (a HAR is accepted as a mock source).
pub fn load_har(bytes: &[u8], origin: &str) -> Result<Vec<Exchange>> {
    let loc = Location::file(origin);
    let har: Har = serde_json::from_slice(bytes).map_err(|e| Error::input(loc.clone(), format!("not a HAR file: {e}")))?;
    let mut out = Vec::new();
    for (i, e) in har.log.entries.into_iter().enumerate() {
        let start = parse_rfc3339(&e.started_date_time)
            .ok_or_else(|| Error::input(loc.clone().detail(format!("entry {i}")), format!("bad startedDateTime `{}`", e.started_date_time)))?;
        let content = e.response.content.unwrap_or(HarContent { text: None, encoding: None });
        let mut warnings = Vec::new();
        if content.encoding.as_deref() == Some("base64") {
            warnings.push("response:BASE64_BODY_NOT_DECODED".to_string());
        }
        let hv = |h: Vec<HarHeader>| h.into_iter().map(|h| (h.name.to_lowercase(), h.value)).collect::<Vec<_>>();
        out.push(Exchange {
            pointer: Pointer::new(0, i as u32),
            start: Timestamp(start),
            end: Timestamp(start + e.time.max(0.0)),
            method: e.request.method.to_uppercase(),
            url: e.request.url,
            status: Some(e.response.status),
            request_headers: hv(e.request.headers),
            request_body: e.request.post_data.and_then(|p| p.text),
            response_headers: hv(e.response.headers),
            response_body: content.text,
            warnings,
        });
    }
    out.sort_by(|a, b| a.start.0.total_cmp(&b.start.0));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn har_entries_become_exchanges() {
        let har = br#"{"log":{"entries":[{"startedDateTime":"2026-11-21T14:41:32.645Z","time":120,
          "request":{"method":"post","url":"http://a/api/x?q=1","headers":[{"name":"Content-Type","value":"application/json"}],"postData":{"text":"{\"a\":1}"}},
          "response":{"status":409,"headers":[],"content":{"text":"{\"error\":\"dup\"}"}}}]}}"#;
        let ex = load_har(har, "x.har").unwrap();
        assert_eq!(ex[0].method, "POST");
        assert_eq!(ex[0].status, Some(409));
        assert_eq!(ex[0].start.0, 1795272092645.0);
        assert_eq!(ex[0].latency_ms(), 120.0);
        assert_eq!(ex[0].request_body.as_deref(), Some("{\"a\":1}"));
        assert_eq!(ex[0].path_and_query(), "/api/x?q=1");
        assert!(load_har(b"{}", "x.har").is_err());
    }

    #[test]
    fn bodies_keep_their_recorded_text() {
        assert_eq!(body_text(serde_json::from_str::<&RawValue>(r#"{"z":1,"a":[2]}"#).ok()).as_deref(), Some(r#"{"z":1,"a":[2]}"#));
        assert_eq!(body_text(serde_json::from_str::<&RawValue>(r#""a\nb""#).ok()).as_deref(), Some("a\nb"));
        assert_eq!(body_text(serde_json::from_str::<&RawValue>("null").ok()), None);
    }
}
