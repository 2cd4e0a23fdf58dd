//! How other modules name a node: a stable CSS selector (id, then test ids, aria-label, name,
//! then a tag.class:nth-of-type path) and a human label (its visible text), with masked text
//! flagged and never unmasked.

use super::arena::Dom;
use super::node::{Data, Idx};

/// A node as the events module reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeDescription {
    /// The rrweb id that was asked about.
    pub id: i64,
    /// The recorded tag of the element described (a text node is described by its parent).
    pub tag: String,
    /// A selector that matches exactly this element in its document (see docs/selectors.md).
    pub selector: String,
    /// For an element inside an iframe document: the iframe element's selector.
    pub frame: Option<String>,
    /// The element's visible text (or aria-label, label, placeholder, alt, title), trimmed.
    pub label: Option<String>,
    /// The label is masked text as recorded (`***`); it is never unmasked.
    pub masked: bool,
    /// The element was blocked at record time (rrweb's `rr-block`): no content was recorded.
    pub blocked: bool,
}

const LABEL_MAX: usize = 80;

/// Describes the node with this rrweb id, if the mirror holds it.
pub fn describe(dom: &Dom<'_>, id: i64) -> Option<NodeDescription> {
    let n = dom.get(id)?;
    let el = element_for(dom, n)?;
    let tag = dom.meta(el).and_then(|m| m.tag()).unwrap_or("").to_string();
    let blocked = is_blocked(dom, el);
    let (label, masked) = if blocked { (None, false) } else { label(dom, el) };
    let frame = dom
        .connected_document(el)
        .and_then(|d| dom.frame_of(d))
        .map(|f| stable_selector(dom, f));
    Some(NodeDescription { id, tag, selector: stable_selector(dom, el), frame, label, masked, blocked })
}

/// The element a node stands for: itself, or the parent element of a text node.
fn element_for(dom: &Dom<'_>, n: Idx) -> Option<Idx> {
    match dom.node(n).data {
        Data::Element(_) => Some(n),
        Data::Document { .. } => dom.children(n).find(|&c| dom.element(c).is_some()),
        _ => dom.parent(n).filter(|&p| dom.element(p).is_some()),
    }
}

pub fn is_blocked(dom: &Dom<'_>, el: Idx) -> bool {
    dom.meta(el).is_some_and(|m| m.str_attribute("rr_width").is_some() || m.str_attribute("rr_height").is_some())
}

/// Text that is all `*` and whitespace: rrweb's masking output.
pub fn is_masked_text(s: &str) -> bool {
    s.contains('*') && s.chars().all(|c| c == '*' || c.is_whitespace())
}

fn attr<'a>(dom: &'a Dom<'_>, el: Idx, name: &str) -> Option<&'a str> {
    dom.element(el).and_then(|e| e.attr(name)).filter(|v| !v.is_empty())
}

fn tag(dom: &Dom<'_>, el: Idx) -> String {
    dom.meta(el).and_then(|m| m.tag()).unwrap_or("*").to_ascii_lowercase()
}

/// The root of the tree the element lives in (document or shadow root).
fn scope(dom: &Dom<'_>, el: Idx) -> Idx {
    dom.root(el)
}

/// How many elements of `root`'s tree (not entering shadow trees or frames) satisfy `pred`,
/// stopping at two.
fn count_up_to_two(dom: &Dom<'_>, root: Idx, pred: impl Fn(Idx) -> bool) -> usize {
    let mut n = 0;
    dom.walk_light(root, |d, x| {
        if n < 2 && d.element(x).is_some() && pred(x) {
            n += 1;
        }
        n < 2
    });
    n
}

fn unique_attr(dom: &Dom<'_>, el: Idx, name: &str, value: &str, same_tag: bool) -> bool {
    let t = tag(dom, el);
    count_up_to_two(dom, scope(dom, el), |x| {
        attr(dom, x, name) == Some(value) && (!same_tag || tag(dom, x) == t)
    }) == 1
}

