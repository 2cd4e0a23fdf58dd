//! Dead adds, found once per recording: for each node a mutation adds, the frame whose remove
//! ends it before anything could have observed it (`Node::dead_at`). The DOM engine then skips
//! building such nodes in any fold that reaches that frame (see `dom::elide` for the dynamic
//! conditions and why the state at the cut is unchanged). Editors re-render their lines on every
//! keystroke: a long session adds hundreds of thousands of nodes of which a few thousand live.
//!
//! Nodes die in groups. A *group* starts at an add whose node builds exactly as recorded (a text,
//! a comment, or an element with `plain` set: no form control, style, link, image, iframe,
//! dialog, handler or `rr_` attribute), with no `rootId`, `previousId`, `-1` neighbour, shadow
//! flag or serialized children, and whose id has not been added or snapshotted before in this
//! epoch. Later adds of the same kind whose parent is in the group join it, if their `nextId` is
//! absent or names a member with the same parent. The group dies when a later batch removes its
//! root from the root's parent, and no add rebound that parent's id in between. It is dropped
//! (nothing dies) as soon as any frame names one of its ids in another way: as the parent or
//! neighbour of an add outside it, in a remove, text, attribute, input, scroll, media or
//! stylesheet event, or in a second add; and at every full snapshot or Meta.

use crate::model::{Frame, FrameData, Incremental, Mutation, NodeAdd, NodeKind};

// Ids at or above this (and negative ids) are never in a group: the per-id tables stay small.
use crate::model::DENSE_IDS as DENSE_LIMIT;

struct Group {
    root: i64,
    parent_id: i64,
    parent_gen: u32,
    frame: usize,
    /// (frame, add index, id) of every member, root first.
    members: Vec<(u32, u32, u32)>,
}

#[derive(Default)]
struct Scan {
    /// Per id: its live group plus one (0 = none).
    owner: Vec<u32>,
    /// Per id in a group: the parent id it was added under (`u32::MAX` if not a dense id).
    parent_of: Vec<u32>,
    /// Per id: how many adds or snapshots have named it as a node.
    gen: Vec<u32>,
    groups: Vec<Option<Group>>,
    live: usize,
    /// (frame, add index, frame of death) of the adds found dead by the frame being scanned.
    dead: Vec<(u32, u32, u32)>,
}

fn slot(id: i64) -> Option<usize> {
    (0..DENSE_LIMIT).contains(&id).then_some(id as usize)
}

impl Scan {
    fn owner_of(&self, id: i64) -> Option<usize> {
        match self.owner.get(slot(id)?) {
            Some(&g) if g != 0 => Some(g as usize - 1),
            _ => None,
        }
    }

    fn take(&mut self, g: usize) -> Option<Group> {
        let group = self.groups[g].take()?;
        for &(_, _, id) in &group.members {
            self.owner[id as usize] = 0;
        }
        self.live -= 1;
        Some(group)
    }

    /// A frame names `id` outside its group: the group can no longer die unobserved.
    fn touch(&mut self, id: i64) {
        if let Some(g) = self.owner_of(id) {
            self.take(g);
        }
    }

    fn gen_of(&self, id: i64) -> u32 {
        slot(id).and_then(|i| self.gen.get(i).copied()).unwrap_or(0)
    }

    fn bump(&mut self, id: i64) {
        if let Some(i) = slot(id) {
            if i >= self.gen.len() {
                self.gen.resize(i + 1, 0);
            }
            self.gen[i] += 1;
        }
    }

    fn own(&mut self, id: i64, g: usize, parent_id: i64) {
        let i = id as usize;
        if i >= self.owner.len() {
            self.owner.resize(i + 1, 0);
            self.parent_of.resize(i + 1, 0);
        }
        self.owner[i] = g as u32 + 1;
        self.parent_of[i] = slot(parent_id).map_or(u32::MAX, |p| p as u32);
    }

    fn forget_all(&mut self) {
        for g in 0..self.groups.len() {
            self.take(g);
        }
        self.groups.clear();
    }

