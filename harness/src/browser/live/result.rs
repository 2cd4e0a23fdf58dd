//! What a live run observed: evidence per checkpoint, the steps as dispatched, every request and
//! its answer, console messages and uncaught exceptions, all stamped in virtual time.

use std::fmt::Write;

use crate::mock::Unmatched;
use crate::model::Pointer;

/// The evidence of one checkpoint.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LiveCheckpoint {
    pub name: String,
    pub offset_ms: f64,
    /// The page's URL at that instant.
    pub url: String,
    /// Canonical DOM text (ids in document order), unless the checkpoint captures none.
    pub dom: Option<String>,
    pub png: Option<Vec<u8>>,
    /// The boxes of the mask selectors' elements at that instant, in the PNG's pixels.
    pub boxes: Vec<crate::browser::ElementBox>,
    pub queries: Vec<(String, QueryResult)>,
}

impl LiveCheckpoint {
    pub fn query(&self, selector: &str) -> Option<&QueryResult> {
        self.queries.iter().find(|(s, _)| s == selector).map(|(_, q)| q)
    }
}

/// What one selector matched in the live page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueryResult {
    pub count: usize,
    /// The first match's text content, whitespace collapsed.
    pub text: Option<String>,
    /// The first match's value, when it is an input, textarea or select.
    pub value: Option<String>,
    /// The browser rejected the selector.
    pub error: Option<String>,
}

/// A replayed step.
#[derive(Debug, Clone, PartialEq)]
pub struct StepRecord {
    pub offset_ms: f64,
    pub pointer: Pointer,
    pub description: String,
    /// The locator that found the target.
    pub locator: Option<String>,
    /// What happened differently from the recording (`the button is disabled: the press did nothing`).
    pub note: Option<String>,
    /// Real time spent in DevTools calls for this step.
    pub cdp_ms: f64,
}

/// How a request was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveAnswer {
    /// A file of the served app folder.
    File,
    /// Passed on to the running app.
    App,
    /// A recorded exchange.
    Recorded,
    /// The recorded exchange was a network error: failed the same way.
    RecordedFailure,
    /// No recorded answer: 404.
    NotFound,
    /// No recorded answer: failed as a network error.
    Aborted,
}

impl LiveAnswer {
    pub fn name(self) -> &'static str {
        match self {
            LiveAnswer::File => "file",
            LiveAnswer::App => "app",
            LiveAnswer::Recorded => "recorded",
            LiveAnswer::RecordedFailure => "recorded-failure",
            LiveAnswer::NotFound => "unmatched-404",
            LiveAnswer::Aborted => "unmatched-abort",
        }
    }
}

/// One request the page made.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveRequest {
    /// Virtual ms at which the page made it.
    pub offset_ms: f64,
    pub method: String,
    pub url: String,
    pub resource_type: String,
    pub answer: LiveAnswer,
    pub status: Option<u16>,
    /// The recorded latency the page waited for (recorded answers only).
    pub latency_ms: Option<f64>,
    /// The recorded exchange that answered it (for a HAR entry, segment 0 and the entry index).
    pub exchange: Option<Pointer>,
    /// The answer came from the HAR file, not from the recording.
    pub from_har: bool,
    /// `response body not captured (URL_SKIPPED)` and the like.
    pub note: Option<String>,
}

impl LiveRequest {
    /// A status of 400 or more, or no response at all.
    pub fn failed(&self) -> bool {
        matches!(self.answer, LiveAnswer::RecordedFailure | LiveAnswer::Aborted) || self.status.is_some_and(|s| s >= 400)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleMessage {
    pub offset_ms: f64,
    /// `log`, `info`, `warning`, `error`, `debug`...
    pub level: String,
    pub text: String,
}

/// An uncaught exception or unhandled promise rejection.
#[derive(Debug, Clone, PartialEq)]
pub struct PageException {
    pub offset_ms: f64,
    pub text: String,
}

/// Everything a live run observed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LiveRun {
    pub checkpoints: Vec<LiveCheckpoint>,
    pub steps: Vec<StepRecord>,
    pub requests: Vec<LiveRequest>,
    pub console: Vec<ConsoleMessage>,
    pub exceptions: Vec<PageException>,
    /// Requests the recording had no answer for.
    pub unmatched: Vec<Unmatched>,
    /// Recorded exchanges the page never asked for.
    pub unused_exchanges: usize,
    pub warnings: Vec<String>,
    /// The browser's product string.
    pub browser: String,
    /// Real time of the run, from navigation to the last checkpoint.
    pub wall_ms: f64,
}

impl LiveRun {
    pub fn checkpoint(&self, name: &str) -> Option<&LiveCheckpoint> {
        self.checkpoints.iter().find(|c| c.name == name)
    }

    /// Average real time of DevTools calls per replayed step.
    pub fn cdp_ms_per_step(&self) -> f64 {
        if self.steps.is_empty() {
            return 0.0;
        }
        self.steps.iter().map(|s| s.cdp_ms).sum::<f64>() / self.steps.len() as f64
    }

    /// The run as text, in virtual time only (no real durations): the same on every
    /// deterministic run. Steps, requests, console messages and exceptions, by time.
    pub fn event_log(&self) -> String {
        let mut rows: Vec<(f64, u8, String)> = Vec::new();
        for s in &self.steps {
            let mut line = format!("step {} (segment {}, frame {})", s.description, s.pointer.segment, s.pointer.frame);
            if let Some(l) = &s.locator {
                let _ = write!(line, " via {l}");
            }
            if let Some(n) = &s.note {
                let _ = write!(line, ": {n}");
            }
            rows.push((s.offset_ms, 0, line));
        }
        for r in &self.requests {
            let mut line = format!("request {} {} [{}] -> {}", r.method, r.url, r.resource_type, r.answer.name());
            if let Some(s) = r.status {
                let _ = write!(line, " {s}");
            }
            if let Some(l) = r.latency_ms {
                let _ = write!(line, " after {l:.1} ms");
            }
            match r.exchange {
                Some(p) if r.from_har => {
                    let _ = write!(line, " (HAR entry {})", p.frame);
                }
                Some(p) => {
                    let _ = write!(line, " (recorded at segment {}, frame {})", p.segment, p.frame);
                }
                None => {}
            }
            if let Some(n) = &r.note {
                let _ = write!(line, "; {n}");
            }
            rows.push((r.offset_ms, 1, line));
        }
        for c in &self.console {
            rows.push((c.offset_ms, 2, format!("console.{} {:?}", c.level, c.text)));
        }
        for e in &self.exceptions {
            rows.push((e.offset_ms, 3, format!("exception {:?}", e.text)));
        }
        // Stable: same-time rows keep their kind order and their own order.
        rows.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut out = String::new();
        for (t, _, line) in rows {
            let _ = writeln!(out, "{} {line}", crate::model::Offset(t));
        }
        out
    }
}
