//! One Mutation batch, as rrweb's `applyMutation` runs it: removes, adds (with the queue of
//! adds whose parent or next sibling is missing), texts (last per id wins), then attributes.
//! A DOM exception aborts the rest of the batch, exactly as in rrweb.

use super::arena::{DomError, DomResult};
use super::build::{build_with_sn, Borrowed, BuildLog};
use super::dialog;
use super::engine::Engine;
use super::form;
use super::legacy::{self, Legacy, Parked};
use super::node::{Data, Idx, Node, Text, NIL};
use super::resolve_tree::ResolveTrees;
use super::stylesheet;
use super::warning::WarningKind;
use crate::model::{Mutation, NodeAdd, NodeKind};
use std::collections::HashSet;

enum Appended {
    Done,
    Queued,
}

fn truthy(v: Option<i64>) -> Option<i64> {
    v.filter(|&x| x != 0)
}

impl<'r> Engine<'r> {
    pub(crate) fn apply_mutation(&mut self, m: &'r Mutation) -> DomResult {
        let removed_ids = self.apply_removes(m);
        let mut local = if self.legacy.parked.is_empty() { Legacy::default() } else { self.legacy.clone() };
        let mut queue: Vec<&'r NodeAdd> = Vec::new();
        for add in &m.adds {
            if self.collecting() && removed_ids.binary_search(&add.node.id).is_ok() {
                self.warn(WarningKind::Moved { id: add.node.id });
            }
            if let Appended::Queued = self.append_node(add, &mut local)? {
                queue.push(add);
            }
        }
        while !queue.is_empty() {
            let trees = ResolveTrees::new(&queue);
            let pending = std::mem::take(&mut queue);
            let mut progress = false;
            for &root in &trees.roots {
                if self.dom.get(pending[root].parent_id).is_none() {
                    progress = true;
                    self.warn_unresolved(pending[root]);
                    continue;
                }
                for i in trees.walk(root) {
                    match self.append_node(pending[i], &mut local)? {
                        Appended::Done => progress = true,
                        Appended::Queued => queue.push(pending[i]),
                    }
                }
            }
            if !progress {
                for add in std::mem::take(&mut queue) {
                    self.warn_unresolved(add);
                }
            }
        }
        if !local.parked.is_empty() {
            self.legacy.parked.extend(local.parked);
        }
        self.apply_texts(m, &removed_ids);
        self.apply_attributes(m, &removed_ids)
    }

    fn warn_unresolved(&mut self, add: &NodeAdd) {
        self.warn(WarningKind::AddNeverResolved { id: add.node.id, parent_id: add.parent_id });
    }

    /// Removes; returns the ids named by removes that were found (for rrweb's "ignore if removed
    /// in the same mutation" rule).
    fn apply_removes(&mut self, m: &'r Mutation) -> Vec<i64> {
        let mut ids: Vec<i64> = Vec::new();
        for r in &m.removes {
            if self.dom.get(r.id).is_none() {
                self.warn(WarningKind::NodeNotFound { id: r.id });
            } else if self.collecting() {
                ids.push(r.id);
            }
        }
        ids.sort_unstable();
        // Removing only unmaps ids, so the removes not found above are skipped here too.
        for r in &m.removes {
            let Some(target) = self.dom.get(r.id) else { continue };
            let Some(mut parent) = self.dom.get(r.parent_id) else {
                self.warn(WarningKind::NodeNotFound { id: r.parent_id });
                continue;
            };
            if r.is_shadow {
                if let Some(s) = self.dom.shadow_root(parent) {
                    parent = s;
                }
            }
            let mut subtree = std::mem::take(&mut self.scratch);
            let still_mapped = self.dom.unmap_subtree(target, &mut subtree);
            self.style_text_changed(parent);
            if self.dom.remove_child(parent, target).is_err() {
                self.warn(WarningKind::RemoveFailed { id: r.id, parent_id: r.parent_id });
            } else {
                self.discard_frames(&subtree);
                if self.legacy.parked.is_empty() && !still_mapped {
                    self.dom.free_unmapped(&subtree);
                }
            }
            subtree.clear();
            self.scratch = subtree;
        }
        ids
    }

    /// The CSSOM of a style element is rebuilt from its text when that text changes.
    fn style_text_changed(&mut self, n: Idx) {
        if !self.dom.sheets.elements.is_empty() && self.dom.node(n).is_html("style") {
            stylesheet::text_changed(&mut self.dom, n);
        }
    }

