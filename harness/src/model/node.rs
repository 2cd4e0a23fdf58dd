//! Serialized DOM nodes as rrweb records them (`serializedNodeWithId`), in typed form.
//! Recordings hold hundreds of thousands of these, so they are kept small: shared strings,
//! boxed slices, and the rare doctype boxed.

use super::Str;

/// One recorded node with its rrweb id and, for full snapshots and iframe attaches, its children.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub id: i64,
    pub kind: NodeKind,
    /// The id of the Document this node belongs to when it lives inside an iframe.
    pub root_id: Option<i64>,
    pub is_shadow_host: bool,
    /// The node is a direct child of its parent's shadow root.
    pub is_shadow: bool,
    /// For a node a mutation adds: the index in `Recording::frames` of the frame whose remove
    /// ends it before anything observed it, or `u32::MAX` (ingest's liveness scan; the DOM
    /// engine skips building it in folds that reach that frame).
    pub dead_at: u32,
    pub children: Box<[Node]>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Document { compat_mode: Option<Str> },
    DocumentType(Box<Doctype>),
    Element {
        tag_name: Str,
        /// In recorded order; values as recorded (rrweb allows strings, numbers, booleans, null).
        attributes: Box<[(Str, AttrValue)]>,
        is_svg: bool,
        need_block: bool,
        is_custom: bool,
        /// Known to build exactly as recorded, tag and attributes (see `builds_plainly`);
        /// computed once at ingest. `false` means "not known".
        plain: bool,
    },
    Text { text: Str, is_style: bool },
    CData { text: Str },
    Comment { text: Str },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Doctype {
    pub name: Str,
    pub public_id: Str,
    pub system_id: Str,
}

/// rrweb ids in `0..DENSE_IDS` (what recorders produce) are kept in per-id tables: the DOM
/// engine's mirror and skip bits, ingest's liveness scan. Others (hostile ids) go to maps, or are
/// simply never candidates, so they cost no memory.
pub const DENSE_IDS: i64 = 1 << 22;

/// rrweb's replay-time tag renames (`tagMap`): `script` becomes `noscript`, and lower-cased
/// SVG names get their camelCase back.
pub fn rrweb_tag(tag: &str) -> &str {
    // Most tags need no mapping: every mapped name has at least 6 letters and starts with one
    // of a, c, f, g, l, r, s.
    if tag.len() < 6 || !matches!(tag.as_bytes().first(), Some(b'a' | b'c' | b'f' | b'g' | b'l' | b'r' | b's')) {
        return tag;
    }
    match tag {
        "script" => "noscript",
        "altglyph" => "altGlyph",
        "altglyphdef" => "altGlyphDef",
        "altglyphitem" => "altGlyphItem",
        "animatecolor" => "animateColor",
        "animatemotion" => "animateMotion",
        "animatetransform" => "animateTransform",
        "clippath" => "clipPath",
        "feblend" => "feBlend",
        "fecolormatrix" => "feColorMatrix",
        "fecomponenttransfer" => "feComponentTransfer",
        "fecomposite" => "feComposite",
        "feconvolvematrix" => "feConvolveMatrix",
        "fediffuselighting" => "feDiffuseLighting",
        "fedisplacementmap" => "feDisplacementMap",
        "fedistantlight" => "feDistantLight",
        "fedropshadow" => "feDropShadow",
        "feflood" => "feFlood",
        "fefunca" => "feFuncA",
        "fefuncb" => "feFuncB",
        "fefuncg" => "feFuncG",
        "fefuncr" => "feFuncR",
        "fegaussianblur" => "feGaussianBlur",
        "feimage" => "feImage",
        "femerge" => "feMerge",
        "femergenode" => "feMergeNode",
        "femorphology" => "feMorphology",
        "feoffset" => "feOffset",
        "fepointlight" => "fePointLight",
        "fespecularlighting" => "feSpecularLighting",
        "fespotlight" => "feSpotLight",
        "fetile" => "feTile",
        "feturbulence" => "feTurbulence",
        "foreignobject" => "foreignObject",
        "glyphref" => "glyphRef",
        "lineargradient" => "linearGradient",
        "radialgradient" => "radialGradient",
        other => other,
    }
}

/// The DOM's "valid element local name" (the relaxed 2025 rule Chromium ships).
pub fn valid_element_name(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else { return false };
    if first.is_ascii_alphabetic() {
        return !name.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | 0 | b'/' | b'>'));
    }
    (first == ':' || first == '_' || first as u32 >= 0x80)
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':' | '_') || c as u32 >= 0x80)
}

