//! A recorded HTTP exchange: what the app asked and what it got, with timing. Live mode answers
//! the app under test from these.

use super::{Pointer, Timestamp};

#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    /// Where it was recorded (the span frame), or the HAR entry index in segment 0.
    pub pointer: Pointer,
    pub start: Timestamp,
    pub end: Timestamp,
    pub method: String,
    /// As recorded: absolute, or a path relative to the page.
    pub url: String,
    pub status: Option<u16>,
    pub request_headers: Vec<(String, String)>,
    pub request_body: Option<String>,
    pub response_headers: Vec<(String, String)>,
    /// The body text: JSON bodies keep their recorded text, strings are unescaped.
    pub response_body: Option<String>,
    /// Sentry `_meta.warnings` (e.g. `URL_SKIPPED`: the body was not captured).
    pub warnings: Vec<String>,
}

impl Exchange {
    pub fn latency_ms(&self) -> f64 {
        (self.end.0 - self.start.0).max(0.0)
    }

    /// Path and query of the URL (`/api/x?q=1`), the part that survives a change of origin.
    pub fn path_and_query(&self) -> &str {
        path_and_query(&self.url)
    }
}

/// `/api/x?q=1` for `http://host:1/api/x?q=1#frag` or `/api/x?q=1`.
pub fn path_and_query(url: &str) -> &str {
    let no_frag = url.split('#').next().unwrap_or(url);
    match no_frag.find("://") {
        Some(i) => {
            let rest = &no_frag[i + 3..];
            rest.find('/').map_or("/", |j| &rest[j..])
        }
        None => no_frag,
    }
}
