//! Iframe documents: rrweb's `attachDocumentToIframe`. An add whose parent is an iframe element
//! replaces that iframe's content document (built with its whole subtree); documents that
//! arrive before their iframe wait in the engine's queue until the iframe is built.

use super::arena::{DomError, DomResult};
use super::build::{build_with_sn, Borrowed, BuildLog};
use super::dialog;
use super::engine::Engine;
use super::form;
use super::node::{Data, Idx, Node};
use crate::model::NodeAdd;

impl<'r> Engine<'r> {
    /// The iframe's content document, created when first needed. A disconnected iframe has
    /// no browsing context, which makes rrweb throw.
    fn content_document_for(&mut self, iframe: Idx) -> DomResult<Idx> {
        if let Some(d) = self.dom.content_document(iframe) {
            return Ok(d);
        }
        if !self.dom.is_connected(iframe) {
            return Err(DomError("TypeError: Cannot read properties of null (reading 'close')".into()));
        }
        let doc = self.dom.push(Node::new(Data::Document { frame: iframe.0 }));
        if let Some(e) = self.dom.element_mut(iframe) {
            e.content_doc = doc.0;
            self.dom.content_docs = true;
        }
        Ok(doc)
    }

    /// Builds `add.node` into the iframe's document, then attaches queued documents of any
    /// iframes built on the way (depth first, as rrweb's recursion does).
    pub(crate) fn attach_document(&mut self, add: &'r NodeAdd, iframe: Idx) -> DomResult {
        let mut work: Vec<(&'r NodeAdd, Idx)> = vec![(add, iframe)];
        while let Some((add, iframe)) = work.pop() {
            let doc = self.content_document_for(iframe)?;
            let mut log = BuildLog::default();
            build_with_sn(&mut self.dom, &add.node, doc, false, &mut log, &Borrowed)?;
            log.appended.push(doc);
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
            form::connected(&mut self.dom, doc);
            for (q, n) in collected.into_iter().rev() {
                if let Some(p) = self.doc_queue.iter().position(|m| std::ptr::eq(*m, q)) {
                    self.doc_queue.remove(p);
                }
                work.push((q, n));
            }
            for d in dialogs {
                dialog::apply_to_top_level(&mut self.dom, d, false);
            }
        }
        Ok(())
    }

    /// rrweb's `collectIframeAndAttachDocument`: a queued document for this built iframe.
    pub(crate) fn queued_document_for(&self, n: Idx) -> Option<&'r NodeAdd> {
        if !self.dom.node(n).is_html("iframe") || self.dom.meta(n).is_none() {
            return None;
        }
        let id = self.dom.node(n).id;
        self.doc_queue.iter().find(|m| m.parent_id == id).copied()
    }
}

