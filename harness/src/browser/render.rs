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
    /// CSS selectors whose elements' boxes are measured after the state is applied, in the
    /// captured frame (for masks): `Rendered::boxes`.
    pub measure: Vec<String>,
}

impl Default for RenderOptions {
    fn default() -> RenderOptions {
        RenderOptions {
            state: Vec::new(),
            resources: BTreeMap::new(),
            policy: RequestPolicy::default(),
            timeout: Duration::from_secs(30),
            measure: Vec::new(),
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
    /// State that could not be applied as asked (no such element, a scroll that was clamped), and
    /// `measure` selectors that are invalid or match nothing.
    pub warnings: Vec<String>,
    /// The boxes of the elements matched by `RenderOptions::measure`, selector by selector, each
    /// in document order; elements with an empty box are left out.
    pub boxes: Vec<ElementBox>,
}

/// Where an element is in the captured PNG: its border box in viewport pixels (CSS pixels at
/// scale 1), rounded outwards to whole pixels. It may reach outside the viewport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementBox {
    /// The `measure` selector that matched it.
    pub selector: String,
    pub x: i64,
    pub y: i64,
    pub width: u32,
    pub height: u32,
}

impl Rendered {
    /// Requests that may have reached a network. Always empty unless interception broke.
    pub fn escaped(&self) -> impl Iterator<Item = &RequestLogEntry> {
        self.requests.iter().filter(|r| r.left_page())
    }
}