/// Whether rrweb builds this element exactly as recorded: its tag needs no renaming and is a
/// valid name already in the element's case, and its attributes are plain (`plain_attributes`).
pub fn builds_plainly(tag: &str, attributes: &[(Str, AttrValue)], svg: bool) -> bool {
    rrweb_tag(tag) == tag
        && valid_element_name(tag)
        && (svg || !tag.bytes().any(|b| b.is_ascii_uppercase()))
        && plain_attributes(tag, attributes, svg)
}

/// Whether rrweb's attribute loop would set exactly the recorded attributes, unchanged: string
/// values, valid unique names already in the element's case, and none of rrweb's special names
/// or the elements whose attributes it treats specially. The DOM engine then borrows the
/// recorded list instead of building one.
pub fn plain_attributes(tag: &str, attributes: &[(Str, AttrValue)], svg: bool) -> bool {
    if matches!(tag, "input" | "textarea" | "link" | "img" | "meta" | "style" | "option" | "select" | "iframe" | "dialog")
        || attributes.len() > 16
    {
        return false;
    }
    attributes.iter().enumerate().all(|(i, (name, value))| {
        // One pass over the name: valid for setAttribute, already lower case on HTML elements.
        let plain = !name.is_empty()
            && name.bytes().all(|b| {
                !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | 0 | b'/' | b'>' | b'=') && (svg || !b.is_ascii_uppercase())
            });
        plain
            && matches!(value, AttrValue::Str(_))
            && !name.starts_with("rr_")
            && !name.starts_with("on")
            && attributes[..i].iter().all(|(n, _)| n != name)
    })
}

/// An attribute value as recorded. `Style` appears only in mutations (rrweb's compact style form).
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    Str(Str),
    Num(f64),
    Bool(bool),
    Null,
    Style(Box<[(Str, StyleValue)]>),
}

/// One property of a compact style mutation.
#[derive(Debug, Clone, PartialEq)]
pub enum StyleValue {
    Set(String),
    SetWithPriority(String, String),
    Remove,
}

impl Node {
    pub fn tag_name(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Element { tag_name, .. } => Some(tag_name.as_str()),
            _ => None,
        }
    }

    pub fn attribute(&self, name: &str) -> Option<&AttrValue> {
        match &self.kind {
            NodeKind::Element { attributes, .. } => {
                attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v)
            }
            _ => None,
        }
    }

    /// Visits this node and all descendants in document order without recursion, so that
    /// hostile 100,000-deep trees cannot overflow the stack.
    pub fn walk(&self, mut visit: impl FnMut(&Node, usize)) {
        let mut stack = vec![(self, 0usize)];
        while let Some((node, depth)) = stack.pop() {
            visit(node, depth);
            for child in node.children.iter().rev() {
                stack.push((child, depth + 1));
            }
        }
    }

    pub fn count(&self) -> usize {
        let mut n = 0;
        self.walk(|_, _| n += 1);
        n
    }
}

impl Drop for Node {
    /// Drops deep trees iteratively: the default recursive drop would overflow the stack.
    fn drop(&mut self) {
        if self.children.is_empty() {
            return;
        }
        let mut stack = std::mem::take(&mut self.children).into_vec();
        while let Some(mut node) = stack.pop() {
            stack.extend(std::mem::take(&mut node.children));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(id: i64) -> Node {
        Node {
            id,
            kind: NodeKind::Text { text: Str::default(), is_style: false },
            root_id: None,
            is_shadow_host: false,
            is_shadow: false,
            dead_at: u32::MAX,
            children: Box::new([]),
        }
    }

    #[test]
    fn deep_trees_walk_and_drop_without_recursion() {
        let mut node = text(0);
        for id in 1..200_000 {
            let mut parent = text(id);
            parent.children = Box::new([node]);
            node = parent;
        }
        assert_eq!(node.count(), 200_000);
        // A long recording holds hundreds of thousands of these: growth shows in peak RSS.
        assert!(std::mem::size_of::<Node>() <= 88, "Node grew to {} bytes", std::mem::size_of::<Node>());
        assert!(std::mem::size_of::<AttrValue>() <= 24, "AttrValue grew to {} bytes", std::mem::size_of::<AttrValue>());
        assert!(std::mem::size_of::<crate::model::NodeAdd>() <= 128, "NodeAdd grew");
        drop(node);
    }
}
