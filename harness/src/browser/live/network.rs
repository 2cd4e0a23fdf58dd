//! Every request of the app under test, paused by CDP `Fetch` and answered at once: the app's own
//! files, recorded exchanges (matched in sequence by `MockTable`, with the recorded status, headers
//! and body, plus the latency header the page script waits on), a running app, or the unmatched
//! policy. Virtual time stands still while a request is pending, so answering at once is exact.

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use chromiumoxide::cdp::browser_protocol::fetch::{
    ContinueRequestParams, EventRequestPaused, FailRequestParams, FulfillRequestParams, HeaderEntry,
};
use chromiumoxide::cdp::browser_protocol::network::{ErrorReason, EventRequestWillBeSent, ResourceType};
use futures::StreamExt;

use super::app::AppHost;
use super::result::{LiveAnswer, LiveRequest};
use crate::mock::{MockTable, UnmatchedPolicy};
use crate::model::Exchange;

/// The header that tells the page script how long to hold a response (see js/page.js).
pub(crate) const LATENCY_HEADER: &str = "x-reprise-latency";

/// Response headers that describe the recorded transfer, not the body we send.
const DROPPED_HEADERS: [&str; 6] = ["content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive", "set-cookie"];

pub(crate) struct NetState {
    pub app: AppHost,
    pub mocks: MockTable,
    pub policy: UnmatchedPolicy,
    /// How many exchanges, at the start of the table, come from a HAR file.
    pub har_entries: usize,
    /// The recording's start (epoch ms): the page's clock at offset 0.
    pub start_ms: f64,
    /// The virtual offset of the last stop, for requests whose own time is unknown.
    pub now_ms: f64,
    log: Vec<(String, LiveRequest)>,
    /// Network request id -> virtual offset at which the page sent it.
    sent_at: std::collections::HashMap<String, f64>,
}

enum Reply {
    Fulfill { status: u16, headers: Vec<(String, String)>, body: Vec<u8> },
    Continue,
    Fail,
}

impl NetState {
    pub(crate) fn new(app: AppHost, exchanges: Vec<Exchange>, policy: UnmatchedPolicy, start_ms: f64) -> NetState {
        NetState { app, mocks: MockTable::new(exchanges), policy, har_entries: 0, start_ms, now_ms: 0.0, log: Vec::new(), sent_at: Default::default() }
    }

