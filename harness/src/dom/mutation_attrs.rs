//! The attribute part of a Mutation batch: `null` removes, strings set (with rrweb's special
//! cases for `_cssText` on link/style, `value` on textarea and dialogs), style objects go through
//! the CSSOM. Numbers and booleans are ignored, as rrweb ignores them.

use super::arena::{DomError, DomResult};
use super::attribute::{remove_attribute, set_attribute};
use super::build::{build_with_sn, BuildLog, Copied};
use super::css_split::apply_css_splits;
use super::dialog;
use super::engine::Engine;
use super::meta::{MetaKind, MetaRef};
use super::node::{Data, Idx, Node, Text, NIL};
use super::style_decl::{self, StyleOp};
use super::warning::WarningKind;
use crate::model::{AttrValue, Mutation, Node as SNode, NodeKind, Str, StyleValue};
use std::sync::Arc;

impl<'r> Engine<'r> {
    pub(crate) fn apply_attributes(&mut self, m: &'r Mutation, removed: &[i64]) -> DomResult {
        for a in &m.attributes {
            let Some(target) = self.dom.get(a.id) else {
                if removed.binary_search(&a.id).is_err() {
                    self.warn(WarningKind::NodeNotFound { id: a.id });
                }
                continue;
            };
            let opens = a.attributes.iter().any(|(n, v)| n == "open" && matches!(v, AttrValue::Str(_)));
            for (name, value) in &a.attributes {
                match value {
                    AttrValue::Null => {
                        remove_attribute(&mut self.dom, target, name)?;
                        if name == "open" {
                            dialog::remove_from_top_level(&mut self.dom, target);
                        }
                    }
                    AttrValue::Str(v) => {
                        if name == "_cssText" && self.is_link_or_style(target) && self.rebuild_styled(target, a.id, &a.attributes) {
                            break;
                        }
                        if name == "value" && self.dom.node(target).is_html("textarea") {
                            self.replace_textarea_text(target, v);
                        } else {
                            let _ = set_attribute(&mut self.dom, target, Text::Ref(name), Text::Ref(v));
                        }
                        if name == "rr_open_mode" {
                            dialog::apply_to_top_level(&mut self.dom, target, opens);
                        }
                    }
                    AttrValue::Style(props) if name == "style" => {
                        if props.is_empty() {
                            continue;
                        }
                        if self.dom.element(target).is_none() {
                            return Err(DomError("TypeError: Cannot read properties of undefined (reading 'setProperty')".into()));
                        }
                        let ops: Vec<StyleOp<'_>> = props
                            .iter()
                            .map(|(p, v)| match v {
                                StyleValue::Remove => StyleOp { property: p, value: None, priority: "" },
                                StyleValue::Set(x) => StyleOp { property: p, value: Some(x), priority: "" },
                                StyleValue::SetWithPriority(x, prio) => StyleOp { property: p, value: Some(x), priority: prio },
                            })
                            .collect();
                        style_decl::apply(&mut self.dom, target, &ops);
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    fn is_link_or_style(&self, i: Idx) -> bool {
        self.dom.node(i).is_html("link") || self.dom.node(i).is_html("style")
    }

    /// A textarea `value` mutation: rrweb removes the children with `forEach` over the live
    /// child list (so every other one survives), then appends one new text node.
    fn replace_textarea_text(&mut self, target: Idx, value: &'r str) {
        let mut k = 0;
        while let Some(c) = self.dom.children(target).nth(k) {
            self.dom.detach(c);
            k += 1;
        }
        let t = self.dom.push(Node::new(Data::Text(Text::Ref(value))));
        let _ = self.dom.append_child(target, t);
    }

    /// A `_cssText` mutation rebuilds a link/style element with merged attributes and no
    /// children, at the same place and id. Returns false when rrweb falls back to setAttribute.
    fn rebuild_styled(&mut self, target: Idx, id: i64, attrs: &[(Str, AttrValue)]) -> bool {
        let meta_idx = self.dom.node(target).meta;
        if meta_idx == NIL {
            return false;
        }
        let old = self.dom.metas[meta_idx as usize].to_owned_meta();
        let MetaKind::Element { tag, attributes, svg, need_block } = &old.kind else { return false };
        let mut merged = attributes.clone();
        for (n, v) in attrs {
            match merged.iter_mut().find(|(k, _)| k == n) {
                Some(slot) => slot.1 = v.clone(),
                None => merged.push((n.clone(), v.clone())),
            }
        }
        // The serialized node rrweb builds from: the old meta's fields with merged attributes
        // and, through the shared childNodes array, the old children (never built: skipChild).
        let placeholder = || SNode {
            id: 0,
            kind: NodeKind::Text { text: Str::default(), is_style: false },
            root_id: None,
            is_shadow_host: false,
            is_shadow: false,
            dead_at: u32::MAX,
            children: Box::new([]),
        };
        let sn = SNode {
            id: old.id,
            kind: NodeKind::Element { tag_name: tag.clone(), attributes: merged.clone().into(), is_svg: *svg, need_block: *need_block, is_custom: false, plain: false },
            root_id: None,
            is_shadow_host: false,
            is_shadow: false,
            dead_at: u32::MAX,
            children: (0..old.child_count).map(|_| placeholder()).collect(),
        };
        if old.child_count > 0 {
            self.split_into_meta_children(meta_idx, &merged);
        }
        let doc = self.dom.connected_document(target).unwrap_or(self.dom.top());
        let built = build_with_sn(&mut self.dom, &sn, doc, true, &mut BuildLog::default(), &Copied).ok().flatten();
        if let Some(n) = built.filter(|&n| n != target) {
            let mi = self.dom.node(n).meta;
            if let Some(children) = self.dom.style_children.get(&meta_idx).cloned() {
                self.dom.style_children.insert(mi, children);
            }
        }
        // Object.assign(oldMeta.attributes, mutation.attributes)
        {
            let mut m = old.clone();
            if let MetaKind::Element { attributes, .. } = &mut m.kind {
                *attributes = merged;
            }
            self.dom.metas[meta_idx as usize] = MetaRef::Owned(Arc::new(m));
        }
        let Some(new_node) = built else { return false };
        let Some(parent) = self.dom.parent(target) else { return false };
        let sibling = self.dom.next_sibling(target);
        self.dom.detach(target);
        if self.dom.insert_before(parent, new_node, sibling.filter(|&s| s != new_node)).is_err() {
            return false;
        }
        super::build::replace(&mut self.dom, id, new_node);
        true
    }

    /// rrweb's `applyCssSplits` over the old serialized children: it rewrites their meta text.
    fn split_into_meta_children(&mut self, meta_idx: u32, merged: &[(Str, AttrValue)]) {
        let Some(AttrValue::Str(css)) = merged.iter().find(|(n, _)| n == "_cssText").map(|(_, v)| v) else { return };
        let children = self.dom.style_children.get(&meta_idx).cloned().unwrap_or_default();
        let parts = apply_css_splits(css, children.len());
        for (&child, part) in children.iter().zip(parts) {
            if let (Some(text), true) = (part, child != NIL) {
                let mut m = self.dom.metas[child as usize].to_owned_meta();
                if let MetaKind::Text { text: t } = &mut m.kind {
                    *t = Str::from(text);
                }
                self.dom.metas[child as usize] = MetaRef::Owned(Arc::new(m));
            }
        }
    }
}
