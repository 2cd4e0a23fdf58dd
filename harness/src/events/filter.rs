//! Selecting events: by kind, time window, text, selector and URL (`reprise events` flags).

use crate::model::{Event, EventKind};

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub kinds: Vec<EventKind>,
    pub from_ms: Option<f64>,
    pub to_ms: Option<f64>,
    /// Case-insensitive substring over every text field of the event.
    pub contains: Option<String>,
    /// Case-insensitive substring of the event's selector.
    pub selector: Option<String>,
    /// Case-insensitive substring of the event's URL (page URL, or request URL for network).
    pub url: Option<String>,
    pub limit: Option<usize>,
}

fn has(hay: Option<&str>, needle: &str) -> bool {
    hay.is_some_and(|h| h.to_lowercase().contains(needle))
}

impl Filter {
    pub fn matches(&self, e: &Event) -> bool {
        if !self.kinds.is_empty() && !self.kinds.contains(&e.kind) {
            return false;
        }
        if self.from_ms.is_some_and(|f| e.offset_ms < f) || self.to_ms.is_some_and(|t| e.offset_ms > t) {
            return false;
        }
        if let Some(q) = &self.selector {
            if !has(e.selector.as_deref(), &q.to_lowercase()) {
                return false;
            }
        }
        if let Some(q) = &self.url {
            let q = q.to_lowercase();
            if !has(e.url.as_deref(), &q) && !has(e.detail.page_url.as_deref(), &q) {
                return false;
            }
        }
        if let Some(q) = &self.contains {
            let q = q.to_lowercase();
            let d = &e.detail;
            let fields = [
                Some(e.category.as_str()),
                e.label.as_deref(),
                e.url.as_deref(),
                e.selector.as_deref(),
                d.text.as_deref(),
                d.message.as_deref(),
                d.description.as_deref(),
                d.error_type.as_deref(),
                d.op.as_deref(),
                d.name.as_deref(),
                d.to.as_deref(),
            ];
            if !fields.iter().any(|f| has(*f, &q)) {
                return false;
            }
        }
        true
    }

    /// Applies the filter and the limit.
    pub fn apply<'a>(&self, events: &'a [Event]) -> Vec<&'a Event> {
        let it = events.iter().filter(|e| self.matches(e));
        match self.limit {
            Some(n) => it.take(n).collect(),
            None => it.collect(),
        }
    }
}
