//! The canonical DOM text of CANONICAL.md: one line per mirrored node, in live tree order, with
//! shadow roots, iframe documents and the `#css` holders rrweb creates. Iterative.

use super::arena::Dom;
use super::node::{Data, Idx};
use super::text::{js_number, quote_into};
use super::view;

enum Item {
    Visit { node: Idx, depth: usize, in_style: bool },
    ShadowRoot { depth: usize },
}

/// The canonical text of a whole DOM (no `=== t=` header).
pub fn canonical(dom: &Dom) -> String {
    let mut out = String::new();
    if let Some(e) = &dom.error {
        out.push_str("#error ");
        quote_into(&mut out, e);
        out.push('\n');
    }
    write_subtree(dom, dom.top(), 0, &mut out);
    out
}

/// The canonical lines of one node and its subtree, starting at `depth`.
pub fn write_subtree(dom: &Dom<'_>, root: Idx, depth: usize, out: &mut String) {
    let mut stack = vec![Item::Visit { node: root, depth, in_style: false }];
    while let Some(item) = stack.pop() {
        match item {
            Item::ShadowRoot { depth } => {
                indent(out, depth);
                out.push_str("#shadow-root\n");
            }
            Item::Visit { node, depth, in_style } => visit(dom, node, depth, in_style, out, &mut stack),
        }
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn end(out: &mut String, id: i64) {
    out.push_str(" @");
    out.push_str(&id.to_string());
    out.push('\n');
}

fn visit(dom: &Dom<'_>, i: Idx, depth: usize, in_style: bool, out: &mut String, stack: &mut Vec<Item>) {
    let n = dom.node(i);
    let Some(id) = dom.mirrored_id(i) else {
        if let (true, Data::Text(t)) = (in_style, &n.data) {
            indent(out, depth);
            out.push_str("#css ");
            quote_into(out, t);
            out.push('\n');
        }
        return;
    };
    indent(out, depth);
    match &n.data {
        Data::Document { .. } => {
            out.push_str("#document");
            scroll_suffix(out, view::state(dom, i).scroll);
            end(out, id);
            push_children(dom, i, depth + 1, false, stack);
        }
        Data::Doctype { name, public_id, system_id } => {
            out.push_str("<!DOCTYPE ");
            out.push_str(name);
            if !public_id.is_empty() || !system_id.is_empty() {
                out.push(' ');
                quote_into(out, public_id);
                out.push(' ');
                quote_into(out, system_id);
            }
            out.push('>');
            end(out, id);
        }
        Data::Text(t) => {
            quote_into(out, t);
            end(out, id);
        }
        Data::CData(t) => {
            out.push_str("#cdata ");
            quote_into(out, t);
            end(out, id);
        }
        Data::Comment(t) => {
            out.push_str("#comment ");
            quote_into(out, t);
            end(out, id);
        }
        Data::ShadowRoot { .. } => {
            out.push_str("#shadow-root\n");
        }
        Data::Element(e) => {
            let Some(tag) = dom.meta(i).and_then(|m| m.tag()) else {
                out.push_str("#unknown");
                end(out, id);
                return;
            };
            out.push('<');
            if e.svg {
                out.push_str("svg:");
            }
            out.push_str(tag);
            for (name, value) in view::attributes(dom, i) {
                out.push(' ');
                out.push_str(&name);
                out.push('=');
                quote_into(out, &value);
            }
            out.push('>');
            let st = view::state(dom, i);
            if st.checked {
                out.push_str(" :checked");
            }
            scroll_suffix(out, st.scroll);
            if st.selected {
                out.push_str(" :selected");
            }
            if let Some(v) = &st.value {
                out.push_str(" :value=");
                quote_into(out, v);
            }
            end(out, id);
            if !e.svg && &*e.local == "iframe" {
                if let Some(cd) = dom.content_document(i).filter(|&d| dom.mirrored_id(d).is_some()) {
                    stack.push(Item::Visit { node: cd, depth: depth + 1, in_style: false });
                }
            }
            push_children(dom, i, depth + 1, &*e.local == "style", stack);
            if let Some(root) = dom.shadow_root(i) {
                push_children(dom, root, depth + 2, false, stack);
                stack.push(Item::ShadowRoot { depth: depth + 1 });
            }
        }
    }
}

fn push_children(dom: &Dom<'_>, i: Idx, depth: usize, in_style: bool, stack: &mut Vec<Item>) {
    let mut c = dom.last_child(i);
    while let Some(x) = c {
        stack.push(Item::Visit { node: x, depth, in_style });
        c = dom.prev_sibling(x);
    }
}

fn scroll_suffix(out: &mut String, scroll: Option<(f64, f64)>) {
    if let Some((x, y)) = scroll {
        out.push_str(" :scroll=");
        quote_into(out, &format!("{},{}", js_number(x), js_number(y)));
    }
}
