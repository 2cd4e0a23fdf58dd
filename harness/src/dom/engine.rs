//! The fold: one frame at a time into a `Dom`, with the replayer state rrweb keeps beside the
//! tree (queued iframe documents, legacy missing nodes, whether a snapshot was cast).

use super::arena::Dom;
use super::form;
use super::legacy::Legacy;
use super::stylesheet;
use super::warning::{DomWarning, WarningKind};
use crate::model::{Frame, FrameData, Incremental, NodeAdd, Pointer};

/// Replays frames into a `Dom`. Cloning an engine is how the seek index takes checkpoints.
#[derive(Debug, Clone)]
pub struct Engine<'r> {
    pub(crate) dom: Dom<'r>,
    /// rrweb's `newDocumentQueue`: iframe documents whose iframe element is not built yet.
    pub(crate) doc_queue: Vec<&'r NodeAdd>,
    /// rrweb's `legacy_missingNodeRetryMap`.
    pub(crate) legacy: Legacy,
    /// A full snapshot was cast during this fold, so the "poster" will not be shown.
    pub(crate) snapshot_cast: bool,
    /// rrweb threw out of `pause()`: nothing after that frame is applied.
    pub(crate) halted: bool,
    warnings: Option<Vec<DomWarning>>,
    pub(crate) pointer: Pointer,
    /// Reused buffer for subtree walks.
    pub(crate) scratch: Vec<super::node::Idx>,
    /// Dead adds (`elide.rs`): skipped when they die before this frame index (0: never), and
    /// the ids skipped, as bits.
    pub(crate) fold_end: usize,
    pub(crate) skipped: Vec<u64>,
}

impl<'r> Engine<'r> {
    /// A fresh replayer on an empty document. With `collect_warnings`, every rrweb warning is
    /// kept with its frame pointer (see `warnings`).
    pub fn new(collect_warnings: bool) -> Engine<'r> {
        Engine {
            dom: Dom::new(),
            doc_queue: Vec::new(),
            legacy: Legacy::default(),
            snapshot_cast: false,
            halted: false,
            warnings: collect_warnings.then(Vec::new),
            pointer: Pointer::default(),
            scratch: Vec::new(),
            fold_end: 0,
            skipped: Vec::new(),
        }
    }

    pub fn dom(&self) -> &Dom<'r> {
        &self.dom
    }

    pub fn into_dom(self) -> Dom<'r> {
        self.dom
    }

    pub fn warnings(&self) -> &[DomWarning] {
        self.warnings.as_deref().unwrap_or(&[])
    }

    pub(crate) fn warn(&mut self, kind: WarningKind) {
        if let Some(w) = &mut self.warnings {
            w.push(DomWarning { pointer: self.pointer, kind });
        }
    }

    pub(crate) fn collecting(&self) -> bool {
        self.warnings.is_some()
    }

    /// Applies one frame as rrweb's synchronous cast does.
    pub fn apply(&mut self, frame: &'r Frame) {
        if self.halted {
            return;
        }
        self.pointer = frame.pointer;
        match &frame.data {
            FrameData::FullSnapshot { node, initial_offset } => {
                self.snapshot_cast = true;
                self.full_snapshot(node, *initial_offset);
            }
            FrameData::Meta { href, width, height } => {
                self.dom.href = Some(href.clone());
                self.dom.viewport = Some((*width, *height));
            }
            FrameData::Incremental(inc) => self.incremental(inc),
            _ => {}
        }
    }

    fn incremental(&mut self, inc: &'r Incremental) {
        match inc {
            Incremental::Mutation(m) => {
                if let Err(e) = self.apply_mutation(m) {
                    self.warn(WarningKind::BatchAborted { message: e.0 });
                }
            }
            Incremental::Scroll(s) if s.id != -1 => {
                if let Some(t) = self.dom.get(s.id) {
                    self.dom.node_mut(t).scroll = Some((s.x, s.y));
                }
            }
            Incremental::ViewportResize { width, height } => self.dom.viewport = Some((*width, *height)),
            Incremental::StyleSheetRule(e) => stylesheet::apply_rule_event(&mut self.dom, e),
            Incremental::StyleDeclaration(e) => stylesheet::apply_declaration(&mut self.dom, e),
            Incremental::AdoptedStyleSheet(e) => stylesheet::apply_adopted(&mut self.dom, e),
            Incremental::Input(i) if i.id != -1 => {
                if let Some(t) = self.dom.get(i.id) {
                    form::apply_input(&mut self.dom, t, &i.text, i.is_checked);
                }
            }
            _ => {}
        }
    }
}