    fn decide(&mut self, event: &EventRequestPaused) -> (LiveRequest, Reply) {
        let req = &event.request;
        let network_id = event.network_id.as_ref().map(|i| i.as_ref().to_string()).unwrap_or_default();
        let mut entry = LiveRequest {
            offset_ms: self.now_ms,
            method: req.method.clone(),
            url: req.url.clone(),
            resource_type: resource_type_name(&event.resource_type),
            answer: LiveAnswer::NotFound,
            status: None,
            latency_ms: None,
            exchange: None,
            from_har: false,
            note: None,
        };
        let own = self.app.own_path(&req.url).map(str::to_string);
        let api = matches!(event.resource_type, ResourceType::Xhr | ResourceType::Fetch | ResourceType::EventSource | ResourceType::Ping);
        // The app's own pages and assets first (recorded exchanges are fetch/XHR calls only).
        if let Some(path) = &own {
            if !api && req.method == "GET" {
                if self.app.folder.is_none() {
                    entry.answer = LiveAnswer::App;
                    return (entry, Reply::Continue);
                }
                if let Some(file) = self.app.file(path) {
                    entry.answer = LiveAnswer::File;
                    entry.status = Some(200);
                    let headers = vec![("Content-Type".to_string(), file.content_type.to_string()), ("Cache-Control".to_string(), "no-store".to_string())];
                    return (entry, Reply::Fulfill { status: 200, headers, body: file.body });
                }
            }
        }
        // Chromium sometimes restarts a request: the network id stays, the interception id not.
        let request_id = if network_id.is_empty() { event.request_id.as_ref().to_string() } else { network_id };
        let har_entries = self.har_entries;
        let answered = self.mocks.answer(&request_id, &req.method, &req.url, post_data(req).as_deref()).map(|ex| (ex as *const Exchange, ex.clone()));
        if let Some((at, ex)) = answered {
            entry.exchange = Some(ex.pointer);
            entry.from_har = self.mocks.exchanges()[..har_entries].iter().any(|e| std::ptr::eq(e, at));
            // Whole milliseconds, like every stop: virtual time then stays on whole milliseconds,
            // where the page's clocks read the same on every run.
            let latency = ex.latency_ms().round();
            entry.latency_ms = Some(latency);
            let missing_body: Vec<&str> = ex.warnings.iter().filter(|w| w.starts_with("response:")).map(|w| &w[9..]).collect();
            if !missing_body.is_empty() {
                entry.note = Some(format!("recorded response body not captured ({}): answered with an empty body", missing_body.join(", ")));
            }
            let Some(status) = ex.status.filter(|s| *s > 0) else {
                entry.answer = LiveAnswer::RecordedFailure;
                return (entry, Reply::Fail);
            };
            entry.answer = LiveAnswer::Recorded;
            entry.status = Some(status);
            let mut headers: Vec<(String, String)> =
                ex.response_headers.iter().filter(|(k, _)| !DROPPED_HEADERS.contains(&k.as_str())).cloned().collect();
            let body = ex.response_body.clone().unwrap_or_default();
            if !headers.iter().any(|(k, _)| k == "content-type") && looks_like_json(&body) {
                headers.push(("content-type".into(), "application/json".into()));
            }
            headers.push((LATENCY_HEADER.into(), format!("{latency}")));
            if !headers.iter().any(|(k, _)| k == "access-control-allow-origin") && own.is_none() {
                headers.push(("access-control-allow-origin".into(), "*".into()));
            }
            headers.push(("access-control-expose-headers".into(), LATENCY_HEADER.into()));
            return (entry, Reply::Fulfill { status, headers, body: body.into_bytes() });
        }
        // A running app answers whatever the recording does not know on its own origin.
        if own.is_some() && self.app.folder.is_none() {
            self.mocks.unmatched.pop();
            entry.answer = LiveAnswer::App;
            return (entry, Reply::Continue);
        }
        match self.policy {
            UnmatchedPolicy::Abort => {
                entry.answer = LiveAnswer::Aborted;
                (entry, Reply::Fail)
            }
            UnmatchedPolicy::Fail | UnmatchedPolicy::NotFound => {
                entry.answer = LiveAnswer::NotFound;
                entry.status = Some(404);
                let headers = vec![("Content-Type".to_string(), "text/plain".to_string())];
                (entry, Reply::Fulfill { status: 404, headers, body: b"no recorded answer (reprise)".to_vec() })
            }
        }
    }
}

impl NetState {
    /// The requests so far, each stamped with the virtual time at which the page sent it.
    pub(crate) fn requests(&self) -> Vec<LiveRequest> {
        self.log
            .iter()
            .map(|(id, r)| LiveRequest { offset_ms: self.sent_at.get(id).copied().unwrap_or(r.offset_ms), ..r.clone() })
            .collect()
    }
}

