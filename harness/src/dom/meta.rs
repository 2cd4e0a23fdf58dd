//! Creation-time serialized data of a node: what rrweb's mirror keeps beside each DOM node and
//! compares when an add names an id that is still live (`isNodeMetaEqual`).

use crate::model::{AttrValue, Node as SerializedNode, NodeKind};

/// A serialized node without its subtree. Only `_cssText` mutations and rrweb's CSS splitting
/// change a meta after creation, exactly as they mutate rrweb's serialized objects.
#[derive(Debug, Clone)]
pub struct Meta {
    pub id: i64,
    pub kind: MetaKind,
    /// How many serialized children the node had (rrweb tests `childNodes.length`).
    pub child_count: usize,
    /// Metas of the built serialized children, kept for link and style elements only: a
    /// `_cssText` mutation re-runs rrweb's CSS splitting over them.
    pub children: Vec<u32>,
}

#[derive(Debug, Clone)]
pub enum MetaKind {
    Document { compat_mode: Option<String> },
    Doctype { name: String, public_id: String, system_id: String },
    Element { tag: String, attributes: Vec<(String, AttrValue)>, svg: bool, need_block: bool },
    Text { text: String },
    CData { text: String },
    Comment { text: String },
}

impl Meta {
    pub fn of(node: &SerializedNode) -> Meta {
        let kind = match &node.kind {
            NodeKind::Document { compat_mode } => MetaKind::Document { compat_mode: compat_mode.clone() },
            NodeKind::DocumentType { name, public_id, system_id } => MetaKind::Doctype {
                name: name.clone(),
                public_id: public_id.clone(),
                system_id: system_id.clone(),
            },
            NodeKind::Element { tag_name, attributes, is_svg, need_block, .. } => MetaKind::Element {
                tag: tag_name.clone(),
                attributes: attributes.clone(),
                svg: *is_svg,
                need_block: *need_block,
            },
            NodeKind::Text { text, .. } => MetaKind::Text { text: text.clone() },
            NodeKind::CData { text } => MetaKind::CData { text: text.clone() },
            NodeKind::Comment { text } => MetaKind::Comment { text: text.clone() },
        };
        Meta { id: node.id, kind, child_count: node.children.len(), children: Vec::new() }
    }

    pub fn tag(&self) -> Option<&str> {
        match &self.kind {
            MetaKind::Element { tag, .. } => Some(tag),
            _ => None,
        }
    }

    pub fn attributes(&self) -> &[(String, AttrValue)] {
        match &self.kind {
            MetaKind::Element { attributes, .. } => attributes,
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
        match (&self.kind, &n.kind) {
            (MetaKind::Document { compat_mode: a }, NodeKind::Document { compat_mode: b }) => a == b,
            (
                MetaKind::Doctype { name, public_id, system_id },
                NodeKind::DocumentType { name: n2, public_id: p2, system_id: s2 },
            ) => name == n2 && public_id == p2 && system_id == s2,
            (MetaKind::Text { text: a }, NodeKind::Text { text: b, .. }) => a == b,
            (MetaKind::CData { text: a }, NodeKind::CData { text: b }) => a == b,
            (MetaKind::Comment { text: a }, NodeKind::Comment { text: b }) => a == b,
            (
                MetaKind::Element { tag, attributes, svg, need_block },
                NodeKind::Element { tag_name, attributes: a2, is_svg, need_block: nb2, .. },
            ) => {
                tag == tag_name && svg == is_svg && need_block == nb2 && same_json(attributes, a2)
            }
            _ => false,
        }
    }
}

/// `JSON.stringify(a) === JSON.stringify(b)` for attribute maps: same keys in the same order
/// and the same JSON values.
fn same_json(a: &[(String, AttrValue)], b: &[(String, AttrValue)]) -> bool {
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