    /// A removed iframe loses its browsing context, and with it the attached document.
    fn discard_frames(&mut self, nodes: &[Idx]) {
        if !self.dom.content_docs {
            return;
        }
        for &f in nodes {
            if let Some(doc) = self.dom.content_document(f) {
                if let Data::Document { frame } = &mut self.dom.node_mut(doc).data {
                    *frame = NIL;
                }
                if let Some(e) = self.dom.element_mut(f) {
                    e.content_doc = NIL;
                }
            }
        }
    }

    /// rrweb's `appendNode` for one add.
    fn append_node(&mut self, add: &'r NodeAdd, local: &mut Legacy) -> DomResult<Appended> {
        if self.skips_member(add) {
            return Ok(Appended::Done);
        }
        let Some(mut parent) = self.dom.get(add.parent_id) else {
            if matches!(add.node.kind, NodeKind::Document { .. }) {
                self.doc_queue.push(add);
                return Ok(Appended::Done);
            }
            return Ok(Appended::Queued);
        };
        if add.node.is_shadow {
            parent = self.shadow_root_for(parent)?;
        }
        let previous = truthy(add.previous_id).and_then(|p| self.dom.get(p));
        let next = truthy(add.next_id).and_then(|n| self.dom.get(n));
        if matches!(add.next_id, Some(n) if n != -1) && next.is_none() {
            return Ok(Appended::Queued);
        }
        let root_id = truthy(add.node.root_id);
        if let Some(r) = root_id {
            if self.dom.get(r).is_none() {
                return Ok(Appended::Done);
            }
        }
        let target_doc = root_id.and_then(|r| self.dom.get(r)).unwrap_or(self.dom.top());
        if self.dom.node(parent).is_html("iframe") && self.dom.meta(parent).is_some() {
            self.attach_document(add, parent)?;
            return Ok(Appended::Done);
        }
        if self.skips_root(add, parent, next) {
            return Ok(Appended::Done);
        }
        let live_before = self.dom.get(add.node.id);
        let target = build_with_sn(&mut self.dom, &add.node, target_doc, true, &mut BuildLog::default(), &Borrowed)?
            .ok_or_else(|| DomError("TypeError: node could not be built".into()))?;
        if let Some(old) = live_before {
            self.warn(WarningKind::LiveIdReadded { id: add.node.id, orphaned: old != target });
        }
        if add.previous_id == Some(-1) || add.next_id == Some(-1) {
            let p = Parked { node: target, id: add.node.id, previous_id: add.previous_id, next_id: add.next_id };
            local.parked.insert(add.node.id, p);
            return Ok(Appended::Done);
        }
        self.fix_up_before_insert(parent, target, add)?;
        self.style_text_changed(parent);
        let prev_next = previous.and_then(|p| self.dom.next_sibling(p));
        if let Some(ns) = prev_next.filter(|&ns| self.dom.parent(ns).is_some()) {
            self.dom.insert_before(parent, target, Some(ns))?;
        } else if let Some(n) = next.filter(|&n| self.dom.parent(n).is_some()) {
            let inside = self.dom.parent(n) == Some(parent) || self.dom.contains(parent, n);
            let reference = inside.then_some(n);
            self.dom.insert_before(parent, target, reference)?;
        } else {
            self.dom.append_child(parent, target)?;
        }
        dialog::apply_to_top_level(&mut self.dom, target, false);
        let may_hold_radio = self.dom.node(target).is_html("input") || self.dom.first_child(target).is_some();
        if self.dom.inputs > 0 && may_hold_radio && self.dom.is_connected(target) {
            form::connected(&mut self.dom, target);
        }
        if self.dom.node(target).is_html("iframe") && self.dom.meta(target).is_some() {
            let id = self.dom.node(target).id;
            if let Some(pos) = self.doc_queue.iter().position(|q| q.parent_id == id) {
                let queued = self.doc_queue[pos];
                self.attach_document(queued, target)?;
                self.doc_queue.remove(pos);
            }
        }
        if truthy(add.previous_id).is_some() || truthy(add.next_id).is_some() {
            let me = Parked { node: target, id: add.node.id, previous_id: add.previous_id, next_id: add.next_id };
            legacy::resolve(&mut self.dom, local, &mut self.legacy, parent, me)?;
        }
        Ok(Appended::Done)
    }

