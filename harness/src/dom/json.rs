//! The DOM as JSON: the canonical tree (mirrored nodes and `#css` holders) with rrweb ids, the
//! recorded page's attributes, form and scroll state, and masked/blocked flags. Written
//! iteratively, so any depth is safe.

use super::arena::Dom;
use super::describe::{is_blocked, is_masked_text};
use super::node::{Data, Idx};
use super::text::js_number;
use super::view;

fn s(out: &mut String, v: &str) {
    out.push_str(&serde_json::to_string(v).unwrap_or_else(|_| "\"\"".into()));
}

enum Step {
    Node { node: Idx, comma: bool },
    Lit(&'static str),
}

/// The JSON of one node and its subtree (documents, shadow roots and iframe documents included).
pub fn node_json(dom: &Dom<'_>, root: Idx) -> String {
    let mut out = String::new();
    let mut stack = vec![Step::Node { node: root, comma: false }];
    while let Some(step) = stack.pop() {
        match step {
            Step::Lit(l) => out.push_str(l),
            Step::Node { node, comma } => {
                if comma {
                    out.push(',');
                }
                write_node(dom, node, &mut out, &mut stack);
            }
        }
    }
    out
}

/// Whether the canonical text shows this node (mirrored, or a `#css` holder).
fn shown(dom: &Dom<'_>, n: Idx, in_style: bool) -> bool {
    dom.mirrored_id(n).is_some() || (in_style && dom.node(n).is_text())
}

fn push_list(dom: &Dom<'_>, parent: Idx, in_style: bool, key: &'static str, stack: &mut Vec<Step>) {
    let kids: Vec<Idx> = dom.children(parent).filter(|&c| shown(dom, c, in_style)).collect();
    stack.push(Step::Lit("]"));
    for (k, &c) in kids.iter().enumerate().rev() {
        stack.push(Step::Node { node: c, comma: k > 0 });
    }
    stack.push(Step::Lit(key));
}

fn write_node(dom: &Dom<'_>, n: Idx, out: &mut String, stack: &mut Vec<Step>) {
    let node = dom.node(n);
    out.push('{');
    match dom.mirrored_id(n) {
        Some(id) => out.push_str(&format!("\"id\":{id},")),
        None => out.push_str("\"id\":null,"),
    }
    let st = view::state(dom, n);
    let scroll = |out: &mut String| {
        if let Some((x, y)) = st.scroll {
            out.push_str(&format!(",\"scroll\":[{},{}]", js_number(x), js_number(y)));
        }
    };
    stack.push(Step::Lit("}"));
    match &node.data {
        Data::Document { .. } => {
            out.push_str("\"type\":\"document\"");
            scroll(out);
            adopted(dom, n, out);
            push_list(dom, n, false, ",\"children\":[", stack);
        }
        Data::Doctype { name, public_id, system_id } => {
            out.push_str("\"type\":\"doctype\",\"name\":");
            s(out, name);
            out.push_str(",\"publicId\":");
            s(out, public_id);
            out.push_str(",\"systemId\":");
            s(out, system_id);
        }
        Data::Text(t) => {
            out.push_str(if dom.mirrored_id(n).is_some() { "\"type\":\"text\",\"text\":" } else { "\"type\":\"css\",\"text\":" });
            s(out, t);
            if is_masked_text(t) {
                out.push_str(",\"masked\":true");
            }
        }
        Data::CData(t) => {
            out.push_str("\"type\":\"cdata\",\"text\":");
            s(out, t);
        }
        Data::Comment(t) => {
            out.push_str("\"type\":\"comment\",\"text\":");
            s(out, t);
        }
        Data::ShadowRoot { .. } => out.push_str("\"type\":\"shadow-root\""),
        Data::Element(e) => {
            out.push_str("\"type\":\"element\",\"tag\":");
            s(out, dom.meta(n).and_then(|m| m.tag()).unwrap_or(""));
            if e.svg {
                out.push_str(",\"svg\":true");
            }
            out.push_str(",\"attributes\":{");
            for (k, (name, value)) in view::attributes(dom, n).iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                s(out, name);
                out.push(':');
                s(out, value);
            }
            out.push('}');
            if st.checked {
                out.push_str(",\"checked\":true");
            }
            if st.selected {
                out.push_str(",\"selected\":true");
            }
            if let Some(v) = &st.value {
                out.push_str(",\"value\":");
                s(out, v);
            }
            scroll(out);
            if is_blocked(dom, n) {
                out.push_str(",\"blocked\":true");
            }
            if let Some(sheet) = dom.sheets.elements.get(&n.0) {
                out.push_str(",\"cssRules\":");
                out.push_str(&serde_json::to_string(&sheet.rules).unwrap_or_default());
                if sheet.unapplied > 0 {
                    out.push_str(&format!(",\"cssUnapplied\":{}", sheet.unapplied));
                }
            }
            adopted(dom, n, out);
            if !e.svg && &*e.local == "iframe" {
                if let Some(cd) = dom.content_document(n).filter(|&d| dom.mirrored_id(d).is_some()) {
                    stack.push(Step::Node { node: cd, comma: false });
                    stack.push(Step::Lit(",\"contentDocument\":"));
                }
            }
            push_list(dom, n, &*e.local == "style", ",\"children\":[", stack);
            if let Some(root) = dom.shadow_root(n) {
                push_list(dom, root, false, ",\"shadowRoot\":[", stack);
            }
        }
    }
}

/// Constructed sheets adopted by a document or shadow host: their rules, in adoption order.
fn adopted(dom: &Dom<'_>, host: Idx, out: &mut String) {
    let Some(ids) = dom.sheets.adopted.get(&host.0) else { return };
    let sheets: Vec<&Vec<String>> = ids.iter().filter_map(|i| dom.sheets.constructed.get(i)).map(|s| &s.rules).collect();
    out.push_str(",\"adoptedStyleSheets\":");
    out.push_str(&serde_json::to_string(&sheets).unwrap_or_default());
}

/// The whole DOM as one JSON object: page URL, viewport, rrweb's error if any, and the tree.
pub fn dom_json(dom: &Dom<'_>, offset_ms: f64, timestamp_ms: f64) -> String {
    let mut out = format!("{{\"t\":{},\"timestamp\":{}", js_number(offset_ms), js_number(timestamp_ms));
    out.push_str(",\"href\":");
    match &dom.href {
        Some(h) => s(&mut out, h),
        None => out.push_str("null"),
    }
    match dom.viewport {
        Some((w, h)) => out.push_str(&format!(",\"viewport\":{{\"width\":{},\"height\":{}}}", js_number(w), js_number(h))),
        None => out.push_str(",\"viewport\":null"),
    }
    out.push_str(",\"error\":");
    match &dom.error {
        Some(e) => s(&mut out, e),
        None => out.push_str("null"),
    }
    out.push_str(",\"document\":");
    if dom.mirrored_id(dom.top()).is_some() {
        out.push_str(&node_json(dom, dom.top()));
    } else {
        out.push_str("null");
    }
    out.push('}');
    out
}
