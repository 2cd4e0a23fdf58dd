//! One node of the replayed DOM: its tree links, its live data, and the per-node state a browser
//! keeps outside attributes (form state, requested scroll, whether an Input event touched it).

use crate::model::{AttrValue, Str};
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// Text of the DOM: borrowed from the recording when it is as recorded (no allocation), shared
/// when rrweb computed it. Cloning a `Dom` for a seek checkpoint copies no string.
#[derive(Clone)]
pub enum Text<'r> {
    Ref(&'r str),
    Shared(Arc<str>),
}

impl<'r> Text<'r> {
    /// Text computed at replay time.
    pub fn owned(s: impl Into<Arc<str>>) -> Text<'r> {
        Text::Shared(s.into())
    }
}

impl Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Ref(s) => s,
            Text::Shared(s) => s,
        }
    }
}

impl<'r> From<&'r str> for Text<'r> {
    fn from(s: &'r str) -> Text<'r> {
        Text::Ref(s)
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl PartialEq for Text<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

/// The index of a node in its `Dom`'s arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Idx(pub u32);

pub(crate) const NIL: u32 = u32::MAX;

#[derive(Debug, Clone)]
pub struct Node<'r> {
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
    pub data: Data<'r>,
    /// The last scroll position rrweb requested for this node (element or document).
    pub scroll: Option<(f64, f64)>,
    /// An Input event reached this node since it was built.
    pub input_touched: bool,
}

#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum Data<'r> {
    /// A document; `frame` is the iframe element that hosts it (NIL for the top document).
    Document { frame: u32 },
    Doctype { name: Text<'r>, public_id: Text<'r>, system_id: Text<'r> },
    Element(Element<'r>),
    Text(Text<'r>),
    CData(Text<'r>),
    Comment(Text<'r>),
    /// An open shadow root; its children are the shadow tree.
    ShadowRoot { host: u32 },
}

/// An element's live attributes. Most elements keep exactly their recorded attributes until a
/// mutation writes one, so those borrow the recorded list instead of copying it.
#[derive(Debug, Clone)]
pub enum Attrs<'r> {
    /// The recorded attributes, all strings, with names as the element stores them.
    Recorded(&'r [(Str, AttrValue)]),
    Live(Vec<(Text<'r>, Text<'r>)>),
}

impl<'r> Attrs<'r> {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The value as shared text (no copy).
    pub fn get_text(&self, name: &str) -> Option<Text<'r>> {
        match self {
            Attrs::Recorded(a) => a.iter().find(|(n, _)| n == name).and_then(|(_, v)| match v {
                AttrValue::Str(s) => Some(Text::Ref(s.as_str())),
                _ => None,
            }),
            Attrs::Live(v) => v.iter().find(|(n, _)| &**n == name).map(|(_, v)| v.clone()),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        let (rec, live) = match self {
            Attrs::Recorded(a) => (Some(a.iter()), None),
            Attrs::Live(v) => (None, Some(v.iter())),
        };
        let rec = rec.into_iter().flatten().map(|(n, v)| match v {
            AttrValue::Str(s) => (n.as_str(), s.as_str()),
            _ => (n.as_str(), ""),
        });
        rec.chain(live.into_iter().flatten().map(|(n, v)| (&**n, &**v)))
    }

    pub fn len(&self) -> usize {
        match self {
            Attrs::Recorded(a) => a.len(),
            Attrs::Live(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn live(&mut self) -> &mut Vec<(Text<'r>, Text<'r>)> {
        if let Attrs::Recorded(a) = *self {
            let v = a
                .iter()
                .map(|(n, v)| (Text::Ref(n.as_str()), Text::Ref(if let AttrValue::Str(s) = v { s.as_str() } else { "" })))
                .collect();
            *self = Attrs::Live(v);
        }
        match self {
            Attrs::Live(v) => v,
            Attrs::Recorded(_) => unreachable!("made live above"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Element<'r> {
    /// The element's local name as rrweb built it: `noscript` for a recorded `script`, `style`
    /// for a `link` with `_cssText`, camelCase SVG names, lower case for HTML.
    pub local: Text<'r>,
    pub svg: bool,
    /// Live attributes, in the order they were first set.
    pub attrs: Attrs<'r>,
    pub(crate) shadow: u32,
    /// The iframe's content document, once rrweb has attached one.
    pub(crate) content_doc: u32,
    /// Attribute names written through setAttribute/removeAttribute that the oracle tracks
    /// (CANONICAL.md §2): `on*` handlers, `content` on meta, anything on link and img.
    pub touched: Vec<Text<'r>>,
    pub form: Form<'r>,
    /// A dialog shown with showModal().
    pub modal: bool,
}

/// Form-control state that is not an attribute.
#[derive(Debug, Clone, Default)]
pub struct Form<'r> {
    /// Checkedness of an input; starts from the `checked` attribute.
    pub checked: bool,
    /// Set once an Input event wrote `.checked`: the attribute no longer drives checkedness.
    pub dirty_checked: bool,
    /// The dirty value of an input or textarea, already sanitized for its type.
    pub value: Option<Text<'r>>,
    /// Selectedness of an option fixed by an Input on its select.
    pub selected: Option<bool>,
}

impl<'r> Node<'r> {
    pub(crate) fn new(data: Data<'r>) -> Node<'r> {
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

    pub fn element(&self) -> Option<&Element<'r>> {
        match &self.data {
            Data::Element(e) => Some(e),
            _ => None,
        }
    }

    pub fn element_mut(&mut self) -> Option<&mut Element<'r>> {
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
    pub fn char_data(&self) -> Option<&Text<'r>> {
        match &self.data {
            Data::Text(s) | Data::CData(s) | Data::Comment(s) => Some(s),
            _ => None,
        }
    }
}

impl<'r> Element<'r> {
    pub(crate) fn new(local: Text<'r>, svg: bool) -> Element<'r> {
        Element {
            local,
            svg,
            attrs: Attrs::Live(Vec::new()),
            shadow: NIL,
            content_doc: NIL,
            touched: Vec::new(),
            form: Form::default(),
            modal: false,
        }
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name)
    }

    pub fn has_attr(&self, name: &str) -> bool {
        self.attrs.iter().any(|(n, _)| n == name)
    }

    /// setAttribute on an attribute list: replaces the value in place or appends.
    pub(crate) fn set_attr(&mut self, name: Text<'r>, value: Text<'r>) {
        let attrs = self.attrs.live();
        match attrs.iter_mut().find(|(n, _)| **n == *name) {
            Some(slot) => slot.1 = value,
            None => attrs.push((name, value)),
        }
    }

    pub(crate) fn remove_attr(&mut self, name: &str) -> bool {
        if !self.has_attr(name) {
            return false;
        }
        self.attrs.live().retain(|(n, _)| &**n != name);
        true
    }

    pub(crate) fn touch(&mut self, name: &str) {
        if !self.touched.iter().any(|n| &**n == name) {
            self.touched.push(Text::owned(name));
        }
    }

    pub fn is_touched(&self, name: &str) -> bool {
        self.touched.iter().any(|n| &**n == name)
    }
}
