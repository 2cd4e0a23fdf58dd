//! The single pass from frames to events: tracks the page URL, maps each frame to its kind,
//! then merges Sentry's click breadcrumbs into the clicks and places envelope error events.

use super::clicks::enrich_clicks;
use super::custom::{custom_event, Draft};
use super::mask::is_masked;
use super::resolve::NodeResolver;
use crate::model::{
    Event, EventDetail, EventKind, Frame, FrameData, Incremental, Recording, Timestamp,
};

/// Normalizes, with selectors and labels of interaction targets resolved from the DOM at each
/// event's time (one forward fold of the DOM engine).
pub fn normalize(rec: &Recording) -> Vec<Event> {
    let mut resolver = crate::dom::Resolver::new(rec);
    normalize_with(rec, Some(&mut resolver))
}

/// Normalizes without a DOM: selectors and labels come only from Sentry breadcrumbs.
pub fn normalize_without_dom(rec: &Recording) -> Vec<Event> {
    normalize_with(rec, None)
}

/// Normalizes, asking `resolver` for the selector and label of every interaction target.
pub fn normalize_with(rec: &Recording, mut resolver: Option<&mut dyn NodeResolver>) -> Vec<Event> {
    let start = rec.start();
    // Requests can start before the first Meta frame (the page URL): resolve them against it.
    let mut url: Option<String> = rec.frames.iter().find_map(|f| match &f.data {
        FrameData::Meta { href, .. } if !href.is_empty() => Some(href.clone()),
        _ => None,
    });
    let mut events = Vec::with_capacity(rec.frames.len() / 2);
    for frame in &rec.frames {
        if let FrameData::Meta { href, .. } = &frame.data {
            if !href.is_empty() {
                url = Some(href.clone());
            }
        }
        let Some(draft) = draft_for(frame, url.as_deref()) else { continue };
        if draft.kind == EventKind::Navigation {
            if let Some(to) = draft.url.clone() {
                url = Some(to);
            }
        }
        let mut e = finish(rec, frame.pointer, frame.timestamp, start, draft, url.as_deref());
        if let (Some(r), Some(id)) = (resolver.as_deref_mut(), e.node_id) {
            if is_interaction(e.kind) {
                if let Some(d) = r.describe(id, frame.timestamp) {
                    e.selector = Some(d.selector);
                    if e.label.is_none() {
                        e.label = d.label;
                        e.masked |= d.masked;
                    }
                }
            }
        }
        events.push(e);
    }
    enrich_clicks(&mut events);
    add_errors(rec, start, &mut events);
    events
}

fn is_interaction(kind: EventKind) -> bool {
    matches!(kind, EventKind::Click | EventKind::Tap | EventKind::Input | EventKind::Focus | EventKind::Blur | EventKind::Scroll)
}

fn finish(rec: &Recording, pointer: crate::model::Pointer, ts: Timestamp, start: Timestamp, d: Draft, page: Option<&str>) -> Event {
    let is_network = d.kind == EventKind::Network;
    let mut detail = d.detail;
    if is_network {
        detail.page_url = page.map(str::to_owned);
    }
    let url = if is_network || d.kind == EventKind::Navigation { d.url } else { page.map(str::to_owned) };
    Event {
        replay_id: rec.replay_id.clone(),
        segment_id: pointer.segment,
        frame_index: pointer.frame,
        offset_ms: ts.0 - start.0,
        timestamp: ts.rfc3339(),
        kind: d.kind,
        category: d.category,
        masked: d.masked,
        label: d.label,
        url,
        node_id: d.node_id,
        selector: d.selector,
        raw_type: d.raw_type,
        raw_source: d.raw_source,
        detail,
        raw: None,
    }
}

fn draft(kind: EventKind, category: &str, frame: &Frame) -> Draft {
    Draft::new(kind, category, frame.data.event_type(), frame.data.source())
}

