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
        NetState { app, mocks: MockTable::new(exchanges), policy, start_ms, now_ms: 0.0, log: Vec::new(), sent_at: Default::default() }
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
        if let Some(ex) = self.mocks.answer(&request_id, &req.method, &req.url, post_data(req).as_deref()) {
            entry.exchange = Some(ex.pointer);
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
