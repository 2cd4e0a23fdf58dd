//! The normalized event: one schema for every source, what `reprise events` prints and what the
//! inspect commands reason over. Serialized as camelCase JSON (documented in docs/events.md).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    Navigation,
    Click,
    Tap,
    Input,
    Focus,
    Blur,
    Scroll,
    Viewport,
    Mutation,
    DomSnapshot,
    Breadcrumb,
    Network,
    Console,
    Error,
    Span,
    WebVital,
    Memory,
    Video,
    Mobile,
}

impl EventKind {
    pub const ALL: [EventKind; 19] = [
        EventKind::Navigation,
        EventKind::Click,
        EventKind::Tap,
        EventKind::Input,
        EventKind::Focus,
        EventKind::Blur,
        EventKind::Scroll,
        EventKind::Viewport,
        EventKind::Mutation,
        EventKind::DomSnapshot,
        EventKind::Breadcrumb,
        EventKind::Network,
        EventKind::Console,
        EventKind::Error,
        EventKind::Span,
        EventKind::WebVital,
        EventKind::Memory,
        EventKind::Video,
        EventKind::Mobile,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EventKind::Navigation => "navigation",
            EventKind::Click => "click",
            EventKind::Tap => "tap",
            EventKind::Input => "input",
            EventKind::Focus => "focus",
            EventKind::Blur => "blur",
            EventKind::Scroll => "scroll",
            EventKind::Viewport => "viewport",
            EventKind::Mutation => "mutation",
            EventKind::DomSnapshot => "dom-snapshot",
            EventKind::Breadcrumb => "breadcrumb",
            EventKind::Network => "network",
            EventKind::Console => "console",
            EventKind::Error => "error",
            EventKind::Span => "span",
            EventKind::WebVital => "web-vital",
            EventKind::Memory => "memory",
            EventKind::Video => "video",
            EventKind::Mobile => "mobile",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.iter().copied().find(|k| k.name() == s)
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Kind-specific details of an event; only the fields of its kind are set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventDetail {
    // click / tap / scroll
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub y: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub click_count: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_after_click_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multi_click: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slow_click: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dead_click: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rage_click: Option<bool>,
    // input
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checked: Option<bool>,
    // ui.keyDown breadcrumbs: the key with its modifiers, `Control+Shift+k`, `Enter`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    // viewport
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<f64>,
    // mutation
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adds: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removes: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub texts: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<usize>,
    // dom-snapshot
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nodes: Option<usize>,
    // network
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_body_captured: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_body_captured: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub warnings: Vec<String>,
    // console / error / breadcrumb
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_id: Option<String>,
    // span
    #[serde(skip_serializing_if = "Option::is_none")]
    pub op: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    // web-vital
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rating: Option<String>,
    // memory
    #[serde(skip_serializing_if = "Option::is_none")]
    pub used_js_heap_size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_js_heap_size: Option<u64>,
    // navigation
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// One normalized event with its evidence pointer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub replay_id: Option<String>,
    pub segment_id: u32,
    pub frame_index: u32,
    pub offset_ms: f64,
    /// RFC 3339 with milliseconds, UTC.
    pub timestamp: String,
    pub kind: EventKind,
    pub category: String,
    pub label: Option<String>,
    /// The page URL at that moment; for network events, the request URL (the page URL is then in
    /// `pageUrl`).
    pub url: Option<String>,
    pub node_id: Option<i64>,
    pub selector: Option<String>,
    pub raw_type: i64,
    pub raw_source: Option<i64>,
    /// True when the text of this event was masked by the recorder (every non-space char `*`).
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub masked: bool,
    #[serde(flatten)]
    pub detail: EventDetail,
    /// The original frame, with `--raw`: its JSON text exactly as recorded.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub raw: Option<RawJson>,
}

/// JSON text kept verbatim (key order and number spelling included).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RawJson(pub Box<serde_json::value::RawValue>);

impl PartialEq for RawJson {
    fn eq(&self, other: &RawJson) -> bool {
        self.0.get() == other.0.get()
    }
}
