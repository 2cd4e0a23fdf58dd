//! `reprise fetch`: a replay from the Sentry API into a bundle (docs/fetch.md) — the replay
//! detail, every recording-segments page by its `Link` cursor, videos of mobile segments, and
//! optionally the linked error events. Never logs, prints or stores the auth token.

mod client;
mod link;
mod pages;
mod range;
mod replay;
mod token;
mod url;

pub use client::RetryPolicy;
pub use range::SegmentSet;
pub use replay::{fetch, FetchOptions, Outcome, Target};
pub use token::AuthToken;
pub use url::{ApiBase, DEFAULT_URL};

use std::time::Duration;

/// What a fetch is doing, for a progress indicator.
#[derive(Debug, Clone)]
pub enum Progress<'a> {
    /// Reading the replay detail.
    Detail,
    /// A recording-segments page was read; `segments` so far, `expected` per the server's hint.
    Page { page: u32, segments: u32, expected: Option<u64> },
    Video { segment: u32 },
    ErrorEvent { done: usize, of: usize },
    /// A request failed in a way that may pass; it is tried again after `wait`.
    Retry { url: &'a str, attempt: u32, attempts: u32, wait: Duration, reason: &'a str },
}
