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

/// The DOM engine's resolver answers for events: one forward fold, described in time order.
impl NodeResolver for crate::dom::Resolver<'_> {
    fn describe(&mut self, node_id: i64, at: Timestamp) -> Option<NodeDescription> {
        crate::dom::Resolver::describe(self, node_id, at)
            .map(|d| NodeDescription { selector: d.selector, label: d.label, masked: d.masked, tag: d.tag })
    }
}
