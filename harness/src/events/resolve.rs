//! How events learn what a node id was: a selector and a label from the DOM at the event's time.
//! The DOM engine implements this; events does not care how.

use crate::model::Timestamp;

/// What an interaction's target looked like at that moment.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeDescription {
    pub selector: String,
    /// The element's visible text (trimmed, shortened); masked text stays masked.
    pub label: Option<String>,
    pub masked: bool,
    pub tag: String,
}

/// Answers node questions in time order. Calls come with non-decreasing timestamps.
pub trait NodeResolver {
    fn describe(&mut self, node_id: i64, at: Timestamp) -> Option<NodeDescription>;
}
