//! rrweb-snapshot's `buildNode` and `buildNodeWithSN`: serialized nodes become arena nodes, with
//! rrweb's attribute handling, its duplicate-id guard and its failure modes. Iterative, so a
//! 100,000-deep snapshot cannot overflow the stack.

use super::arena::{hierarchy, Dom, DomError, DomResult};
use super::attribute::{set_attribute, set_attribute_ns};
use super::css_split::apply_css_splits;
use super::meta::{Meta, MetaKind, MetaRef};
use super::node::{Attrs, Data, Element, Idx, Node, Text, NIL};
use super::style_decl;
use crate::model::{plain_attributes, rrweb_tag, valid_element_name, AttrValue, Node as SNode, NodeKind, Str};
use std::sync::Arc;

/// How built nodes refer to serialized data: borrowed from the recording (the normal case, no
/// copy), or copied (nodes rrweb synthesizes, such as a `_cssText` rebuild).
pub trait Source<'s, 'r> {
    fn text(&self, s: &'s str) -> Text<'r>;
    fn meta(&self, sn: &'s SNode) -> MetaRef<'r>;
    /// The recorded attribute list itself, when it can stand for the live one.
    fn attrs(&self, a: &'s [(Str, AttrValue)]) -> Option<Attrs<'r>>;
}

/// Serialized nodes that live as long as the `Dom` (frames of the recording).
pub struct Borrowed;

impl<'r> Source<'r, 'r> for Borrowed {
    fn text(&self, s: &'r str) -> Text<'r> {
        Text::Ref(s)
    }
    fn meta(&self, sn: &'r SNode) -> MetaRef<'r> {
        MetaRef::Serialized(sn)
    }
    fn attrs(&self, a: &'r [(Str, AttrValue)]) -> Option<Attrs<'r>> {
        Some(Attrs::Recorded(a))
    }
}

/// Serialized nodes made at replay time: their strings are copied.
pub struct Copied;

impl<'s, 'r> Source<'s, 'r> for Copied {
    fn text(&self, s: &'s str) -> Text<'r> {
        Text::owned(s)
    }
    fn meta(&self, sn: &'s SNode) -> MetaRef<'r> {
        MetaRef::Owned(Arc::new(Meta::of(sn)))
    }
    fn attrs(&self, _: &'s [(Str, AttrValue)]) -> Option<Attrs<'r>> {
        None
    }
}

/// rrweb's `getTagName`: the tag a serialized element is built with.
pub fn built_tag<'a>(tag: &'a str, attributes: &[(Str, AttrValue)]) -> &'a str {
    let t = rrweb_tag(tag);
    if t == "link" && attributes.iter().any(|(n, v)| n == "_cssText" && truthy(v)) {
        "style"
    } else {
        t
    }
}

/// JavaScript truthiness of a recorded attribute value.
pub fn truthy(v: &AttrValue) -> bool {
    match v {
        AttrValue::Str(s) => !s.is_empty(),
        AttrValue::Num(n) => *n != 0.0 && !n.is_nan(),
        AttrValue::Bool(b) => *b,
        AttrValue::Null => false,
        AttrValue::Style(_) => true,
    }
}

/// An attribute value as `setAttribute` receives it: `true` is `""`, anything else `String(v)`.
fn attr_text<'s, 'r>(v: &'s AttrValue, src: &impl Source<'s, 'r>) -> Text<'r> {
    match v {
        AttrValue::Str(s) => src.text(s),
        AttrValue::Bool(true) => Text::Ref(""),
        v => Text::owned(js_string(v)),
    }
}

/// `String(value)` of a recorded attribute value.
pub fn js_string(v: &AttrValue) -> String {
    match v {
        AttrValue::Str(s) => s.to_string(),
        AttrValue::Num(n) => super::text::js_number(*n),
        AttrValue::Bool(b) => b.to_string(),
        AttrValue::Null => "null".into(),
        AttrValue::Style(_) => "[object Object]".into(),
    }
}

fn can_attach_shadow(local: &str) -> bool {
    matches!(
        local,
        "article" | "aside" | "blockquote" | "body" | "div" | "footer" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
            | "header" | "main" | "nav" | "p" | "section" | "span"
    ) || (local.contains('-') && local.starts_with(|c: char| c.is_ascii_lowercase()))
}

fn str_attr<'a>(attrs: &'a [(Str, AttrValue)], name: &str) -> Option<&'a AttrValue> {
    attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

fn is_str(attrs: &[(Str, AttrValue)], name: &str, value: &str) -> bool {
    matches!(str_attr(attrs, name), Some(AttrValue::Str(s)) if s == value)
}

/// The extension of a URL's path as rrweb's `extractFileExtension` finds it.
fn file_extension(href: &str) -> Option<String> {
    let no_frag = href.split('#').next().unwrap_or("");
    let no_query = no_frag.split('?').next().unwrap_or("");
    let path = match no_query.find("://") {
        Some(p) => no_query[p + 3..].find('/').map(|s| &no_query[p + 3 + s..]).unwrap_or(""),
        None => no_query,
    };
    let dot = path.rfind('.')?;
    let ext = &path[dot + 1..];
    (!ext.is_empty() && ext.bytes().all(|b| b.is_ascii_alphanumeric())).then(|| ext.to_string())
}

/// What building one element left for its children: CSS for its Text children, or none at all.
struct ChildPlan {
    overrides: Vec<Option<String>>,
    drop_children: bool,
}

/// `buildNode` for a non-document node. Returns the new node and the plan for its children.
fn build_node<'s, 'r>(dom: &mut Dom<'r>, sn: &'s SNode, text: Option<&str>, src: &impl Source<'s, 'r>) -> DomResult<(Idx, ChildPlan)> {
    let mut plan = ChildPlan { overrides: Vec::new(), drop_children: false };
    let data = match &sn.kind {
        NodeKind::Document { .. } => unreachable!("documents are built in place"),
        NodeKind::DocumentType(d) => {
            let (name, public_id, system_id) = (d.name.as_str(), d.public_id.as_str(), d.system_id.as_str());
            if name.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | 0 | b'>')) {
                return Err(DomError("InvalidCharacterError: The qualified name provided is invalid.".into()));
            }
            let name = if name.is_empty() { Text::Ref("html") } else { src.text(name) };
            Data::Doctype { name, public_id: src.text(public_id), system_id: src.text(system_id) }
        }
        NodeKind::Text { text: t, .. } => Data::Text(match text {
            Some(o) => Text::owned(o),
            None => src.text(t),
        }),
        NodeKind::CData { .. } => {
            return Err(DomError("NotSupportedError: Failed to execute 'createCDATASection' on 'Document': This operation is not supported for HTML documents.".into()))
        }
        NodeKind::Comment { text } => Data::Comment(src.text(text)),
        NodeKind::Element { tag_name, attributes, is_svg, plain, .. } => {
            // Ingest computed `plain` for recorded nodes (see `builds_plainly`): the tag is
            // built as recorded. Nodes made at replay time take the full path.
            let tag: &'s str = if *plain { tag_name } else { built_tag(tag_name, attributes) };
            if !*plain && !valid_element_name(tag) {
                return Err(DomError(format!("InvalidCharacterError: The tag name provided ('{tag}') is not a valid name.")));
            }
            let local = if !*plain && !*is_svg && tag.bytes().any(|b| b.is_ascii_uppercase()) {
                Text::owned(tag.to_ascii_lowercase())
            } else {
                src.text(tag)
            };
            let mut element = Element::new(local, *is_svg);
            let recorded = if *plain || plain_attributes(tag, attributes, *is_svg) { src.attrs(attributes) } else { None };
            let fast = recorded.is_some();
            if let Some(a) = recorded {
                element.attrs = a;
            } else {
                element.attrs = Attrs::Live(Vec::with_capacity(attributes.len()));
            }
            let idx = dom.push(Node::new(Data::Element(element)));
            if !fast {
                build_element_attributes(dom, idx, sn, tag, attributes, *is_svg, &mut plan, src)?;
            }
            if sn.is_shadow_host {
                let local_ok = !*is_svg && dom.element(idx).is_some_and(|e| can_attach_shadow(&e.local));
                if !local_ok {
                    return Err(DomError(
                        "NotSupportedError: Failed to execute 'attachShadow' on 'Element': This element does not support attachShadow".into(),
                    ));
                }
                let root = dom.push(Node::new(Data::ShadowRoot { host: idx.0 }));
                if let Some(e) = dom.element_mut(idx) {
                    e.shadow = root.0;
                }
            }
            return Ok((idx, plan));
        }
    };
    Ok((dom.push(Node::new(data)), plan))
}

#[allow(clippy::too_many_arguments)]
fn build_element_attributes<'s, 'r>(
    dom: &mut Dom<'r>,
    idx: Idx,
    sn: &'s SNode,
    tag: &str,
    attributes: &'s [(Str, AttrValue)],
    is_svg: bool,
    plan: &mut ChildPlan,
    src: &impl Source<'s, 'r>,
) -> DomResult {
    let mut special: Vec<(&'s str, &'s AttrValue)> = Vec::new();
    let csp = tag == "meta" && is_str(attributes, "http-equiv", "Content-Security-Policy");
    let link_script = tag == "link"
        && ((is_str(attributes, "rel", "preload") && is_str(attributes, "as", "script"))
            || is_str(attributes, "rel", "modulepreload"));
    let link_prefetch_js = tag == "link"
        && is_str(attributes, "rel", "prefetch")
        && matches!(str_attr(attributes, "href"), Some(AttrValue::Str(h)) if file_extension(h).as_deref() == Some("js"));
    let img_srcset = tag == "img"
        && str_attr(attributes, "srcset").is_some_and(truthy)
        && str_attr(attributes, "rr_dataURL").is_some_and(truthy);
    for (name, value) in attributes {
        if tag == "option" && name == "selected" && *value == AttrValue::Bool(false) {
            continue;
        }
        if *value == AttrValue::Null {
            continue;
        }
        if name.starts_with("rr_") {
            special.push((name, value));
            continue;
        }
        let text = attr_text(value, src);
        if let AttrValue::Str(css) = value {
            if tag == "style" && name == "_cssText" {
                if sn.children.is_empty() {
                    let holder = dom.push(Node::new(Data::Text(src.text(css))));
                    dom.append_child(idx, holder)?;
                } else {
                    let texts = sn.children.iter().filter(|c| matches!(c.kind, NodeKind::Text { .. })).count();
                    plan.overrides = apply_css_splits(css, texts);
                }
                continue;
            }
            if tag == "textarea" && name == "value" {
                let holder = dom.push(Node::new(Data::Text(src.text(css))));
                dom.append_child(idx, holder)?;
                plan.drop_children = true;
                continue;
            }
        }
        // Failures of setAttribute are swallowed by rrweb's try/catch.
        let _ = if is_svg && name == "xlink:href" {
            set_attribute_ns(dom, idx, src.text(name), text)
        } else if name == "onload" || name == "onclick" || name.starts_with("onmouse") {
            set_attribute(dom, idx, Text::owned(format!("_{name}")), text)
        } else if tag == "meta" && csp && name == "content" {
            set_attribute(dom, idx, Text::Ref("csp-content"), text)
        } else if link_script || link_prefetch_js {
            Ok(())
        } else if img_srcset {
            let srcset = str_attr(attributes, "srcset").map(|v| attr_text(v, src)).unwrap_or(Text::Ref(""));
            set_attribute(dom, idx, Text::Ref("rrweb-original-srcset"), srcset)
        } else {
            set_attribute(dom, idx, src.text(name), text)
        };
    }
    for (name, value) in special {
        let text = attr_text(value, src);
        match name {
            "rr_dataURL" if tag == "img" => {
                let original = str_attr(attributes, "src").map(|v| attr_text(v, src)).unwrap_or(Text::Ref("undefined"));
                let _ = set_attribute(dom, idx, Text::Ref("rrweb-original-src"), original);
                // `image.src = …` is a property write: the oracle does not see it as a touch.
                if let Some(e) = dom.element_mut(idx) {
                    e.set_attr(Text::Ref("src"), text);
                }
            }
            "rr_width" | "rr_height" => {
                let prop = if name == "rr_width" { "width" } else { "height" };
                style_decl::set_property(dom, idx, prop, &text, "");
            }
            "rr_open_mode" => {
                let _ = set_attribute(dom, idx, Text::Ref("rr_open_mode"), text);
            }
            _ => {}
        }
    }
    Ok(())
}

/// One element whose children are still being built.
struct Frame<'s> {
    sn: &'s SNode,
    node: Idx,
    meta: u32,
    next: usize,
    plan: ChildPlan,
    text_seen: usize,
    /// Where to append this node once its subtree is complete (rrweb appends bottom-up).
    parent: Option<Idx>,
}

/// What a build reports besides the root: the nodes appended, in rrweb's `afterAppend` order.
#[derive(Default)]
pub struct BuildLog {
    pub appended: Vec<Idx>,
}

/// rrweb's `buildNodeWithSN`. `Ok(None)` only for nodes rrweb cannot build at all.
pub fn build_with_sn<'s, 'r>(
    dom: &mut Dom<'r>,
    sn: &'s SNode,
    doc: Idx,
    skip_child: bool,
    log: &mut BuildLog,
    src: &impl Source<'s, 'r>,
) -> DomResult<Option<Idx>> {
    let Some((root, fresh, plan, meta)) = build_one(dom, sn, doc, None, src)? else { return Ok(None) };
    if skip_child || !fresh || !matches!(sn.kind, NodeKind::Document { .. } | NodeKind::Element { .. }) {
        return Ok(Some(root));
    }
    let mut stack = vec![Frame { sn, node: root, meta, next: 0, plan, text_seen: 0, parent: None }];
    while let Some(top) = stack.last_mut() {
        let sn: &'s SNode = top.sn;
        let children: &'s [SNode] = if top.plan.drop_children { &[] } else { &sn.children };
        if top.next < children.len() {
            let child = &children[top.next];
            top.next += 1;
            let mut over = None;
            if matches!(child.kind, NodeKind::Text { .. }) {
                over = top.plan.overrides.get(top.text_seen).cloned().flatten();
                top.text_seen += 1;
            }
            let (parent, parent_meta) = (top.node, top.meta);
            let built = match build_one(dom, child, doc, over.as_deref(), src)? {
                Some(b) => b,
                None => continue,
            };
            let (node, fresh, plan, meta) = built;
            if parent_meta != NIL && matches!(child.kind, NodeKind::Text { .. }) && is_style_like(&dom.metas[parent_meta as usize]) {
                dom.style_children.entry(parent_meta).or_default().push(if fresh { meta } else { NIL });
                if fresh {
                    dom.pinned.insert(meta);
                }
            }
            if fresh && matches!(child.kind, NodeKind::Element { .. } | NodeKind::Document { .. }) {
                stack.push(Frame { sn: child, node, meta, next: 0, plan, text_seen: 0, parent: Some(parent) });
            } else {
                append_built(dom, parent, node, child)?;
                log.appended.push(node);
            }
        } else {
            let done = stack.pop().expect("non-empty stack");
            if let Some(parent) = done.parent {
                append_built(dom, parent, done.node, done.sn)?;
                log.appended.push(done.node);
            }
        }
    }
    Ok(Some(root))
}

fn is_style_like(meta: &MetaRef<'_>) -> bool {
    matches!(meta.tag(), Some("style" | "link"))
}

/// Appends a built child: `isShadow` children go into the host's shadow root when it has one.
fn append_built(dom: &mut Dom<'_>, parent: Idx, child: Idx, sn: &SNode) -> DomResult {
    let shadow = dom.shadow_root(parent);
    match shadow {
        Some(root) if sn.is_shadow => dom.append_child(root, child),
        _ => dom.append_child(parent, child),
    }
}

type Built = (Idx, bool, ChildPlan, u32);

/// The part of `buildNodeWithSN` before the children: the duplicate guard, the node itself,
/// the document special case and the mirror registration.
fn build_one<'s, 'r>(dom: &mut Dom<'r>, sn: &'s SNode, doc: Idx, text: Option<&str>, src: &impl Source<'s, 'r>) -> DomResult<Option<Built>> {
    if let Some(existing) = dom.get(sn.id) {
        if dom.meta(existing).is_some_and(|m| m.equals(sn)) {
            let meta = dom.node(existing).meta;
            return Ok(Some((existing, false, ChildPlan { overrides: Vec::new(), drop_children: false }, meta)));
        }
    }
    let (node, plan) = match &sn.kind {
        NodeKind::Document { .. } => (doc, ChildPlan { overrides: Vec::new(), drop_children: false }),
        _ => build_node(dom, sn, text, src)?,
    };
    if let Some(root_id) = sn.root_id.filter(|&r| r != 0) {
        if dom.get(root_id) != Some(doc) {
            replace(dom, root_id, doc);
        }
    }
    if let NodeKind::Document { compat_mode } = &sn.kind {
        open_document(dom, doc, compat_mode.as_deref(), sn)?;
    }
    let meta = match text {
        Some(t) => {
            let mut owned = Meta::of(sn);
            if let MetaKind::Text { text: mt } = &mut owned.kind {
                *mt = Str::new(t);
            }
            MetaRef::Owned(Arc::new(owned))
        }
        None => src.meta(sn),
    };
    let m = dom.push_meta(meta);
    let n = dom.node_mut(node);
    n.meta = m;
    n.id = sn.id;
    dom.mirror.set(sn.id, node.0);
    Ok(Some((node, true, plan, m)))
}

/// rrweb's `mirror.replace(id, n)`: the id now maps to `n`, which takes over the old meta.
pub fn replace(dom: &mut Dom<'_>, id: i64, n: Idx) {
    if let Some(old) = dom.get(id) {
        let meta = dom.node(old).meta;
        if meta != NIL {
            let mid = dom.metas[meta as usize].id();
            let node = dom.node_mut(n);
            node.meta = meta;
            node.id = mid;
        }
    }
    dom.mirror.set(id, n.0);
}

/// `doc.close(); doc.open()` and the quirks doctype rrweb writes for BackCompat documents.
fn open_document(dom: &mut Dom<'_>, doc: Idx, compat_mode: Option<&str>, sn: &SNode) -> DomResult {
    if !matches!(dom.node(doc).data, Data::Document { .. }) {
        return Err(hierarchy("cannot open a non-document"));
    }
    dom.clear_children(doc);
    if compat_mode == Some("BackCompat") {
        let Some(first) = sn.children.first() else {
            return Err(DomError("TypeError: Cannot read properties of undefined (reading 'type')".into()));
        };
        if !matches!(first.kind, NodeKind::DocumentType { .. }) {
            let xhtml = matches!(&first.kind, NodeKind::Element { attributes, .. }
                if is_str(attributes, "xmlns", "http://www.w3.org/1999/xhtml"));
            let public = if xhtml { "-//W3C//DTD XHTML 1.0 Transitional//EN" } else { "-//W3C//DTD HTML 4.0 Transitional//EN" };
            let dt = dom.push(Node::new(Data::Doctype { name: Text::Ref("html"), public_id: Text::Ref(public), system_id: Text::Ref("") }));
            dom.append_child(doc, dt)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_extensions_like_rrweb() {
        assert_eq!(file_extension("http://x.invalid/a/b.js?x=1#y").as_deref(), Some("js"));
        assert_eq!(file_extension("http://x.invalid/a.JS").as_deref(), Some("JS"));
        assert_eq!(file_extension("http://x.invalid/").as_deref(), None);
        assert_eq!(file_extension("/rel/path.mjs").as_deref(), Some("mjs"));
    }

    #[test]
    fn element_names() {
        assert!(valid_element_name("div"));
        assert!(valid_element_name("my-el"));
        assert!(!valid_element_name(""));
        assert!(!valid_element_name("a b"));
        assert!(!valid_element_name("1abc"));
    }
}
