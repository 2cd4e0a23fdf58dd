//! What a render asks for and what it gives back. The rendering itself is `Page::render`.

use std::collections::BTreeMap;
use std::time::Duration;

use super::intercept::{RequestLogEntry, RequestPolicy, Resource};
use super::state::StateChange;

/// Options for one render.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Scroll positions, values and checked states to apply after load.
    pub state: Vec<StateChange>,
    /// Responses for exact URLs (without fragment), served before the policy applies.
    pub resources: BTreeMap<String, Resource>,
    /// How every other request is answered.
    pub policy: RequestPolicy,
    /// The limit for the whole render, from navigation to PNG.
    pub timeout: Duration,
}

impl Default for RenderOptions {
    fn default() -> RenderOptions {
        RenderOptions {
            state: Vec::new(),
            resources: BTreeMap::new(),
            policy: RequestPolicy::default(),
            timeout: Duration::from_secs(30),
        }
    }
}

/// A rendered page.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The viewport as a PNG, exactly as many pixels as the viewport.
    pub png: Vec<u8>,
    /// Every request the page made, in the order they were paused, and how each was answered.
    pub requests: Vec<RequestLogEntry>,
    /// State that could not be applied as asked (no such element, a scroll that was clamped).
    pub warnings: Vec<String>,
}

impl Rendered {
    /// Requests that may have reached a network. Always empty unless interception broke.
    pub fn escaped(&self) -> impl Iterator<Item = &RequestLogEntry> {
        self.requests.iter().filter(|r| r.left_page())
    }
}
