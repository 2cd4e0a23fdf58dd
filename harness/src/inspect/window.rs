//! Activity around a moment, grouped the way an investigator reads it.

use super::Evidence;
use crate::model::{Event, EventKind};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WindowGroup {
    Interaction,
    Navigation,
    Network,
    Console,
    Errors,
    DomMutations,
    Spans,
    WebVitals,
    Other,
}

impl WindowGroup {
    pub fn of(e: &Event) -> WindowGroup {
        match e.kind {
            EventKind::Click | EventKind::Tap | EventKind::Input | EventKind::Focus | EventKind::Blur | EventKind::Scroll | EventKind::Viewport => {
                WindowGroup::Interaction
            }
            EventKind::Breadcrumb if e.category.starts_with("ui.") => WindowGroup::Interaction,
            EventKind::Navigation => WindowGroup::Navigation,
            EventKind::Network => WindowGroup::Network,
            EventKind::Console => WindowGroup::Console,
            EventKind::Error => WindowGroup::Errors,
            EventKind::Mutation | EventKind::DomSnapshot => WindowGroup::DomMutations,
            EventKind::Span | EventKind::Memory => WindowGroup::Spans,
            EventKind::WebVital => WindowGroup::WebVitals,
            _ => WindowGroup::Other,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            WindowGroup::Interaction => "interaction",
            WindowGroup::Navigation => "navigation",
            WindowGroup::Network => "network",
            WindowGroup::Console => "console",
            WindowGroup::Errors => "errors",
            WindowGroup::DomMutations => "dom mutations",
            WindowGroup::Spans => "spans",
            WindowGroup::WebVitals => "web vitals",
            WindowGroup::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupEvents {
    pub group: WindowGroup,
    pub count: usize,
    pub events: Vec<Evidence>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Window {
    pub at_ms: f64,
    pub from_offset_ms: f64,
    pub to_offset_ms: f64,
    /// The event the window was centred on, for `--contains`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<Evidence>,
    pub groups: Vec<GroupEvents>,
}

/// The events within `[at - before, at + after]`, grouped. Mutations are many: they are kept in
/// full here; printers may summarize them.
pub fn window(events: &[Event], at_ms: f64, before_ms: f64, after_ms: f64, anchor: Option<&Event>) -> Window {
    let (from, to) = (at_ms - before_ms, at_ms + after_ms);
    let mut groups: Vec<GroupEvents> = Vec::new();
    for e in events.iter().filter(|e| e.offset_ms >= from && e.offset_ms <= to) {
        let g = WindowGroup::of(e);
        match groups.iter_mut().find(|x| x.group == g) {
            Some(x) => {
                x.count += 1;
                x.events.push(e.into());
            }
            None => groups.push(GroupEvents { group: g, count: 1, events: vec![e.into()] }),
        }
    }
    groups.sort_by_key(|g| g.group);
    Window { at_ms, from_offset_ms: from, to_offset_ms: to, anchor: anchor.map(Evidence::from), groups }
}