/// CSS identifier escaping for `#id` and `.class`.
pub fn css_ident(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        let first_digit = i == 0 && c.is_ascii_digit();
        let second_digit_after_dash = i == 1 && c.is_ascii_digit() && s.starts_with('-');
        if first_digit || second_digit_after_dash {
            out.push_str(&format!("\\{:x} ", c as u32));
        } else if c.is_ascii_alphanumeric() || c == '-' || c == '_' || !c.is_ascii() {
            out.push(c);
        } else if c.is_ascii_control() {
            out.push_str(&format!("\\{:x} ", c as u32));
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    if out == "-" {
        return "\\-".into();
    }
    out
}

/// A quoted CSS string.
pub fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A selector matching exactly this element in its document: its id, a test id, aria-label or
/// name when unique there, else a `tag.class:nth-of-type(k)` path from the nearest ancestor
/// with a unique id (or the root).
pub fn stable_selector(dom: &Dom<'_>, el: Idx) -> String {
    if let Some(id) = attr(dom, el, "id") {
        if unique_attr(dom, el, "id", id, false) {
            return format!("#{}", css_ident(id));
        }
    }
    for name in ["data-testid", "data-test-id", "data-cy"] {
        if let Some(v) = attr(dom, el, name) {
            if unique_attr(dom, el, name, v, false) {
                return format!("[{name}={}]", css_string(v));
            }
        }
    }
    for name in ["aria-label", "name"] {
        if let Some(v) = attr(dom, el, name) {
            if unique_attr(dom, el, name, v, true) {
                return format!("{}[{name}={}]", tag(dom, el), css_string(v));
            }
        }
    }
    path(dom, el)
}

fn path(dom: &Dom<'_>, el: Idx) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = el;
    loop {
        parts.push(segment(dom, cur));
        let Some(parent) = dom.parent(cur) else { break };
        let (parent, joiner) = match dom.node(parent).data {
            Data::Element(_) => (parent, " > "),
            Data::ShadowRoot { .. } => match dom.shadow_host(parent) {
                Some(h) => (h, " "),
                None => break,
            },
            _ => break,
        };
        parts.push(joiner.to_string());
        if let Some(id) = attr(dom, parent, "id") {
            if unique_attr(dom, parent, "id", id, false) {
                parts.push(format!("#{}", css_ident(id)));
                break;
            }
        }
        cur = parent;
    }
    parts.reverse();
    parts.concat()
}

fn segment(dom: &Dom<'_>, el: Idx) -> String {
    let t = tag(dom, el);
    let mut s = css_ident(&t);
    if let Some(class) = attr(dom, el, "class") {
        for c in class.split_ascii_whitespace().take(2) {
            s.push('.');
            s.push_str(&css_ident(c));
        }
    }
    let Some(parent) = dom.parent(el) else { return s };
    let same: Vec<Idx> = dom.children(parent).filter(|&c| dom.element(c).is_some() && tag(dom, c) == t).collect();
    if same.len() > 1 {
        let k = same.iter().position(|&c| c == el).unwrap_or(0) + 1;
        s.push_str(&format!(":nth-of-type({k})"));
    }
    s
}

/// Visible text of an element's light subtree, whitespace collapsed; script/style text skipped.
fn visible_text(dom: &Dom<'_>, el: Idx) -> String {
    let mut s = String::new();
    dom.walk_light(el, |d, n| {
        if let Some(e) = d.element(n) {
            if n != el && matches!(&*e.local, "script" | "noscript" | "style" | "template" | "head" | "title") {
                return false;
            }
            if n != el && is_blocked(d, n) {
                return false;
            }
        }
        if let Data::Text(t) = &d.node(n).data {
            s.push_str(t);
            s.push(' ');
        }
        s.len() < 4 * LABEL_MAX
    });
    collapse(&s)
}

fn collapse(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut out = words.join(" ");
    if out.chars().count() > LABEL_MAX {
        out = out.chars().take(LABEL_MAX - 1).collect::<String>() + "…";
    }
    out
}

/// The label text of a form control from a `<label for=id>` or an enclosing `<label>`.
fn label_element_text(dom: &Dom<'_>, el: Idx) -> Option<String> {
    let mut cur = dom.parent(el);
    while let Some(p) = cur {
        if dom.node(p).is_html("label") {
            return Some(visible_text(dom, p)).filter(|t| !t.is_empty());
        }
        cur = dom.parent(p);
    }
    let id = attr(dom, el, "id")?;
    let mut found = None;
    dom.walk_light(scope(dom, el), |d, n| {
        if found.is_none() && d.node(n).is_html("label") && attr(d, n, "for") == Some(id) {
            found = Some(n);
        }
        found.is_none()
    });
    found.map(|l| visible_text(dom, l)).filter(|t| !t.is_empty())
}

fn label(dom: &Dom<'_>, el: Idx) -> (Option<String>, bool) {
    let t = tag(dom, el);
    if matches!(t.as_str(), "style" | "script" | "noscript" | "head" | "title" | "meta" | "link" | "template" | "html") {
        return (None, false);
    }
    let mut candidates: Vec<String> = Vec::new();
    if let Some(a) = attr(dom, el, "aria-label") {
        candidates.push(collapse(a));
    }
    if matches!(t.as_str(), "input" | "select" | "textarea") {
        if let Some(l) = label_element_text(dom, el) {
            candidates.push(l);
        }
        if let Some(p) = attr(dom, el, "placeholder") {
            candidates.push(collapse(p));
        }
        let ty = attr(dom, el, "type").unwrap_or("").to_ascii_lowercase();
        if t == "input" && matches!(ty.as_str(), "submit" | "button" | "reset") {
            if let Some(v) = attr(dom, el, "value") {
                candidates.push(collapse(v));
            }
        }
    } else {
        candidates.push(visible_text(dom, el));
    }
    if t == "img" {
        if let Some(a) = attr(dom, el, "alt") {
            candidates.push(collapse(a));
        }
    }
    if let Some(title) = attr(dom, el, "title") {
        candidates.push(collapse(title));
    }
    let label = candidates.into_iter().find(|c| !c.is_empty());
    let masked = label.as_deref().is_some_and(is_masked_text);
    (label, masked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(css_ident("a.b"), "a\\.b");
        assert_eq!(css_ident("1x"), "\\31 x");
        assert_eq!(css_string("a\"b"), "\"a\\\"b\"");
        assert!(is_masked_text("*** **") && !is_masked_text("a**") && !is_masked_text("  "));
    }
}
