//! Answering "what was node X at time t" for many t in time order without refolding: one
//! engine folds forward through the recording and rewinds (from the last full snapshot) only
//! when asked about an earlier time.

use super::arena::Dom;
use super::describe::{describe, NodeDescription};
use super::engine::Engine;
use crate::model::{FrameData, Recording, Timestamp};

/// A forward fold over a recording for the events module: `describe` thousands of interaction
/// targets in time order at the cost of one fold. Unlike `state_at` it does not restart at each
/// Meta (rrweb's seek rule), so nodes stay known between a checkout's Meta and its snapshot.
pub struct Resolver<'r> {
    rec: &'r Recording,
    engine: Engine<'r>,
    /// Frames `0..next` are applied.
    next: usize,
    snapshots: Vec<usize>,
}

impl<'r> Resolver<'r> {
    pub fn new(rec: &'r Recording) -> Resolver<'r> {
        let snapshots =
            rec.frames.iter().enumerate().filter(|(_, f)| matches!(f.data, FrameData::FullSnapshot { .. })).map(|(i, _)| i).collect();
        Resolver { rec, engine: Engine::new(false), next: 0, snapshots }
    }

    /// The DOM with every frame stamped before `at` applied.
    pub fn dom_at(&mut self, at: Timestamp) -> &Dom<'r> {
        let end = self.rec.frames.partition_point(|f| f.timestamp.0 < at.0);
        self.advance_to(end);
        self.engine.dom()
    }

    fn advance_to(&mut self, end: usize) {
        if end < self.next {
            let start = self.snapshots.iter().rev().find(|&&s| s < end).copied().unwrap_or(0);
            self.engine = Engine::new(false);
            self.next = start;
        }
        while self.next < end {
            self.engine.apply(&self.rec.frames[self.next]);
            self.next += 1;
        }
    }

    /// The node with this rrweb id just before `at`; if it is not known yet, frames stamped
    /// exactly `at` are applied too (a node created in the same millisecond).
    pub fn describe(&mut self, id: i64, at: Timestamp) -> Option<NodeDescription> {
        if let Some(d) = describe(self.dom_at(at), id) {
            return Some(d);
        }
        let end = self.rec.frames.partition_point(|f| f.timestamp.0 <= at.0);
        self.advance_to(end.max(self.next));
        describe(self.engine.dom(), id)
    }
}