/// Maps one frame to an event draft, or None for frames that are not events of their own
/// (mouse moves, stylesheet internals, DomContentLoaded/Load).
fn draft_for(frame: &Frame, page: Option<&str>) -> Option<Draft> {
    Some(match &frame.data {
        FrameData::FullSnapshot { node, .. } => {
            let mut d = draft(EventKind::DomSnapshot, "rrweb.full-snapshot", frame);
            d.detail.nodes = Some(node.count());
            d
        }
        FrameData::Meta { href, width, height } => {
            let mut d = draft(EventKind::Navigation, "rrweb.meta", frame);
            d.url = Some(href.clone()).filter(|h| !h.is_empty());
            d.label = d.url.clone();
            d.detail.to = d.url.clone();
            d.detail.width = Some(*width);
            d.detail.height = Some(*height);
            d
        }
        FrameData::Incremental(inc) => incremental(frame, inc)?,
        FrameData::Custom(c) => custom_event(frame, c, page)?,
        FrameData::Plugin { plugin, payload } => {
            if !plugin.starts_with("rrweb/console") {
                return None;
            }
            let mut d = draft(EventKind::Console, "console", frame);
            d.detail.level = payload.get("level").and_then(|l| l.as_str()).map(str::to_owned);
            let parts: Vec<String> = payload
                .get("payload")
                .and_then(|p| p.as_array())
                .map(|a| a.iter().map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string())).collect())
                .unwrap_or_default();
            d.detail.message = Some(parts.join(" "));
            d.label = d.detail.message.clone();
            d
        }
        _ => return None,
    })
}

fn incremental(frame: &Frame, inc: &Incremental) -> Option<Draft> {
    Some(match inc {
        Incremental::Mutation(m) => {
            let mut d = draft(EventKind::Mutation, "rrweb.mutation", frame);
            d.detail.adds = Some(m.adds.len());
            d.detail.removes = Some(m.removes.len());
            d.detail.texts = Some(m.texts.len());
            d.detail.attributes = Some(m.attributes.len());
            d
        }
        Incremental::MouseInteraction(mi) => {
            let (kind, category) = match mi.kind {
                2 => (EventKind::Click, "rrweb.click"),
                3 => (EventKind::Click, "rrweb.contextmenu"),
                4 => (EventKind::Click, "rrweb.dblclick"),
                5 => (EventKind::Focus, "rrweb.focus"),
                6 => (EventKind::Blur, "rrweb.blur"),
                7 => (EventKind::Tap, "rrweb.touchstart"),
                _ => return None,
            };
            let mut d = draft(kind, category, frame);
            d.node_id = Some(mi.id).filter(|&id| id >= 0);
            d.detail.x = mi.x;
            d.detail.y = mi.y;
            d.detail.pointer_type = mi.pointer_type.map(|p| match p {
                0 => "mouse".to_string(),
                1 => "pen".to_string(),
                2 => "touch".to_string(),
                n => n.to_string(),
            });
            d
        }
        Incremental::Scroll(s) => {
            let mut d = draft(EventKind::Scroll, "rrweb.scroll", frame);
            d.node_id = Some(s.id);
            d.detail.x = Some(s.x);
            d.detail.y = Some(s.y);
            d
        }
        Incremental::ViewportResize { width, height } => {
            let mut d = draft(EventKind::Viewport, "rrweb.viewport", frame);
            d.detail.width = Some(*width);
            d.detail.height = Some(*height);
            d
        }
        Incremental::Input(i) => {
            let mut d = draft(EventKind::Input, "rrweb.input", frame);
            d.node_id = Some(i.id);
            d.masked = is_masked(&i.text);
            d.detail.text = Some(i.text.clone());
            d.detail.checked = Some(i.is_checked);
            d
        }
        _ => return None,
    })
}

/// Error events from envelopes take the pointer of the last frame at or before them.
fn add_errors(rec: &Recording, start: Timestamp, events: &mut Vec<Event>) {
    if rec.errors.is_empty() {
        return;
    }
    for err in &rec.errors {
        let ts = if err.timestamp.0.is_finite() { err.timestamp } else { start };
        let idx = rec.frames.partition_point(|f| f.timestamp.0 <= ts.0);
        let pointer = rec.frames.get(idx.saturating_sub(1)).map(|f| f.pointer).unwrap_or_default();
        let message = match (&err.exception_type, &err.exception_value) {
            (Some(t), Some(v)) => Some(format!("{t}: {v}")),
            (None, Some(v)) => Some(v.clone()),
            _ => err.message.clone(),
        };
        let detail = EventDetail {
            message: err.exception_value.clone().or_else(|| err.message.clone()),
            error_type: err.exception_type.clone(),
            error_id: Some(err.id.clone()),
            level: err.level.clone(),
            ..EventDetail::default()
        };
        events.push(Event {
            replay_id: rec.replay_id.clone(),
            segment_id: pointer.segment,
            frame_index: pointer.frame,
            offset_ms: ts.0 - start.0,
            timestamp: ts.rfc3339(),
            kind: EventKind::Error,
            category: "error".into(),
            label: message,
            url: err.url.clone(),
            node_id: None,
            selector: None,
            raw_type: -1,
            raw_source: None,
            masked: false,
            detail,
            raw: None,
        });
    }
    events.sort_by(|a, b| a.offset_ms.total_cmp(&b.offset_ms));
}
