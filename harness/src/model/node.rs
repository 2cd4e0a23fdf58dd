//! Serialized DOM nodes as rrweb records them (`serializedNodeWithId`), in typed form.

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
    pub children: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Document { compat_mode: Option<String> },
    DocumentType { name: String, public_id: String, system_id: String },
    Element {
        tag_name: String,
        /// In recorded order; values as recorded (rrweb allows strings, numbers, booleans, null).
        attributes: Vec<(String, AttrValue)>,
        is_svg: bool,
        need_block: bool,
        is_custom: bool,
    },
    Text { text: String, is_style: bool },
    CData { text: String },
    Comment { text: String },
}

/// An attribute value as recorded. `Style` appears only in mutations (rrweb's compact style form).
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Style(Vec<(String, StyleValue)>),
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
            NodeKind::Element { tag_name, .. } => Some(tag_name),
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
        let mut stack = std::mem::take(&mut self.children);
        while let Some(mut node) = stack.pop() {
            stack.append(&mut node.children);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(id: i64) -> Node {
        Node {
            id,
            kind: NodeKind::Text { text: String::new(), is_style: false },
            root_id: None,
            is_shadow_host: false,
            is_shadow: false,
            children: vec![],
        }
    }

    #[test]
    fn deep_trees_walk_and_drop_without_recursion() {
        let mut node = text(0);
        for id in 1..200_000 {
            let mut parent = text(id);
            parent.children.push(node);
            node = parent;
        }
        assert_eq!(node.count(), 200_000);
        drop(node);
    }
}