/// The request body as text (Fetch gives it in base64 chunks).
fn post_data(req: &chromiumoxide::cdp::browser_protocol::network::Request) -> Option<String> {
    let entries = req.post_data_entries.as_ref()?;
    let mut bytes = Vec::new();
    for e in entries {
        if let Some(b) = &e.bytes {
            bytes.extend(base64::engine::general_purpose::STANDARD.decode(AsRef::<str>::as_ref(b)).ok()?);
        }
    }
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

fn looks_like_json(body: &str) -> bool {
    let t = body.trim_start();
    (t.starts_with('{') || t.starts_with('[')) && serde_json::from_str::<serde::de::IgnoredAny>(body).is_ok()
}

fn resource_type_name(t: &ResourceType) -> String {
    serde_json::to_value(t).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// Answers the page's paused requests until the page goes away.
pub(crate) async fn serve(
    page: chromiumoxide::Page,
    state: Arc<Mutex<NetState>>,
    mut paused: chromiumoxide::listeners::EventStream<EventRequestPaused>,
) {
    while let Some(event) = paused.next().await {
        let url = &event.request.url;
        if url.starts_with("data:") || url.starts_with("blob:") {
            let _ = page.execute(ContinueRequestParams::new(event.request_id.clone())).await;
            continue;
        }
        let reply = {
            let mut st = state.lock().unwrap_or_else(|p| p.into_inner());
            let (entry, reply) = st.decide(&event);
            let id = event.network_id.as_ref().map(|i| i.as_ref().to_string()).unwrap_or_default();
            st.log.push((id, entry));
            reply
        };
        // A request the page cancelled meanwhile makes these fail; that is not an error of ours.
        let _ = match reply {
            Reply::Fulfill { status, headers, body } => {
                let mut params = FulfillRequestParams::new(event.request_id.clone(), i64::from(status));
                params.response_headers = Some(headers.into_iter().map(|(k, v)| HeaderEntry::new(k, v)).collect());
                params.body = Some(base64::engine::general_purpose::STANDARD.encode(body).into());
                page.execute(params).await.map(drop)
            }
            Reply::Continue => page.execute(ContinueRequestParams::new(event.request_id.clone())).await.map(drop),
            Reply::Fail => page.execute(FailRequestParams::new(event.request_id.clone(), ErrorReason::Failed)).await.map(drop),
        };
    }
}

/// Notes the virtual time at which the page sent each request (the renderer stamps
/// `requestWillBeSent` with its virtual clock).
pub(crate) async fn watch_sent(state: Arc<Mutex<NetState>>, mut sent: chromiumoxide::listeners::EventStream<EventRequestWillBeSent>) {
    while let Some(event) = sent.next().await {
        let mut st = state.lock().unwrap_or_else(|p| p.into_inner());
        let wall_ms = *event.wall_time.inner() * 1000.0;
        // The main document is stamped by the browser with real time: keep the stop's offset.
        let offset = wall_ms - st.start_ms;
        let offset = if (0.0..=st.now_ms + 600_000.0).contains(&offset) { offset } else { st.now_ms };
        st.sent_at.insert(event.request_id.as_ref().to_string(), offset);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::browser::live::spec::AppSource;
    use crate::model::{Pointer, Timestamp};

    fn paused(id: u32, method: &str, url: &str, kind: &str) -> EventRequestPaused {
        serde_json::from_value(serde_json::json!({
            "requestId": format!("interception-{id}"),
            "request": {"url": url, "method": method, "headers": {}, "initialPriority": "High", "referrerPolicy": "no-referrer"},
            "frameId": "MAIN",
            "resourceType": kind,
            "networkId": id.to_string(),
        }))
        .unwrap()
    }

    fn exchange(url: &str, status: Option<u16>, body: Option<&str>, warnings: &[&str]) -> Exchange {
        Exchange {
            pointer: Pointer::new(2, 19),
            start: Timestamp(1000.0),
            end: Timestamp(1427.6),
            method: "POST".into(),
            url: url.into(),
            status,
            request_headers: vec![],
            request_body: None,
            response_headers: vec![("content-length".into(), "99".into()), ("x-app".into(), "1".into())],
            response_body: body.map(str::to_owned),
            warnings: warnings.iter().map(|w| w.to_string()).collect(),
        }
    }

    fn state(app: AppSource, policy: UnmatchedPolicy) -> NetState {
        let exchanges = vec![
            exchange("/api/orders", Some(201), Some(r#"{"order":{"id":"ORD-1001"}}"#), &[]),
            exchange("/api/orders", None, None, &[]),
            exchange("/api/skipped", Some(200), None, &["response:URL_SKIPPED"]),
        ];
        NetState::new(AppHost::new(&app, "http://127.0.0.1:9202/").unwrap(), exchanges, policy, 0.0)
    }

    fn header<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
        match reply {
            Reply::Fulfill { headers, .. } => headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    #[test]
    fn app_files_then_recorded_answers_in_sequence_then_the_policy() {
        let dir = std::env::temp_dir().join(format!("reprise-net-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<p>app").unwrap();
        let mut st = state(AppSource::Folder(dir.clone()), UnmatchedPolicy::Fail);
        let (doc, reply) = st.decide(&paused(1, "GET", "http://127.0.0.1:9202/", "Document"));
        assert_eq!((doc.answer, doc.status), (LiveAnswer::File, Some(200)));
        assert!(matches!(&reply, Reply::Fulfill { body, .. } if body == b"<p>app"));
        let (first, reply) = st.decide(&paused(2, "POST", "http://127.0.0.1:9202/api/orders", "XHR"));
        assert_eq!((first.answer, first.status, first.latency_ms), (LiveAnswer::Recorded, Some(201), Some(428.0)));
        assert_eq!(header(&reply, LATENCY_HEADER), Some("428"));
        assert_eq!(header(&reply, "content-type"), Some("application/json"), "JSON bodies get a content type");
        assert_eq!(header(&reply, "content-length"), None, "the recorded transfer length is not ours");
        assert_eq!(header(&reply, "x-app"), Some("1"));
        // A restarted request (same network id) gets the same answer, not the next one.
        assert_eq!(st.decide(&paused(2, "POST", "http://127.0.0.1:9202/api/orders", "XHR")).0.status, Some(201));
        let (second, reply) = st.decide(&paused(3, "POST", "http://127.0.0.1:9202/api/orders", "XHR"));
        assert_eq!(second.answer, LiveAnswer::RecordedFailure, "recorded without a status: a network error");
        assert!(matches!(reply, Reply::Fail));
        let (skipped, _) = st.decide(&paused(4, "POST", "http://127.0.0.1:9202/api/skipped", "Fetch"));
        assert_eq!(skipped.note.as_deref(), Some("recorded response body not captured (URL_SKIPPED): answered with an empty body"));
        let (none, reply) = st.decide(&paused(5, "GET", "http://127.0.0.1:9202/api/nothing", "Fetch"));
        assert_eq!((none.answer, none.status), (LiveAnswer::NotFound, Some(404)));
        assert!(matches!(reply, Reply::Fulfill { status: 404, .. }));
        assert_eq!(st.mocks.unmatched.len(), 1);
        let mut st = state(AppSource::Folder(dir.clone()), UnmatchedPolicy::Abort);
        assert_eq!(st.decide(&paused(6, "GET", "http://cdn.example/x.js", "Script")).0.answer, LiveAnswer::Aborted);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_running_app_answers_what_the_recording_does_not() {
        let mut st = state(AppSource::Url("http://127.0.0.1:8080/".into()), UnmatchedPolicy::Fail);
        let (page, reply) = st.decide(&paused(1, "GET", "http://127.0.0.1:8080/", "Document"));
        assert_eq!(page.answer, LiveAnswer::App);
        assert!(matches!(reply, Reply::Continue));
        assert_eq!(st.decide(&paused(2, "POST", "http://127.0.0.1:8080/api/orders", "XHR")).0.answer, LiveAnswer::Recorded);
        assert_eq!(st.decide(&paused(3, "GET", "http://127.0.0.1:8080/api/other", "XHR")).0.answer, LiveAnswer::App);
        assert!(st.mocks.unmatched.is_empty(), "a running app's own answers are not unmatched");
        assert_eq!(st.decide(&paused(4, "GET", "http://elsewhere.example/", "XHR")).0.answer, LiveAnswer::NotFound);
    }
}