    fn mutation(&mut self, frame: usize, m: &Mutation) {
        // Removes run first in a batch.
        for r in &m.removes {
            if let Some(g) = self.owner_of(r.id).and_then(|g| self.take(g)) {
                let dies = g.root == r.id
                    && g.frame < frame
                    && !r.is_shadow
                    && r.parent_id == g.parent_id
                    && self.gen_of(r.parent_id) == g.parent_gen;
                if dies {
                    self.dead.extend(g.members.iter().map(|&(f, k, _)| (f, k, frame as u32)));
                }
            }
            self.touch(r.parent_id);
        }
        let first_new = self.groups.len();
        for (k, add) in m.adds.iter().enumerate() {
            let id = add.node.id;
            self.touch(id);
            let fresh = slot(id).is_some() && self.gen_of(id) == 0;
            self.bump(id);
            for child in add.node.children.iter() {
                child.walk(|n, _| self.bump(n.id));
            }
            let member = (frame as u32, k as u32, id as u32);
            let ok = fresh && eligible(add);
            match self.owner_of(add.parent_id) {
                Some(g) => {
                    let next_ok = match add.next_id {
                        None => true,
                        Some(n) => self.owner_of(n) == Some(g) && slot(add.parent_id).is_some_and(|p| self.parent_of[n as usize] == p as u32),
                    };
                    if ok && next_ok {
                        self.own(id, g, add.parent_id);
                        if let Some(group) = &mut self.groups[g] {
                            group.members.push(member);
                        }
                    } else {
                        self.take(g);
                    }
                }
                None if ok => {
                    self.groups.push(Some(Group {
                        root: id,
                        parent_id: add.parent_id,
                        parent_gen: 0,
                        frame,
                        members: vec![member],
                    }));
                    self.live += 1;
                    self.own(id, self.groups.len() - 1, add.parent_id);
                }
                None => {}
            }
        }
        for g in self.groups[first_new..].iter_mut().flatten() {
            g.parent_gen = slot(g.parent_id).and_then(|i| self.gen.get(i).copied()).unwrap_or(0);
        }
        // What each add names besides its own node, once every add of the batch is known.
        for add in &m.adds {
            let mine = self.owner_of(add.node.id);
            for id in [Some(add.parent_id), add.next_id] {
                if let Some(g) = id.and_then(|id| self.owner_of(id)) {
                    if Some(g) != mine {
                        self.take(g);
                    }
                }
            }
            if let Some(p) = add.previous_id {
                self.touch(p);
            }
            for child in add.node.children.iter() {
                child.walk(|n, _| self.touch(n.id));
            }
        }
        for t in &m.texts {
            self.touch(t.id);
        }
        for a in &m.attributes {
            self.touch(a.id);
        }
        if self.groups.len() > 4096 && self.groups.len() > 4 * self.live {
            self.compact();
        }
    }

    /// Drops the ended groups from the list, renumbering owners.
    fn compact(&mut self) {
        let live: Vec<Group> = self.groups.drain(..).flatten().collect();
        for (g, group) in live.iter().enumerate() {
            for &(_, _, id) in &group.members {
                self.owner[id as usize] = g as u32 + 1;
            }
        }
        self.groups = live.into_iter().map(Some).collect();
    }
}

/// Whether an add could start or join a group, as far as the add itself tells.
fn eligible(add: &NodeAdd) -> bool {
    let n = &add.node;
    let kind_ok = match &n.kind {
        NodeKind::Element { plain, .. } => *plain && !n.is_shadow_host,
        NodeKind::Text { .. } | NodeKind::Comment { .. } => true,
        _ => false,
    };
    kind_ok
        && !n.is_shadow
        && n.children.is_empty()
        && n.root_id.is_none_or(|r| r == 0)
        && add.previous_id.is_none()
        && add.next_id != Some(-1)
}

/// Sets `dead_at` on every dead add of the (sorted) frames; returns how many there are.
pub fn mark_dead_adds(frames: &mut [Frame]) -> usize {
    let mut s = Scan::default();
    let mut n = 0;
    for i in 0..frames.len() {
        match &frames[i].data {
            FrameData::FullSnapshot { node, .. } => {
                s.forget_all();
                node.walk(|n, _| s.bump(n.id));
            }
            FrameData::Meta { .. } => s.forget_all(),
            FrameData::Incremental(inc) => match inc {
                Incremental::Mutation(m) => s.mutation(i, m),
                Incremental::Scroll(x) => s.touch(x.id),
                Incremental::Input(x) => s.touch(x.id),
                Incremental::MediaInteraction(x) => s.touch(x.id),
                Incremental::StyleSheetRule(x) => x.id.into_iter().for_each(|id| s.touch(id)),
                Incremental::StyleDeclaration(x) => x.id.into_iter().for_each(|id| s.touch(id)),
                Incremental::AdoptedStyleSheet(x) => s.touch(x.id),
                _ => {}
            },
            _ => {}
        }
        n += s.dead.len();
        for (f, k, at) in s.dead.drain(..) {
            if let FrameData::Incremental(Incremental::Mutation(m)) = &mut frames[f as usize].data {
                m.adds[k as usize].node.dead_at = at;
            }
        }
    }
    n
}