    /// The shadow root an `isShadow` add goes into, attached on demand.
    fn shadow_root_for(&mut self, host: Idx) -> DomResult<Idx> {
        if let Some(s) = self.dom.shadow_root(host) {
            return Ok(s);
        }
        let ok = self.dom.element(host).is_some_and(|e| {
            !e.svg
                && (matches!(
                    &*e.local,
                    "article" | "aside" | "blockquote" | "body" | "div" | "footer" | "h1" | "h2" | "h3" | "h4"
                        | "h5" | "h6" | "header" | "main" | "nav" | "p" | "section" | "span"
                ) || e.local.contains('-'))
        });
        if !ok {
            return Err(DomError("NotSupportedError: This element does not support attachShadow".into()));
        }
        let root = self.dom.push(Node::new(Data::ShadowRoot { host: host.0 }));
        if let Some(e) = self.dom.element_mut(host) {
            e.shadow = root.0;
        }
        Ok(root)
    }

    /// rrweb's fix-ups before inserting: textarea text, the `_cssText` holder takeover, and a
    /// second doctype or `<html>` in a document.
    fn fix_up_before_insert(&mut self, parent: Idx, target: Idx, add: &NodeAdd) -> DomResult {
        // Only text in a textarea or style, and a doctype or `<html>` in a document, is fixed
        // up. An element whose meta says textarea or style was built under that name, and only
        // documents hold document metas, so most adds are told apart without reading metas.
        let text = matches!(add.node.kind, NodeKind::Text { .. });
        let candidate = match &self.dom.node(parent).data {
            Data::Element(e) => text && matches!(&*e.local, "textarea" | "style"),
            Data::Document { .. } => {
                text || matches!(add.node.kind, NodeKind::DocumentType { .. }) || self.dom.node(target).is_html("html")
            }
            _ => false,
        };
        if !candidate {
            return Ok(());
        }
        let parent_kind = self.dom.meta(parent).map(|m| match m.tag() {
            Some("textarea") => Some("textarea"),
            Some("style") => Some("style"),
            None if m.is_document() => None,
            _ => Some(""),
        });
        match parent_kind {
            Some(Some(tag)) if !tag.is_empty() && matches!(add.node.kind, NodeKind::Text { .. }) => {
                let siblings: Vec<Idx> = self.dom.children(parent).collect();
                if tag == "textarea" {
                    for c in siblings {
                        if self.dom.node(c).is_text() {
                            self.dom.remove_child(parent, c)?;
                        }
                    }
                } else if tag == "style" && siblings.len() == 1 {
                    let c = siblings[0];
                    if self.dom.node(c).is_text() && self.dom.node(c).meta == NIL {
                        let css = self.dom.node(c).char_data().cloned().unwrap_or(Text::Ref(""));
                        if let Data::Text(t) = &mut self.dom.node_mut(target).data {
                            *t = css;
                        }
                        self.dom.remove_child(parent, c)?;
                    }
                }
            }
            Some(None) => {
                if matches!(add.node.kind, NodeKind::DocumentType { .. }) {
                    if let Some(first) = self.dom.first_child(parent) {
                        if matches!(self.dom.node(first).data, Data::Doctype { .. }) {
                            self.dom.remove_child(parent, first)?;
                        }
                    }
                }
                if self.dom.node(target).is_html("html") {
                    let de = self.dom.children(parent).find(|&c| matches!(self.dom.node(c).data, Data::Element(_)));
                    if let Some(de) = de {
                        self.dom.remove_child(parent, de)?;
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Text mutations: the last entry per id wins; applied in reverse order like rrweb.
    fn apply_texts(&mut self, m: &'r Mutation, removed: &[i64]) {
        let mut seen = HashSet::new();
        for t in m.texts.iter().rev() {
            if m.texts.len() > 1 && !seen.insert(t.id) {
                continue;
            }
            let Some(target) = self.dom.get(t.id) else {
                if removed.binary_search(&t.id).is_err() {
                    self.warn(WarningKind::NodeNotFound { id: t.id });
                }
                continue;
            };
            let value: &'r str = t.value.as_deref().unwrap_or("");
            self.set_text_content(target, value);
        }
    }

    /// DOM `textContent = value`.
    pub(crate) fn set_text_content(&mut self, target: Idx, value: &'r str) {
        if let Some(p) = self.dom.parent(target) {
            self.style_text_changed(p);
        }
        self.style_text_changed(target);
        match &mut self.dom.node_mut(target).data {
            Data::Text(s) | Data::CData(s) | Data::Comment(s) => *s = Text::Ref(value),
            Data::Element(_) | Data::ShadowRoot { .. } => {
                self.dom.clear_children(target);
                if !value.is_empty() {
                    let t = self.dom.push(Node::new(Data::Text(Text::Ref(value))));
                    let _ = self.dom.append_child(target, t);
                }
            }
            Data::Document { .. } | Data::Doctype { .. } => {}
        }
    }
}
