//! A citation of one event: where it is (segment, frame, offset) and what it says.

use crate::model::{Event, EventKind};
use serde::Serialize;

/// One event cited as evidence, with the fields that matter for its kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    pub kind: EventKind,
    pub offset_ms: f64,
    pub segment_id: u32,
    pub frame_index: u32,
    pub timestamp: String,
    pub category: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub masked: bool,
}

impl From<&Event> for Evidence {
    fn from(e: &Event) -> Evidence {
        let d = &e.detail;
        Evidence {
            kind: e.kind,
            offset_ms: e.offset_ms,
            segment_id: e.segment_id,
            frame_index: e.frame_index,
            timestamp: e.timestamp.clone(),
            category: e.category.clone(),
            label: e.label.clone(),
            url: e.url.clone(),
            selector: e.selector.clone(),
            node_id: e.node_id,
            status: d.status,
            method: d.method.clone(),
            duration_ms: d.duration_ms,
            message: d.message.clone(),
            error_id: d.error_id.clone(),
            text: d.text.clone(),
            masked: e.masked,
        }
    }
}
