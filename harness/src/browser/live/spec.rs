//! What a live run is asked to do: the app, the replay plan, the recorded answers, the checkpoints.

use std::path::PathBuf;
use std::time::Duration;

use crate::mock::UnmatchedPolicy;
use crate::model::Exchange;
use crate::scenario::{DomCapture, ReplayPlan};

/// The app under test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppSource {
    /// Files served by reprise at the recorded origin (`index.html` for folders).
    Folder(PathBuf),
    /// A running app: pages and unrecorded same-origin requests go to it; recorded API calls are
    /// still answered from the recording.
    Url(String),
}

impl std::fmt::Display for AppSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppSource::Folder(p) => write!(f, "{}", p.display()),
            AppSource::Url(u) => f.write_str(u),
        }
    }
}

/// Evidence to take at one instant.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckpointSpec {
    pub name: String,
    /// Virtual ms since the recording's start.
    pub offset_ms: f64,
    /// The canonical DOM text: whole document, selected subtrees, or none.
    pub dom: DomCapture,
    /// Subtrees left out (not numbered either).
    pub ignore: Vec<String>,
    pub screenshot: bool,
    /// Selectors whose elements' boxes are measured with the screenshot (to be masked).
    pub masks: Vec<String>,
    /// Selectors whose match count, first text and first value are read at this instant.
    pub queries: Vec<String>,
}

/// One live run.
#[derive(Debug, Clone)]
pub struct LiveSpec {
    pub app: AppSource,
    pub plan: ReplayPlan,
    /// Recorded exchanges, answered in sequence (HAR entries first when a HAR was given).
    pub exchanges: Vec<Exchange>,
    /// How many of `exchanges` (at the start) are HAR entries rather than recorded spans.
    pub har_entries: usize,
    pub unmatched: UnmatchedPolicy,
    pub seed: u64,
    pub checkpoints: Vec<CheckpointSpec>,
    /// Virtual time runs until here (at least the last checkpoint).
    pub end_ms: f64,
    /// The limit, in real time, for virtual time to reach the next stop (a request to a running
    /// app that never answers would otherwise hold it forever).
    pub stop_timeout: Duration,
    /// The limit, in real time, for the whole run.
    pub timeout: Duration,
}

impl LiveSpec {
    pub fn new(app: AppSource, plan: ReplayPlan) -> LiveSpec {
        LiveSpec {
            app,
            plan,
            exchanges: Vec::new(),
            har_entries: 0,
            unmatched: UnmatchedPolicy::Fail,
            seed: 1,
            checkpoints: Vec::new(),
            end_ms: 0.0,
            stop_timeout: Duration::from_secs(20),
            timeout: Duration::from_secs(300),
        }
    }
}
