//! The `Dom`: an arena of nodes keyed by rrweb id, with the DOM's tree operations (insert,
//! remove, contains) and their validity rules, so that rrweb's failures can be reproduced.

use super::meta::MetaRef;
use super::meta_keys::{MetaMap, MetaSet};
use super::mirror::Mirror;
use super::node::{Data, Element, Idx, Node, Text, NIL};

/// The DOM of a recording at one instant: every node rrweb built, reachable or not, and the
/// mirror from rrweb ids to nodes.
#[derive(Debug, Clone)]
pub struct Dom<'r> {
    pub(crate) nodes: Vec<Node<'r>>,
    pub(crate) metas: Vec<MetaRef<'r>>,
    /// For link/style metas built with children: the metas of their Text children, which
    /// rrweb's CSS splitting rewrites on a later `_cssText` mutation. Those metas are pinned.
    pub(crate) style_children: MetaMap<Vec<u32>>,
    pub(crate) pinned: MetaSet,
    /// The declarations of inline styles the CSSOM model wrote (a cache).
    pub(crate) style_memo: super::style_memo::StyleMemo<'r>,
    /// CSSOM edits and adopted stylesheets (not part of the canonical text).
    pub sheets: super::stylesheet::Sheets,
    free_nodes: Vec<u32>,
    free_metas: Vec<u32>,
    pub(crate) mirror: Mirror,
    /// The replay document; it is mirrored once a full snapshot has been built.
    pub(crate) top: u32,
    /// Whether an iframe was ever given a content document: removals skip looking for them
    /// while not.
    pub(crate) content_docs: bool,
    /// How many input elements were ever built: the radio-group rule is skipped while zero.
    pub(crate) inputs: u32,
    /// The viewport size from the last Meta or ViewportResize.
    pub viewport: Option<(f64, f64)>,
    /// The page URL from the last Meta.
    pub href: Option<String>,
    /// rrweb itself threw out of `pause()` (a full snapshot it could not build): the state is
    /// partial, as in rrweb (CANONICAL.md §4.1 `#error`).
    pub error: Option<String>,
}

/// A DOM exception: rrweb's replayer lets it abort the rest of a mutation batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomError(pub String);

pub type DomResult<T = ()> = Result<T, DomError>;

pub(crate) fn hierarchy(what: &str) -> DomError {
    DomError(format!("HierarchyRequestError: {what}"))
}

impl Default for Dom<'_> {
    fn default() -> Self {
        Dom::new()
    }
}

