//! Full snapshots: rrweb's `rebuildFullSnapshot` into a wiped document, then what the replayer
//! does right after (queued iframe documents, dialogs, the scroll positions the oracle records).
//! Also the "poster": the first snapshot shown when a fold applied none.

use super::arena::{Dom, DomError};
use super::build::{build_with_sn, Borrowed, BuildLog};
use super::dialog;
use super::engine::Engine;
use super::form;
use super::node::Data;
use super::warning::WarningKind;
use crate::model::{AttrValue, Node as SNode};

impl<'r> Engine<'r> {
    pub(crate) fn full_snapshot(&mut self, node: &'r SNode, initial_offset: (f64, f64)) {
        if !self.legacy.parked.is_empty() {
            self.warn(WarningKind::LegacyUnresolved { count: self.legacy.parked.len() });
        }
        self.legacy.parked.clear();
        let mut fresh = Dom::new();
        fresh.viewport = self.dom.viewport;
        fresh.href = self.dom.href.take();
        self.dom = fresh;
        if let Err(e) = self.rebuild(node, initial_offset) {
            self.warn(WarningKind::SnapshotFailed { message: e.0.clone() });
            self.dom.error = Some(e.0);
            self.halted = true;
        }
    }

    fn rebuild(&mut self, node: &'r SNode, initial_offset: (f64, f64)) -> Result<(), DomError> {
        let top = self.dom.top();
        let mut log = BuildLog::default();
        build_with_sn(&mut self.dom, node, top, false, &mut log, &Borrowed)?;
        log.appended.push(top);
        form::connected(&mut self.dom, top);
        let mut collected = Vec::new();
        let mut dialogs = Vec::new();
        for &n in &log.appended {
            if self.dom.node(n).is_html("dialog") && !dialogs.contains(&n) {
                dialogs.push(n);
            }
            if let Some(q) = self.queued_document_for(n) {
                collected.push((q, n));
            }
        }
        for (q, iframe) in collected {
            self.attach_document(q, iframe)?;
            if let Some(p) = self.doc_queue.iter().position(|m| std::ptr::eq(*m, q)) {
                self.doc_queue.remove(p);
            }
        }
        // rrweb injects its styles with documentElement.insertBefore(style, head).
        let has_element = self.dom.children(top).any(|c| matches!(self.dom.node(c).data, Data::Element(_)));
        if !has_element {
            return Err(DomError("TypeError: Cannot read properties of null (reading 'insertBefore')".into()));
        }
        for d in dialogs {
            dialog::apply_to_top_level(&mut self.dom, d, false);
        }
        self.initial_scroll(initial_offset);
        Ok(())
    }

    /// The oracle's `fullsnapshot-rebuilded` handler: the window scrolls to `initialOffset`, and
    /// elements of the top document to their recorded `rr_scrollLeft/Top`.
    fn initial_scroll(&mut self, (left, top_off): (f64, f64)) {
        let top = self.dom.top();
        self.dom.node_mut(top).scroll = Some((left, top_off));
        let ids = self.dom.ids();
        for (_, n) in ids {
            if self.dom.element(n).is_none() {
                continue;
            }
            let Some(meta) = self.dom.meta(n) else { continue };
            let num = |name: &str| match meta.attribute(name) {
                Some(AttrValue::Num(x)) => Some(*x),
                _ => None,
            };
            let (l, t) = (num("rr_scrollLeft"), num("rr_scrollTop"));
            // Only elements of the top document (not of iframe documents attached meanwhile).
            if (l.is_some() || t.is_some()) && self.dom.connected_document(n).is_none_or(|d| d == top) {
                self.dom.node_mut(n).scroll = Some((l.unwrap_or(0.0), t.unwrap_or(0.0)));
            }
        }
    }

    /// rrweb's poster: when a fold applied no full snapshot, the first one is built afterwards
    /// (the incrementals before it found no nodes).
    pub fn show_poster(&mut self, first_snapshot: Option<(&'r SNode, (f64, f64))>) {
        if self.snapshot_cast {
            return;
        }
        if let Some((node, offset)) = first_snapshot {
            self.halted = false;
            self.full_snapshot(node, offset);
            self.halted = false;
        }
    }
}
