//! What a cached bundle holds, read from its folder: complete or partial, when it was fetched,
//! which segments, how many bytes.

use super::policy::parse_rfc3339;
use crate::model::Timestamp;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Every page was read (`reprise.complete: true`).
    Complete,
    /// `metadata.json` says `complete: false`: a `--segments` fetch, or one that stopped.
    Partial,
    /// No readable `metadata.json`: a fetch stopped before it wrote one.
    Interrupted,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Complete => "complete",
            State::Partial => "partial",
            State::Interrupted => "interrupted",
        }
    }
}

#[derive(Debug, Clone)]
pub struct BundleStatus {
    pub path: PathBuf,
    pub state: State,
    pub fetched_at: Option<String>,
    /// The replay's last activity, as the server reported it.
    pub finished_at: Option<Timestamp>,
    pub segments: BTreeSet<u32>,
    /// The server's `count_segments` hint.
    pub count_segments: Option<u64>,
    /// Total size of the folder's files in bytes.
    pub size: u64,
    pub include: Vec<String>,
    /// The `--segments` selection of a partial fetch.
    pub requested: Option<String>,
    pub warnings: Vec<String>,
}

impl BundleStatus {
    pub fn read(dir: &Path) -> BundleStatus {
        let meta: Option<Value> =
            std::fs::read(dir.join("metadata.json")).ok().and_then(|b| serde_json::from_slice(&b).ok());
        let block = meta.as_ref().and_then(|m| m.get("reprise"));
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        let strings = |v: Option<&Value>| -> Vec<String> {
            v.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
        };
        let state = match (&meta, block.and_then(|b| b.get("complete")).and_then(Value::as_bool)) {
            (None, _) => State::Interrupted,
            (Some(_), Some(true)) => State::Complete,
            (Some(_), _) => State::Partial,
        };
        let finished_at = meta.as_ref().and_then(|m| {
            m.get("finished_at").and_then(Value::as_str).and_then(parse_rfc3339).or_else(|| {
                m.get("timestamp").and_then(Value::as_f64).map(|t| Timestamp(crate::ingest::to_ms(t)))
            })
        });
        let mut segments = BTreeSet::new();
        for entry in std::fs::read_dir(dir.join("segments")).into_iter().flatten().flatten() {
            let name = entry.file_name();
            if let Some(id) = name.to_str().and_then(|n| n.split('.').next()).and_then(|n| n.parse().ok()) {
                segments.insert(id);
            }
        }
        BundleStatus {
            path: dir.to_path_buf(),
            state,
            fetched_at: text(block.and_then(|b| b.get("fetched_at"))),
            finished_at,
            segments,
            count_segments: meta.as_ref().and_then(|m| m.get("count_segments")).and_then(Value::as_u64),
            size: size_of(dir),
            include: strings(block.and_then(|b| b.get("include"))),
            requested: text(block.and_then(|b| b.get("segments"))),
            warnings: strings(block.and_then(|b| b.get("warnings"))),
        }
    }

    pub fn fetched_at_ts(&self) -> Option<Timestamp> {
        self.fetched_at.as_deref().and_then(parse_rfc3339)
    }

    /// Why a bundle is not complete, in words for a warning.
    pub fn why_partial(&self) -> String {
        match (self.state, &self.requested) {
            (State::Complete, _) => "complete".into(),
            (State::Partial, Some(sel)) => format!("only segments {sel} were fetched"),
            (State::Partial, None) => "the fetch stopped before every page was read".into(),
            (State::Interrupted, _) => "the fetch stopped before it wrote metadata.json".into(),
        }
    }
}

/// Bytes of every file under `dir` (temporary leftovers included: they take space too).
fn size_of(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            match entry.metadata() {
                Ok(m) if m.is_dir() => stack.push(entry.path()),
                Ok(m) => total += m.len(),
                Err(_) => {}
            }
        }
    }
    total
}
