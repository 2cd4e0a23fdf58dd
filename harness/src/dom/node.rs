//! One node of the replayed DOM: its tree links, its live data, and the per-node state a browser
//! keeps outside attributes (form state, requested scroll, whether an Input event touched it).

use std::sync::Arc;

/// Shared immutable text: cloning a `Dom` (for seek checkpoints) only bumps reference counts.
pub type Str = Arc<str>;

/// The index of a node in its `Dom`'s arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Idx(pub u32);

pub(crate) const NIL: u32 = u32::MAX;

#[derive(Debug, Clone)]
pub struct Node {
    /// The rrweb id of this node's serialized meta, or -1 when it has none (rrweb's `getId`).
    pub id: i64,
    /// Index into `Dom::metas`, or NIL for nodes rrweb created without a serialized node
    /// (the `#css` holder, a textarea's value text, the quirks doctype, shadow roots).
    pub(crate) meta: u32,
    pub(crate) parent: u32,
    pub(crate) first: u32,
    pub(crate) last: u32,
    pub(crate) prev: u32,
    pub(crate) next: u32,
    pub data: Data,
    /// The last scroll position rrweb requested for this node (element or document).
    pub scroll: Option<(f64, f64)>,
    /// An Input event reached this node since it was built.
    pub input_touched: bool,
}

#[derive(Debug, Clone)]
pub enum Data {
    /// A document; `frame` is the iframe element that hosts it (NIL for the top document).
    Document { frame: u32 },
    Doctype { name: Str, public_id: Str, system_id: Str },
    Element(Box<Element>),
    Text(Str),
    CData(Str),
    Comment(Str),
    /// An open shadow root; its children are the shadow tree.
    ShadowRoot { host: u32 },
}

#[derive(Debug, Clone)]
pub struct Element {
    /// The element's local name as rrweb built it: `noscript` for a recorded `script`, `style`
    /// for a `link` with `_cssText`, camelCase SVG names, lower case for HTML.
    pub local: Str,
    pub svg: bool,
    /// Live attributes, in the order they were first set.
    pub attrs: Vec<(Str, Str)>,
    pub(crate) shadow: u32,
    /// The iframe's content document, once rrweb has attached one.
    pub(crate) content_doc: u32,
    /// Attribute names written through setAttribute/removeAttribute that the oracle tracks
    /// (CANONICAL.md §2): `on*` handlers, `content` on meta, anything on link and img.
    pub touched: Vec<Str>,
    pub form: Form,
    /// A dialog shown with showModal().
    pub modal: bool,
}

/// Form-control state that is not an attribute.
#[derive(Debug, Clone, Default)]
pub struct Form {
    /// Checkedness of an input; starts from the `checked` attribute.
    pub checked: bool,
    /// Set once an Input event wrote `.checked`: the attribute no longer drives checkedness.
    pub dirty_checked: bool,
    /// The dirty value of an input or textarea, already sanitized for its type.
    pub value: Option<Str>,
    /// Selectedness of an option fixed by an Input on its select.
    pub selected: Option<bool>,
}

impl Node {
    pub(crate) fn new(data: Data) -> Node {
        Node {
            id: -1,
            meta: NIL,
            parent: NIL,
            first: NIL,
            last: NIL,
            prev: NIL,
            next: NIL,
            data,
            scroll: None,
            input_touched: false,
        }
    }

    pub fn element(&self) -> Option<&Element> {
        match &self.data {
            Data::Element(e) => Some(e),
            _ => None,
        }
    }

    pub fn element_mut(&mut self) -> Option<&mut Element> {
        match &mut self.data {
            Data::Element(e) => Some(e),
            _ => None,
        }
    }

    /// An HTML (not SVG) element with this local name.
    pub fn is_html(&self, local: &str) -> bool {
        matches!(&self.data, Data::Element(e) if !e.svg && &*e.local == local)
    }

    pub fn is_text(&self) -> bool {
        matches!(self.data, Data::Text(_))
    }

    /// Text, CDATA and comment data.
    pub fn char_data(&self) -> Option<&Str> {
        match &self.data {
            Data::Text(s) | Data::CData(s) | Data::Comment(s) => Some(s),
            _ => None,
        }
    }
}

impl Element {
    pub(crate) fn new(local: Str, svg: bool) -> Element {
        Element {
            local,
            svg,
            attrs: Vec::new(),
            shadow: NIL,
            content_doc: NIL,
            touched: Vec::new(),
            form: Form::default(),
            modal: false,
        }
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| &**n == name).map(|(_, v)| &**v)
    }

    pub fn has_attr(&self, name: &str) -> bool {
        self.attrs.iter().any(|(n, _)| &**n == name)
    }

    /// setAttribute on an attribute list: replaces the value in place or appends.
    pub(crate) fn set_attr(&mut self, name: &str, value: Str) {
        match self.attrs.iter_mut().find(|(n, _)| &**n == name) {
            Some(slot) => slot.1 = value,
            None => self.attrs.push((Str::from(name), value)),
        }
    }

    pub(crate) fn remove_attr(&mut self, name: &str) -> bool {
        let before = self.attrs.len();
        self.attrs.retain(|(n, _)| &**n != name);
        before != self.attrs.len()
    }

    pub(crate) fn touch(&mut self, name: &str) {
        if !self.touched.iter().any(|n| &**n == name) {
            self.touched.push(Str::from(name));
        }
    }

    pub fn is_touched(&self, name: &str) -> bool {
        self.touched.iter().any(|n| &**n == name)
    }
}
