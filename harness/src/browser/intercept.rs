//! Every request a page makes is paused by CDP `Fetch` and answered here, from memory: the page's
//! own HTML at the recording's origin, resources the caller supplied, and neutral stand-ins for the
//! rest. Nothing is fetched from a network, and every answer is logged.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use chromiumoxide::cdp::browser_protocol::fetch::{
    EventRequestPaused, FailRequestParams, FulfillRequestParams, HeaderEntry,
};
use chromiumoxide::cdp::browser_protocol::network::{ErrorReason, EventRequestWillBeSent, ResourceType};
use futures::StreamExt;

/// A transparent 1x1 PNG: what every image request gets unless the caller supplied the image.
pub const PLACEHOLDER_PNG: [u8; 68] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00,
    0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00,
    0x01, 0xe9, 0xfa, 0xdc, 0xd8, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// The policy for `Content-Security-Policy` on the served document: a second lock, behind
/// `Emulation.setScriptExecutionDisabled`, against scripts and plugins.
const DOCUMENT_CSP: &str = "script-src 'none'; object-src 'none'; worker-src 'none'";

/// How to answer requests that are neither the document nor a supplied resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RequestPolicy {
    /// Images get [`PLACEHOLDER_PNG`], stylesheets an empty stylesheet, other documents (iframes,
    /// a meta refresh) `204 No Content`, which keeps the current document, and the rest an empty
    /// `200`.
    #[default]
    Neutral,
    /// Like `Neutral` for documents, but every other request fails (`BlockedByClient`).
    FailOthers,
}

/// A response the caller supplies for one exact URL (a captured stylesheet, image or font).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// How one request was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Answer {
    /// The HTML being rendered, at the origin URL.
    Document,
    /// A resource from the render options.
    Resource,
    /// The transparent placeholder PNG.
    PlaceholderImage,
    /// An empty stylesheet.
    EmptyStylesheet,
    /// `204 No Content`: a navigation (iframe, meta refresh, link) that must not replace anything.
    NoContent,
    /// An empty `200`.
    Empty,
    /// Failed with `BlockedByClient`.
    Failed,
    /// Seen by the network stack but never paused: it may have left the page. Should never occur.
    Escaped,
}

/// One request the page made, and what it got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLogEntry {
    pub url: String,
    pub method: String,
    /// The CDP resource type: `Document`, `Stylesheet`, `Image`, `Font`, `Script`, `Other`...
    pub resource_type: String,
    pub answer: Answer,
}

impl RequestLogEntry {
    /// True when the request may have reached a network instead of being answered here.
    pub fn left_page(&self) -> bool {
        self.answer == Answer::Escaped
    }
}

/// What the interceptor of one page serves right now. Reset before every navigation.
#[derive(Debug, Default)]
pub(crate) struct Routes {
    pub main_frame: String,
    pub document_url: String,
    pub html: Arc<str>,
    pub resources: BTreeMap<String, Resource>,
    pub policy: RequestPolicy,
    log: Vec<RequestLogEntry>,
    /// Network request ids that Fetch paused, to find the ones that were not.
    paused: BTreeSet<String>,
    /// Network.requestWillBeSent, by request id: (url, method, type).
    sent: BTreeMap<String, (String, String, String)>,
}

