//! rrweb's `queueToResolveTrees` and `iterateResolveTree`: queued adds regrouped as trees (a
//! child under its queued parent, an item before its queued next sibling), then walked root
//! first and children last-to-first. Iterative.

use crate::model::NodeAdd;
use std::collections::HashMap;

pub struct ResolveTrees {
    items: Vec<Item>,
    pub roots: Vec<usize>,
}

struct Item {
    parent: Option<usize>,
    children: Vec<usize>,
}

impl ResolveTrees {
    /// Groups `queue`; item `i` of the result stands for `queue[i]`.
    pub fn new(queue: &[&NodeAdd]) -> ResolveTrees {
        let mut items: Vec<Item> = Vec::with_capacity(queue.len());
        let mut roots: Vec<usize> = Vec::new();
        let mut by_id: HashMap<i64, usize> = HashMap::new();
        for (i, m) in queue.iter().enumerate() {
            let next = m.next_id.filter(|&n| n != 0).and_then(|n| by_id.get(&n).copied());
            if let Some(next) = next {
                let parent = items[next].parent;
                items.push(Item { parent, children: Vec::new() });
                let list = match parent {
                    Some(p) => &mut items[p].children,
                    None => &mut roots,
                };
                let at = list.iter().position(|&x| x == next).unwrap_or(0);
                list.insert(at, i);
                by_id.insert(m.node.id, i);
                continue;
            }
            if let Some(&p) = by_id.get(&m.parent_id) {
                items.push(Item { parent: Some(p), children: Vec::new() });
                items[p].children.push(i);
                by_id.insert(m.node.id, i);
                continue;
            }
            items.push(Item { parent: None, children: Vec::new() });
            roots.push(i);
            by_id.insert(m.node.id, i);
        }
        ResolveTrees { items, roots }
    }

    /// The items of the tree at `root` in rrweb's order: root first, then each child's tree,
    /// last child first (so that next siblings exist before the nodes inserted before them).
    pub fn walk(&self, root: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![root];
        while let Some(i) = stack.pop() {
            out.push(i);
            stack.extend(self.items[i].children.iter().copied());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Node, NodeKind};

    fn add(id: i64, parent_id: i64, next_id: Option<i64>) -> NodeAdd {
        let node = Node {
            id,
            kind: NodeKind::Comment { text: Default::default() },
            root_id: None,
            is_shadow_host: false,
            is_shadow: false,
            dead_at: u32::MAX,
            children: Box::new([]),
        };
        NodeAdd { parent_id, next_id, previous_id: None, node }
    }

    #[test]
    fn children_and_next_siblings_group_like_rrweb() {
        let q = [add(10, 1, None), add(12, 10, None), add(11, 10, Some(12)), add(20, 99, None)];
        let refs: Vec<&NodeAdd> = q.iter().collect();
        let t = ResolveTrees::new(&refs);
        assert_eq!(t.roots, vec![0, 3]);
        // Root first, then children last-to-first: 12 (index 1) before 11 (index 2).
        assert_eq!(t.walk(0), vec![0, 1, 2]);
    }
}
