//! What the engine noticed while folding frames: rrweb's replay warnings, each tied to the frame
//! that caused it, so `validate` and `dom` can point at the evidence.

use crate::model::Pointer;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub struct DomWarning {
    pub pointer: Pointer,
    pub kind: WarningKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WarningKind {
    /// A mutation named an id the mirror does not hold (rrweb: "Node with id 'X' not found").
    NodeNotFound { id: i64 },
    /// An add whose parent or next sibling never appeared in its batch: dropped.
    AddNeverResolved { id: i64, parent_id: i64 },
    /// A remove and an add of the same id in one batch: rrweb builds a new node.
    Moved { id: i64 },
    /// An add of an id that is still live: reused if its meta is equal, else the old node is
    /// orphaned (rrweb's duplicate-node glitch).
    LiveIdReadded { id: i64, orphaned: bool },
    /// A DOM exception aborted the rest of a mutation batch, as in rrweb.
    BatchAborted { message: String },
    /// A remove whose node was not a child of the named parent (its ids are gone anyway).
    RemoveFailed { id: i64, parent_id: i64 },
    /// rrweb could not build a full snapshot; later frames of this fold are not applied.
    SnapshotFailed { message: String },
    /// Legacy adds parked with a −1 neighbour that never resolved before the next snapshot.
    LegacyUnresolved { count: usize },
}

impl fmt::Display for WarningKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WarningKind::NodeNotFound { id } => write!(f, "node with id {id} not found"),
            WarningKind::AddNeverResolved { id, parent_id } => {
                write!(f, "add of node {id} under {parent_id} never resolved (missing parent or next sibling); dropped")
            }
            WarningKind::Moved { id } => write!(f, "node {id} moved (removed and re-added): rebuilt, form and scroll state reset"),
            WarningKind::LiveIdReadded { id, orphaned: true } => {
                write!(f, "node {id} added while still live with different data: the old node is orphaned")
            }
            WarningKind::LiveIdReadded { id, orphaned: false } => {
                write!(f, "node {id} added while still live with equal data: the existing node is moved")
            }
            WarningKind::BatchAborted { message } => write!(f, "mutation batch aborted by {message}"),
            WarningKind::RemoveFailed { id, parent_id } => write!(f, "node {id} is not a child of {parent_id}; remove failed"),
            WarningKind::SnapshotFailed { message } => write!(f, "full snapshot could not be built: {message}"),
            WarningKind::LegacyUnresolved { count } => write!(f, "{count} legacy add(s) with a -1 neighbour never resolved"),
        }
    }
}

impl fmt::Display for DomWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.kind)
    }
}