impl<'r> Dom<'r> {
    /// An empty replay document.
    pub fn new() -> Dom<'r> {
        let mut dom = Dom {
            nodes: Vec::new(),
            metas: Vec::new(),
            style_children: MetaMap::default(),
            pinned: MetaSet::default(),
            style_memo: Default::default(),
            sheets: Default::default(),
            free_nodes: Vec::new(),
            free_metas: Vec::new(),
            mirror: Mirror::default(),
            top: 0,
            content_docs: false,
            inputs: 0,
            viewport: None,
            href: None,
            error: None,
        };
        dom.top = dom.push(Node::new(Data::Document { frame: NIL })).0;
        dom
    }

    pub(crate) fn push(&mut self, node: Node<'r>) -> Idx {
        if let Data::Element(e) = &node.data {
            if !e.svg && &*e.local == "input" {
                self.inputs += 1;
            }
        }
        if let Some(i) = self.free_nodes.pop() {
            if let Some(slot) = self.nodes.get_mut(i as usize) {
                *slot = node;
                return Idx(i);
            }
        }
        self.nodes.push(node);
        Idx((self.nodes.len() - 1) as u32)
    }

    pub(crate) fn push_meta(&mut self, meta: MetaRef<'r>) -> u32 {
        if let Some(i) = self.free_metas.pop() {
            if let Some(slot) = self.metas.get_mut(i as usize) {
                *slot = meta;
                return i;
            }
        }
        self.metas.push(meta);
        (self.metas.len() - 1) as u32
    }

    /// rrweb's `removeNodeFromMap`: unmaps the ids of a node, its descendants and its shadow
    /// trees, collected into `out` (iteratively; `out` doubles as the walk's stack). Returns
    /// whether one of them is still mapped afterwards, which only the top document and a node
    /// mirrored under id -1 (never unmapped) can be; such a subtree must not be recycled.
    pub(crate) fn unmap_subtree(&mut self, root: Idx, out: &mut Vec<Idx>) -> bool {
        out.clear();
        out.push(root);
        let mut still_mapped = false;
        let mut i = 0;
        while i < out.len() {
            let n = out[i];
            let node = &self.nodes[n.0 as usize];
            let (id, first, shadow) = (node.id, node.first, node.element().map_or(NIL, |e| e.shadow));
            let mut c = first;
            while c != NIL {
                out.push(Idx(c));
                c = self.nodes[c as usize].next;
            }
            if shadow != NIL {
                out.push(Idx(shadow));
            }
            if id != -1 {
                self.mirror.remove(id);
            } else {
                still_mapped |= self.mirror.get(id) == Some(n.0);
            }
            still_mapped |= n.0 == self.top;
            i += 1;
        }
        still_mapped
    }

    /// Recycles the nodes of a removed subtree that `unmap_subtree` left unmapped: nothing can
    /// reach them any more (their ids are unmapped, the subtree is detached, no legacy entry
    /// holds it, content documents are not children).
    pub(crate) fn free_unmapped(&mut self, all: &[Idx]) {
        let (pins, styles) = (!self.pinned.is_empty(), !self.style_children.is_empty());
        for &n in all {
            let meta = self.node(n).meta;
            if meta != NIL && !(pins && self.pinned.contains(&meta)) {
                if styles {
                    if let Some(children) = self.style_children.remove(&meta) {
                        for c in children {
                            self.pinned.remove(&c);
                        }
                    }
                }
                self.metas[meta as usize] = MetaRef::Serialized(&EMPTY);
                self.free_metas.push(meta);
            }
            // Nothing reaches a free slot before `push` overwrites it whole (no id maps to it, no
            // live link points into it): it has to let go of what it holds and stay cheap to clone
            // (a checkpoint clones free slots too). It is left as a detached empty text, field by
            // field, which costs no copy of a whole node.
            let node = &mut self.nodes[n.0 as usize];
            node.data = Data::Text(Text::Ref(""));
            node.id = -1;
            node.meta = NIL;
            (node.parent, node.first, node.last, node.prev, node.next) = (NIL, NIL, NIL, NIL, NIL);
            node.scroll = None;
            node.input_touched = false;
            self.free_nodes.push(n.0);
        }
    }

    /// The replay (top-level) document.
    pub fn top(&self) -> Idx {
        Idx(self.top)
    }

    pub fn node(&self, i: Idx) -> &Node<'r> {
        &self.nodes[i.0 as usize]
    }

    pub(crate) fn node_mut(&mut self, i: Idx) -> &mut Node<'r> {
        &mut self.nodes[i.0 as usize]
    }

    pub fn element(&self, i: Idx) -> Option<&Element<'r>> {
        self.node(i).element()
    }

    pub(crate) fn element_mut(&mut self, i: Idx) -> Option<&mut Element<'r>> {
        self.node_mut(i).element_mut()
    }

    /// The node rrweb's mirror maps this id to.
    pub fn get(&self, id: i64) -> Option<Idx> {
        self.mirror.get(id).map(Idx)
    }

    /// The serialized data the node was built from, if it was built from one.
    pub fn meta(&self, i: Idx) -> Option<&MetaRef<'r>> {
        let m = self.node(i).meta;
        (m != NIL).then(|| &self.metas[m as usize])
    }

    /// A node is mirrored when it has an id >= 1 that maps back to it (CANONICAL.md §5).
    pub fn mirrored_id(&self, i: Idx) -> Option<i64> {
        let id = self.node(i).id;
        (id >= 1 && self.mirror.get(id) == Some(i.0)).then_some(id)
    }

    /// Number of ids in the mirror.
    pub fn len(&self) -> usize {
        self.mirror.len()
    }

    pub fn is_empty(&self) -> bool {
        self.mirror.is_empty()
    }

    /// Live slots in the arena, reachable or not (a measure of memory and clone cost).
    pub fn arena_len(&self) -> usize {
        self.nodes.len() - self.free_nodes.len()
    }

    /// Every mirrored (id, node), ascending by id.
    pub fn ids(&self) -> Vec<(i64, Idx)> {
        self.mirror.entries().into_iter().map(|(id, i)| (id, Idx(i))).collect()
    }

    pub fn parent(&self, i: Idx) -> Option<Idx> {
        link(self.node(i).parent)
    }

    pub fn first_child(&self, i: Idx) -> Option<Idx> {
        link(self.node(i).first)
    }

    pub fn last_child(&self, i: Idx) -> Option<Idx> {
        link(self.node(i).last)
    }

    pub fn next_sibling(&self, i: Idx) -> Option<Idx> {
        link(self.node(i).next)
    }

    pub fn prev_sibling(&self, i: Idx) -> Option<Idx> {
        link(self.node(i).prev)
    }

    pub fn children(&self, i: Idx) -> Children<'_, 'r> {
        Children { dom: self, next: self.node(i).first }
    }

    /// The open shadow root of a host element.
    pub fn shadow_root(&self, i: Idx) -> Option<Idx> {
        self.element(i).and_then(|e| link(e.shadow))
    }

    /// The content document attached to an iframe element.
    pub fn content_document(&self, i: Idx) -> Option<Idx> {
        self.element(i).and_then(|e| link(e.content_doc))
    }

    /// The host of a shadow root.
    pub fn shadow_host(&self, i: Idx) -> Option<Idx> {
        match self.node(i).data {
            Data::ShadowRoot { host } => link(host),
            _ => None,
        }
    }

    /// The iframe element hosting a document.
    pub fn frame_of(&self, i: Idx) -> Option<Idx> {
        match self.node(i).data {
            Data::Document { frame } => link(frame),
            _ => None,
        }
    }

    /// The top of a node's parent chain (a document, a shadow root or a detached node).
    pub fn root(&self, mut i: Idx) -> Idx {
        while let Some(p) = self.parent(i) {
            i = p;
        }
        i
    }

    /// The document a node is connected to, crossing shadow roots to their hosts.
    pub fn connected_document(&self, mut i: Idx) -> Option<Idx> {
        loop {
            let r = self.root(i);
            match self.node(r).data {
                Data::Document { .. } => return Some(r),
                Data::ShadowRoot { host } if host != NIL => i = Idx(host),
                _ => return None,
            }
        }
    }

    pub fn is_connected(&self, i: Idx) -> bool {
        self.connected_document(i).is_some()
    }

    /// Whether `node` is `of` or one of its descendants (DOM `contains`, not crossing shadows).
    pub fn contains(&self, of: Idx, node: Idx) -> bool {
        let mut cur = Some(node);
        while let Some(c) = cur {
            if c == of {
                return true;
            }
            cur = self.parent(c);
        }
        false
    }

    fn is_host_including_ancestor(&self, anc: Idx, mut of: Idx) -> bool {
        let n = self.node(anc);
        let leaf = n.first == NIL && n.element().is_none_or(|e| e.shadow == NIL);
        if leaf {
            return anc == of;
        }
        loop {
            if of == anc {
                return true;
            }
            match self.parent(of).or_else(|| self.shadow_host(of)) {
                Some(p) => of = p,
                None => return false,
            }
        }
    }

    /// Detaches a node from its parent, if any. Never fails.
    pub(crate) fn detach(&mut self, i: Idx) {
        let (parent, prev, next) = {
            let n = self.node(i);
            (n.parent, n.prev, n.next)
        };
        if parent == NIL {
            return;
        }
        if prev != NIL {
            self.nodes[prev as usize].next = next;
        } else {
            self.nodes[parent as usize].first = next;
        }
        if next != NIL {
            self.nodes[next as usize].prev = prev;
        } else {
            self.nodes[parent as usize].last = prev;
        }
        let n = self.node_mut(i);
        n.parent = NIL;
        n.prev = NIL;
        n.next = NIL;
    }

    /// Links a detached node before `reference` (or last) without any checks.
    fn link_before(&mut self, parent: Idx, node: Idx, reference: Option<Idx>) {
        let (prev, next) = match reference {
            Some(r) => (self.node(r).prev, r.0),
            None => (self.node(parent).last, NIL),
        };
        {
            let n = self.node_mut(node);
            n.parent = parent.0;
            n.prev = prev;
            n.next = next;
        }
        if prev != NIL {
            self.nodes[prev as usize].next = node.0;
        } else {
            self.node_mut(parent).first = node.0;
        }
        if next != NIL {
            self.nodes[next as usize].prev = node.0;
        } else {
            self.node_mut(parent).last = node.0;
        }
    }

    /// DOM `insertBefore` with its validity rules; a null reference appends.
    pub(crate) fn insert_before(&mut self, parent: Idx, node: Idx, reference: Option<Idx>) -> DomResult {
        self.check_insert(parent, node, reference)?;
        let reference = match reference {
            Some(r) if r == node => self.next_sibling(node),
            r => r,
        };
        self.detach(node);
        self.link_before(parent, node, reference);
        Ok(())
    }

    pub(crate) fn append_child(&mut self, parent: Idx, node: Idx) -> DomResult {
        self.insert_before(parent, node, None)
    }

    /// DOM `removeChild`: fails unless `node` is a child of `parent`.
    pub(crate) fn remove_child(&mut self, parent: Idx, node: Idx) -> DomResult {
        if self.node(node).parent != parent.0 {
            return Err(DomError("NotFoundError: The node to be removed is not a child of this node.".into()));
        }
        self.detach(node);
        Ok(())
    }

    /// Removes every child of a node (a document being opened, `textContent =`).
    pub(crate) fn clear_children(&mut self, parent: Idx) {
        while let Some(c) = self.first_child(parent) {
            self.detach(c);
        }
    }

    fn check_insert(&self, parent: Idx, node: Idx, reference: Option<Idx>) -> DomResult {
        let p = self.node(parent);
        if !matches!(p.data, Data::Document { .. } | Data::ShadowRoot { .. } | Data::Element(_)) {
            return Err(hierarchy("This node type does not support this method."));
        }
        if self.is_host_including_ancestor(node, parent) {
            return Err(hierarchy("The new child element contains the parent."));
        }
        if let Some(r) = reference {
            if self.node(r).parent != parent.0 {
                return Err(DomError(
                    "NotFoundError: The node before which the new node is to be inserted is not a child of this node."
                        .into(),
                ));
            }
        }
        let n = self.node(node);
        match (&n.data, &p.data) {
            (Data::Document { .. } | Data::ShadowRoot { .. }, _) => {
                return Err(hierarchy("Nodes of this type may not be inserted."))
            }
            (Data::Text(_) | Data::CData(_), Data::Document { .. }) => {
                return Err(hierarchy("Nodes of type '#text' may not be inserted inside nodes of type '#document'."))
            }
            (Data::Doctype { .. }, Data::Document { .. }) => {
                let mut seen_element_before_ref = false;
                for c in self.children(parent) {
                    if c == node {
                        continue;
                    }
                    if Some(c) == reference {
                        break;
                    }
                    if matches!(self.node(c).data, Data::Element(_)) {
                        seen_element_before_ref = true;
                    }
                }
                let has_doctype =
                    self.children(parent).any(|c| c != node && matches!(self.node(c).data, Data::Doctype { .. }));
                if has_doctype || seen_element_before_ref {
                    return Err(hierarchy("Only one doctype on document allowed."));
                }
            }
            (Data::Doctype { .. }, _) => return Err(hierarchy("Doctypes may only be inserted into documents.")),
            (Data::Element(_), Data::Document { .. }) => {
                let has_element =
                    self.children(parent).any(|c| c != node && matches!(self.node(c).data, Data::Element(_)));
                let doctype_after = reference.is_some_and(|r| {
                    let mut cur = Some(r);
                    while let Some(c) = cur {
                        if matches!(self.node(c).data, Data::Doctype { .. }) {
                            return true;
                        }
                        cur = self.next_sibling(c);
                    }
                    false
                });
                if has_element || doctype_after {
                    return Err(hierarchy("Only one element on document allowed."));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Concatenated data of the Text children (a textarea's default value).
    pub fn child_text(&self, i: Idx) -> String {
        let mut s = String::new();
        for c in self.children(i) {
            if let Data::Text(t) | Data::CData(t) = &self.node(c).data {
                s.push_str(t);
            }
        }
        s
    }

    /// Concatenated data of all Text descendants, in tree order (DOM `textContent`).
    pub fn text_content(&self, i: Idx) -> String {
        let mut s = String::new();
        self.walk_light(i, |dom, n| {
            if let Data::Text(t) | Data::CData(t) = &dom.node(n).data {
                s.push_str(t);
            }
            true
        });
        s
    }

    /// Visits `i` and its light-DOM descendants in tree order, iteratively. The visitor returns
    /// whether to descend into the node.
    pub fn walk_light(&self, i: Idx, mut visit: impl FnMut(&Dom<'r>, Idx) -> bool) {
        if !visit(self, i) {
            return;
        }
        let mut cur = self.first_child(i);
        while let Some(c) = cur {
            let descend = visit(self, c);
            cur = if descend { self.first_child(c) } else { None }
                .or_else(|| self.next_in_subtree(c, i));
        }
    }

    /// The next node in tree order after `c`'s subtree, staying inside `root`.
    fn next_in_subtree(&self, mut c: Idx, root: Idx) -> Option<Idx> {
        loop {
            if c == root {
                return None;
            }
            if let Some(n) = self.next_sibling(c) {
                return Some(n);
            }
            c = self.parent(c)?;
        }
    }
}

pub(crate) fn link(v: u32) -> Option<Idx> {
    (v != NIL).then_some(Idx(v))
}

/// An empty serialized node that freed meta slots point at.
static EMPTY: std::sync::LazyLock<crate::model::Node> = std::sync::LazyLock::new(|| crate::model::Node {
    id: -1,
    kind: crate::model::NodeKind::Comment { text: crate::model::Str::default() },
    root_id: None,
    is_shadow_host: false,
    is_shadow: false,
    dead_at: u32::MAX,
    children: Box::new([]),
});

/// The children of a node, in order.
pub struct Children<'a, 'r> {
    dom: &'a Dom<'r>,
    next: u32,
}

impl Iterator for Children<'_, '_> {
    type Item = Idx;
    fn next(&mut self) -> Option<Idx> {
        let cur = link(self.next)?;
        self.next = self.dom.node(cur).next;
        Some(cur)
    }
}
