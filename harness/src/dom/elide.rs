//! Skipping dead adds. Ingest marks every node a mutation adds with the frame whose remove ends
//! it unobserved (`Node::dead_at`, found by `ingest::liveness`, which states the static
//! conditions). A fold that will apply that frame need not build the node: this is the dynamic
//! half, checked when the engine reaches the add.
//!
//! A group's root is skipped when warnings are not being collected, no legacy add is parked,
//! its id is not mapped, its parent is an element other than style, textarea, iframe and select
//! (the ones rrweb's insert-time fix-ups touch), and the insert could not throw (a next sibling
//! that lies inside the parent is its child). A member is skipped when its parent was skipped.
//!
//! Why the state at the cut is the same as rrweb's: rrweb builds each of these nodes alone
//! (`skipChild`), inserts it where it cannot fail and maps its id; nothing but the group itself
//! names those ids until the root's remove, and the nodes carry no sheet, form state, shadow root
//! or document that could reach other nodes. The remove then unmaps the whole group and detaches
//! it. Skipping them ends the same way: ids unmapped, nodes absent; the remove, finding its id
//! unmapped, only warns, and warnings turn skipping off. Seek-index checkpoints are built
//! without skipping (they are states at other instants); replays from a checkpoint skip.

use super::engine::Engine;
use super::node::{Data, Idx};
use crate::model::NodeAdd;

use crate::model::DENSE_IDS as DENSE_LIMIT;

impl<'r> Engine<'r> {
    /// Turns skipping on for a fold that applies frames up to (not including) `end`.
    pub(crate) fn skip_dead_before(&mut self, end: usize) {
        self.fold_end = end;
    }

    fn dead(&self, add: &NodeAdd) -> bool {
        (add.node.dead_at as usize) < self.fold_end && !self.collecting() && self.legacy.parked.is_empty()
    }

    fn skipped(&self, id: i64) -> bool {
        (0..DENSE_LIMIT).contains(&id) && self.skipped.get(id as usize / 64).is_some_and(|w| w & (1 << (id % 64)) != 0)
    }

    fn mark_skipped(&mut self, id: i64) {
        let i = id as usize / 64;
        if i >= self.skipped.len() {
            self.skipped.resize(i + 1, 0);
        }
        self.skipped[i] |= 1 << (id % 64);
    }

    /// A member of a dead group whose parent was skipped: skip it too.
    pub(crate) fn skips_member(&mut self, add: &NodeAdd) -> bool {
        if self.fold_end == 0 || !self.dead(add) || !self.skipped(add.parent_id) || self.dom.get(add.node.id).is_some() {
            return false;
        }
        self.mark_skipped(add.node.id);
        true
    }

    /// The root of a dead group, about to be built under `parent` before `next`: skip it when
    /// the dynamic conditions hold.
    pub(crate) fn skips_root(&mut self, add: &NodeAdd, parent: Idx, next: Option<Idx>) -> bool {
        if self.fold_end == 0 || !self.dead(add) || self.dom.get(add.node.id).is_some() {
            return false;
        }
        let Data::Element(p) = &self.dom.node(parent).data else { return false };
        if !p.svg && matches!(&*p.local, "style" | "textarea" | "iframe" | "select") {
            return false;
        }
        if self.dom.meta(parent).is_some_and(|m| matches!(m.tag(), Some("style" | "textarea"))) {
            return false;
        }
        let insert_ok = match next.filter(|&n| self.dom.parent(n).is_some()) {
            Some(n) => self.dom.parent(n) == Some(parent) || !self.dom.contains(parent, n),
            None => true,
        };
        if insert_ok {
            self.mark_skipped(add.node.id);
        }
        insert_ok
    }
}