enum Reply {
    Fulfill { status: u16, headers: Vec<(&'static str, String)>, body: Vec<u8> },
    Fail,
}

impl Routes {
    pub(crate) fn reset(
        &mut self,
        document_url: String,
        html: Arc<str>,
        resources: BTreeMap<String, Resource>,
        policy: RequestPolicy,
    ) {
        self.document_url = document_url;
        self.html = html;
        self.resources = resources;
        self.policy = policy;
        self.log.clear();
        self.paused.clear();
        self.sent.clear();
    }

    /// The log since the last reset, with an `Escaped` entry for every request the network stack
    /// saw that Fetch did not pause (`data:`, `blob:` and `about:` URLs never leave the page).
    pub(crate) fn take_log(&mut self) -> Vec<RequestLogEntry> {
        let mut log = std::mem::take(&mut self.log);
        for (id, (url, method, resource_type)) in std::mem::take(&mut self.sent) {
            let local = ["data:", "blob:", "about:"].iter().any(|s| url.starts_with(s));
            if !local && !self.paused.contains(&id) {
                log.push(RequestLogEntry { url, method, resource_type, answer: Answer::Escaped });
            }
        }
        self.paused.clear();
        log
    }

    pub(crate) fn answered(&self) -> usize {
        self.log.len()
    }

    pub(crate) fn last_request(&self) -> Option<&str> {
        self.log.last().map(|r| r.url.as_str())
    }

    fn decide(&self, url: &str, frame: &str, resource_type: &ResourceType) -> (Answer, Reply) {
        let is_document = *resource_type == ResourceType::Document;
        if is_document && frame == self.main_frame && same_document(url, &self.document_url) {
            let headers = vec![
                ("Content-Type", "text/html; charset=utf-8".to_string()),
                ("Content-Security-Policy", DOCUMENT_CSP.to_string()),
                ("Cache-Control", "no-store".to_string()),
            ];
            let body = self.html.as_bytes().to_vec();
            return (Answer::Document, Reply::Fulfill { status: 200, headers, body });
        }
        if let Some(r) = self.resources.get(strip_fragment(url)) {
            let headers = vec![("Content-Type", r.content_type.clone())];
            let reply = Reply::Fulfill { status: r.status, headers, body: r.body.clone() };
            return (Answer::Resource, reply);
        }
        if is_document {
            return (Answer::NoContent, Reply::Fulfill { status: 204, headers: vec![], body: vec![] });
        }
        if self.policy == RequestPolicy::FailOthers {
            return (Answer::Failed, Reply::Fail);
        }
        match resource_type {
            ResourceType::Image => {
                let headers = vec![("Content-Type", "image/png".to_string())];
                (
                    Answer::PlaceholderImage,
                    Reply::Fulfill { status: 200, headers, body: PLACEHOLDER_PNG.to_vec() },
                )
            }
            ResourceType::Stylesheet => {
                let headers = vec![("Content-Type", "text/css".to_string())];
                (Answer::EmptyStylesheet, Reply::Fulfill { status: 200, headers, body: vec![] })
            }
            _ => (Answer::Empty, Reply::Fulfill { status: 200, headers: vec![], body: vec![] }),
        }
    }
}

/// The URL without its fragment, which never reaches a server.
pub(crate) fn strip_fragment(url: &str) -> &str {
    url.split_once('#').map_or(url, |(u, _)| u)
}

/// `http://h:1` and `http://h:1/` name the same document; fragments do not matter.
pub(crate) fn same_document(a: &str, b: &str) -> bool {
    let (a, b) = (strip_fragment(a), strip_fragment(b));
    a == b || a.strip_suffix('/') == Some(b) || b.strip_suffix('/') == Some(a)
}

/// Answers the paused requests of one page until the page goes away.
pub(crate) async fn serve(
    page: chromiumoxide::Page,
    routes: Arc<Mutex<Routes>>,
    mut paused: chromiumoxide::listeners::EventStream<EventRequestPaused>,
) {
    while let Some(event) = paused.next().await {
        let reply = {
            let mut routes = routes.lock().unwrap_or_else(|p| p.into_inner());
            let (answer, reply) =
                routes.decide(&event.request.url, event.frame_id.as_ref(), &event.resource_type);
            if let Some(id) = &event.network_id {
                routes.paused.insert(id.as_ref().to_string());
            }
            routes.log.push(RequestLogEntry {
                url: event.request.url.clone(),
                method: event.request.method.clone(),
                resource_type: resource_type_name(&event.resource_type),
                answer,
            });
            reply
        };
        // A request the page cancelled meanwhile makes these fail; that is not an error of ours.
        let _ = match reply {
            Reply::Fulfill { status, headers, body } => {
                let mut params = FulfillRequestParams::new(event.request_id.clone(), i64::from(status));
                params.response_headers =
                    Some(headers.into_iter().map(|(k, v)| HeaderEntry::new(k, v)).collect());
                params.body = Some(base64::engine::general_purpose::STANDARD.encode(body).into());
                page.execute(params).await.map(drop)
            }
            Reply::Fail => page
                .execute(FailRequestParams::new(event.request_id.clone(), ErrorReason::BlockedByClient))
                .await
                .map(drop),
        };
    }
}

/// Records what the network stack saw, to catch requests that Fetch did not pause.
pub(crate) async fn watch_network(
    routes: Arc<Mutex<Routes>>,
    mut sent: chromiumoxide::listeners::EventStream<EventRequestWillBeSent>,
) {
    while let Some(event) = sent.next().await {
        let resource_type = event.r#type.as_ref().map(resource_type_name).unwrap_or_default();
        let mut routes = routes.lock().unwrap_or_else(|p| p.into_inner());
        routes.sent.insert(
            event.request_id.as_ref().to_string(),
            (event.request.url.clone(), event.request.method.clone(), resource_type),
        );
    }
}

fn resource_type_name(t: &ResourceType) -> String {
    serde_json::to_value(t).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes(policy: RequestPolicy) -> Routes {
        let mut r = Routes { main_frame: "MAIN".into(), ..Routes::default() };
        let mut resources = BTreeMap::new();
        resources.insert(
            "http://127.0.0.1:9101/app.css".to_string(),
            Resource { status: 200, content_type: "text/css".into(), body: b"p{}".to_vec() },
        );
        r.reset("http://127.0.0.1:9101/index.html".into(), "<p>hi".into(), resources, policy);
        r
    }

    fn check(policy: RequestPolicy, url: &str, frame: &str, t: ResourceType, expected: Answer) {
        let (answer, reply) = routes(policy).decide(url, frame, &t);
        assert_eq!(answer, expected, "{url} {t:?}");
        if let Reply::Fulfill { status, body, .. } = reply {
            match answer {
                Answer::Document => assert_eq!((status, body.as_slice()), (200, b"<p>hi".as_slice())),
                Answer::PlaceholderImage => assert_eq!(body, PLACEHOLDER_PNG),
                Answer::NoContent => assert_eq!(status, 204),
                Answer::Resource => assert_eq!(body, b"p{}"),
                _ => assert!(body.is_empty()),
            }
        } else {
            assert_eq!(answer, Answer::Failed);
        }
    }

    #[test]
    fn neutral_policy() {
        use Answer::*;
        let n = RequestPolicy::Neutral;
        check(n, "http://127.0.0.1:9101/index.html", "MAIN", ResourceType::Document, Document);
        check(n, "http://127.0.0.1:9101/index.html#top", "MAIN", ResourceType::Document, Document);
        check(n, "http://127.0.0.1:9101/index.html", "CHILD", ResourceType::Document, NoContent);
        check(n, "http://evil.example/", "MAIN", ResourceType::Document, NoContent);
        check(n, "http://127.0.0.1:9101/app.css#x", "MAIN", ResourceType::Stylesheet, Resource);
        check(n, "http://evil.example/a.png", "MAIN", ResourceType::Image, PlaceholderImage);
        check(n, "http://evil.example/a.css", "MAIN", ResourceType::Stylesheet, EmptyStylesheet);
        check(n, "http://evil.example/f.woff2", "MAIN", ResourceType::Font, Empty);
        check(n, "http://evil.example/x.js", "MAIN", ResourceType::Script, Empty);
    }

    #[test]
    fn fail_others_policy() {
        use Answer::*;
        let f = RequestPolicy::FailOthers;
        check(f, "http://127.0.0.1:9101/index.html", "MAIN", ResourceType::Document, Document);
        check(f, "http://evil.example/", "CHILD", ResourceType::Document, NoContent);
        check(f, "http://127.0.0.1:9101/app.css", "MAIN", ResourceType::Stylesheet, Resource);
        check(f, "http://evil.example/a.png", "MAIN", ResourceType::Image, Failed);
    }

    #[test]
    fn documents_match_with_or_without_root_slash() {
        assert!(same_document("http://h:1/", "http://h:1"));
        assert!(same_document("http://h:1", "http://h:1/#a"));
        assert!(!same_document("http://h:1/a", "http://h:1/b"));
    }

    #[test]
    fn unpaused_requests_are_logged_as_escaped() {
        let mut r = routes(RequestPolicy::Neutral);
        let row = |u: &str| (u.to_string(), "GET".to_string(), "Image".to_string());
        r.sent.insert("1".into(), row("http://evil.example/a.png"));
        r.sent.insert("2".into(), row("http://evil.example/b.png"));
        r.sent.insert("3".into(), row("data:image/png;base64,AAAA"));
        r.paused.insert("1".into());
        let log = r.take_log();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].url, "http://evil.example/b.png");
        assert!(log[0].left_page());
    }

    #[test]
    fn placeholder_is_a_1x1_png() {
        let img = image::load_from_memory(&PLACEHOLDER_PNG).unwrap();
        assert_eq!((img.width(), img.height()), (1, 1));
    }
}
