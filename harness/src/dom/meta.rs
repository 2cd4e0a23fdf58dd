//! Creation-time serialized data of a node: what rrweb's mirror keeps beside each DOM node and
//! compares when an add names an id that is still live (`isNodeMetaEqual`). Normally a reference
//! into the recording; an owned copy only when rrweb rewrote it (`_cssText`, CSS splitting).

use crate::model::{AttrValue, Node as SerializedNode, NodeKind, Str};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub enum MetaRef<'r> {
    Serialized(&'r SerializedNode),
    Owned(Arc<Meta>),
}

/// A serialized node without its subtree, owned.
#[derive(Debug, Clone)]
pub struct Meta {
    pub id: i64,
    pub kind: MetaKind,
    /// How many serialized children the node had (rrweb tests `childNodes.length`).
    pub child_count: usize,
}

#[derive(Debug, Clone)]
pub enum MetaKind {
    Document { compat_mode: Option<Str> },
    Doctype { name: Str, public_id: Str, system_id: Str },
    Element { tag: Str, attributes: Vec<(Str, AttrValue)>, svg: bool, need_block: bool },
    Text { text: Str },
    CData { text: Str },
    Comment { text: Str },
}

impl Meta {
    pub fn of(node: &SerializedNode) -> Meta {
        let kind = match &node.kind {
            NodeKind::Document { compat_mode } => MetaKind::Document { compat_mode: compat_mode.clone() },
            NodeKind::DocumentType(d) => MetaKind::Doctype {
                name: d.name.clone(),
                public_id: d.public_id.clone(),
                system_id: d.system_id.clone(),
            },
            NodeKind::Element { tag_name, attributes, is_svg, need_block, .. } => MetaKind::Element {
                tag: tag_name.clone(),
                attributes: attributes.to_vec(),
                svg: *is_svg,
                need_block: *need_block,
            },
            NodeKind::Text { text, .. } => MetaKind::Text { text: text.clone() },
            NodeKind::CData { text } => MetaKind::CData { text: text.clone() },
            NodeKind::Comment { text } => MetaKind::Comment { text: text.clone() },
        };
        Meta { id: node.id, kind, child_count: node.children.len() }
    }
}

/// The fields of a serialized node that rrweb reads back, borrowed from either form.
enum View<'a> {
    Document(&'a Option<Str>),
    Doctype(&'a str, &'a str, &'a str),
    Element(&'a str, &'a [(Str, AttrValue)], bool, bool),
    Text(&'a str),
    CData(&'a str),
    Comment(&'a str),
}

fn view_of_node(n: &SerializedNode) -> View<'_> {
    match &n.kind {
        NodeKind::Document { compat_mode } => View::Document(compat_mode),
        NodeKind::DocumentType(d) => View::Doctype(&d.name, &d.public_id, &d.system_id),
        NodeKind::Element { tag_name, attributes, is_svg, need_block, .. } => View::Element(tag_name, attributes, *is_svg, *need_block),
        NodeKind::Text { text, .. } => View::Text(text),
        NodeKind::CData { text } => View::CData(text),
        NodeKind::Comment { text } => View::Comment(text),
    }
}

impl MetaRef<'_> {
    fn view(&self) -> View<'_> {
        match self {
            MetaRef::Serialized(n) => view_of_node(n),
            MetaRef::Owned(m) => match &m.kind {
                MetaKind::Document { compat_mode } => View::Document(compat_mode),
                MetaKind::Doctype { name, public_id, system_id } => View::Doctype(name, public_id, system_id),
                MetaKind::Element { tag, attributes, svg, need_block } => View::Element(tag, attributes, *svg, *need_block),
                MetaKind::Text { text } => View::Text(text),
                MetaKind::CData { text } => View::CData(text),
                MetaKind::Comment { text } => View::Comment(text),
            },
        }
    }

    pub fn id(&self) -> i64 {
        match self {
            MetaRef::Serialized(n) => n.id,
            MetaRef::Owned(m) => m.id,
        }
    }

    pub fn child_count(&self) -> usize {
        match self {
            MetaRef::Serialized(n) => n.children.len(),
            MetaRef::Owned(m) => m.child_count,
        }
    }

    /// An owned copy, for rrweb's in-place rewrites of serialized objects.
    pub fn to_owned_meta(&self) -> Meta {
        match self {
            MetaRef::Serialized(n) => Meta::of(n),
            MetaRef::Owned(m) => (**m).clone(),
        }
    }

    pub fn is_element(&self) -> bool {
        matches!(self.view(), View::Element(..))
    }

    pub fn is_document(&self) -> bool {
        matches!(self.view(), View::Document(_))
    }

    pub fn tag(&self) -> Option<&str> {
        match self.view() {
            View::Element(tag, ..) => Some(tag),
            _ => None,
        }
    }

    pub fn attributes(&self) -> &[(Str, AttrValue)] {
        match self.view() {
            View::Element(_, attributes, ..) => attributes,
            _ => &[],
        }
    }

    pub fn attribute(&self, name: &str) -> Option<&AttrValue> {
        self.attributes().iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// A recorded string attribute.
    pub fn str_attribute(&self, name: &str) -> Option<&str> {
        match self.attribute(name) {
            Some(AttrValue::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// rrweb's `isNodeMetaEqual` against a newly serialized node.
    pub fn equals(&self, n: &SerializedNode) -> bool {
        match (self.view(), view_of_node(n)) {
            (View::Document(a), View::Document(b)) => a == b,
            (View::Doctype(a, b, c), View::Doctype(x, y, z)) => a == x && b == y && c == z,
            (View::Text(a), View::Text(b)) | (View::CData(a), View::CData(b)) | (View::Comment(a), View::Comment(b)) => a == b,
            (View::Element(t, a, s, nb), View::Element(t2, a2, s2, nb2)) => t == t2 && s == s2 && nb == nb2 && same_json(a, a2),
            _ => false,
        }
    }
}

/// `JSON.stringify(a) === JSON.stringify(b)` for attribute maps: same keys in the same order
/// and the same JSON values.
fn same_json(a: &[(Str, AttrValue)], b: &[(Str, AttrValue)]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|((ka, va), (kb, vb))| ka == kb && json_equal(va, vb))
}

fn json_equal(a: &AttrValue, b: &AttrValue) -> bool {
    match (a, b) {
        // JSON.stringify writes non-finite numbers as null.
        (AttrValue::Num(x), AttrValue::Num(y)) => x == y || (!x.is_finite() && !y.is_finite()),
        (AttrValue::Num(x), AttrValue::Null) | (AttrValue::Null, AttrValue::Num(x)) => !x.is_finite(),
        _ => a == b,
    }
}
