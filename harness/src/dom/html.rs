//! A sanitized static HTML document of a DOM state, for a later render mode to load in
//! Chromium: no scripts, no event handlers, no `javascript:` URLs, no external loads (also
//! forbidden by a CSP meta), blocked elements as sized placeholders, recorded CSS inlined, form
//! state written as attributes, shadow roots as declarative `<template shadowrootmode>`.

use super::arena::Dom;
use super::describe::is_blocked;
use super::node::{Data, Idx};
use super::text::js_number;
use super::view;

const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; media-src data:";
const MAX_FRAME_DEPTH: usize = 16;

fn void(tag: &str) -> bool {
    matches!(tag, "area" | "base" | "br" | "col" | "embed" | "hr" | "img" | "input" | "link" | "meta" | "param" | "source" | "track" | "wbr")
}

fn escape_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
}

fn escape_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            c => out.push(c),
        }
    }
}

/// CSS with every load removed: `@import` rules dropped, non-`data:` `url()`s emptied, IE
/// `expression()` neutralized, and no way to close the `<style>` element.
pub fn sanitize_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(p) = find_ci(rest, "url(") {
        out.push_str(&rest[..p]);
        let after = &rest[p + 4..];
        let end = after.find(')').map_or(after.len(), |e| e + 1);
        let inner = after[..end.saturating_sub(1)].trim().trim_matches(['"', '\'']);
        if inner.get(..5).is_some_and(|s| s.eq_ignore_ascii_case("data:")) {
            out.push_str(&rest[p..p + 4 + end]);
        } else {
            out.push_str("url(\"\")");
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    let mut cleaned = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(p) = find_ci(rest, "@import") {
        cleaned.push_str(&rest[..p]);
        let end = rest[p..].find(';').map_or(rest.len(), |e| p + e + 1);
        rest = &rest[end..];
    }
    cleaned.push_str(rest);
    cleaned.replace("expression(", "x-expression(").replace("</", "<\\/")
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..h.len().checked_sub(n.len())? + 1).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Attributes that make the browser fetch something or run code, or (`autofocus`) move focus and
/// scroll the page after it has loaded, which a static document of one instant must not do.
fn dangerous(tag: &str, name: &str, value: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("on") || lower == "srcdoc" || lower == "srcset" || lower == "ping" || lower == "manifest" || lower == "autofocus" {
        return true;
    }
    let v = value.trim_start().to_ascii_lowercase();
    if v.starts_with("javascript:") || v.starts_with("vbscript:") {
        return true;
    }
    let url_attr = matches!(
        lower.as_str(),
        "src" | "href" | "xlink:href" | "action" | "formaction" | "poster" | "data" | "background" | "codebase" | "cite" | "longdesc" | "lowsrc" | "dynsrc" | "usemap"
    );
    if !url_attr {
        return false;
    }
    // Anchors only load on a click; everything else would fetch.
    let navigational = matches!(tag, "a" | "area") && lower == "href";
    !(navigational || v.starts_with("data:") || v.starts_with('#'))
}

/// `<style>` elements for the constructed sheets a document or shadow host adopted.
fn adopted_styles(dom: &Dom<'_>, host: Idx) -> String {
    let Some(ids) = dom.sheets.adopted.get(&host.0) else { return String::new() };
    let mut out = String::new();
    for id in ids {
        if let Some(sheet) = dom.sheets.constructed.get(id) {
            out.push_str(&format!("<style data-reprise-adopted=\"{id}\">{}</style>", sanitize_css(&sheet.rules.join("\n"))));
        }
    }
    out
}

enum Step {
    Open(Idx, usize),
    Close(String),
}

/// The sanitized document of the whole DOM.
pub fn document(dom: &Dom<'_>) -> String {
    if dom.mirrored_id(dom.top()).is_none() {
        return format!("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\"></head><body></body></html>\n");
    }
    let mut out = document_of(dom, dom.top(), 0);
    out.push('\n');
    out
}

/// One node's subtree as an HTML fragment (for `--selector` / `--node`).
pub fn fragment(dom: &Dom<'_>, node: Idx) -> String {
    let mut out = String::new();
    write(dom, node, 0, &mut out);
    out
}

fn document_of(dom: &Dom<'_>, doc: Idx, depth: usize) -> String {
    let mut out = String::from("<!DOCTYPE html>");
    let has_head = dom.children(doc).any(|h| dom.element(h).is_some() && dom.children(h).any(|c| dom.node(c).is_html("head")));
    if !has_head {
        out.push_str(&format!("<meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"));
    }
    write(dom, doc, depth, &mut out);
    out
}

fn write(dom: &Dom<'_>, root: Idx, frame_depth: usize, out: &mut String) {
    let mut stack = vec![Step::Open(root, 0)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Close(s) => out.push_str(&s),
            Step::Open(n, in_style) => open(dom, n, in_style == 1, frame_depth, out, &mut stack),
        }
    }
}

fn push_children(dom: &Dom<'_>, parent: Idx, in_style: bool, stack: &mut Vec<Step>) {
    let mut c = dom.last_child(parent);
    while let Some(x) = c {
        if dom.mirrored_id(x).is_some() || (in_style && dom.node(x).is_text()) {
            stack.push(Step::Open(x, usize::from(in_style)));
        }
        c = dom.prev_sibling(x);
    }
}

fn open(dom: &Dom<'_>, n: Idx, in_style: bool, frame_depth: usize, out: &mut String, stack: &mut Vec<Step>) {
    match &dom.node(n).data {
        Data::Document { .. } => {
            if let Some(sc) = view::state(dom, n).scroll {
                out.push_str(&format!("<!-- reprise: window scroll {},{} -->", js_number(sc.0), js_number(sc.1)));
            }
            push_children(dom, n, false, stack);
        }
        Data::Doctype { .. } | Data::ShadowRoot { .. } => {}
        Data::Text(t) | Data::CData(t) => {
            if in_style {
                out.push_str(&sanitize_css(t));
            } else {
                escape_text(out, t);
            }
        }
        Data::Comment(t) => {
            out.push_str("<!--");
            out.push_str(&t.replace("--", "- -").replace('>', "&gt;"));
            out.push_str("-->");
        }
        Data::Element(e) => {
            let tag = dom.meta(n).and_then(|m| m.tag()).unwrap_or("div").to_ascii_lowercase();
            let built_style = !e.svg && &*e.local == "style";
            if matches!(tag.as_str(), "script" | "noscript" | "base" | "object" | "embed" | "applet" | "frame" | "frameset" | "portal")
                || (tag == "link" && !built_style)
                || (tag == "meta" && e.attr("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("refresh")))
            {
                return;
            }
            let tag = if built_style { "style".to_string() } else { tag };
            let st = view::state(dom, n);
            let blocked = is_blocked(dom, n);
            out.push('<');
            out.push_str(&tag);
            let mut attrs = view::attributes(dom, n);
            attrs.retain(|(k, v)| !k.starts_with("rr_") && !dangerous(&tag, k, v));
            if tag == "input" {
                let checkable = matches!(e.attr("type").map(str::to_ascii_lowercase).as_deref(), Some("checkbox" | "radio"));
                if checkable {
                    attrs.retain(|(k, _)| k != "checked");
                    if st.checked {
                        attrs.push(("checked".into(), String::new()));
                    }
                } else if let Some(v) = &st.value {
                    attrs.retain(|(k, _)| k != "value");
                    attrs.push(("value".into(), v.clone()));
                }
            }
            if tag == "option" {
                attrs.retain(|(k, _)| k != "selected");
                if st.selected {
                    attrs.push(("selected".into(), String::new()));
                }
            }
            if blocked {
                let (w, h) = match dom.meta(n) {
                    Some(m) => (m.str_attribute("rr_width").unwrap_or("0"), m.str_attribute("rr_height").unwrap_or("0")),
                    None => ("0", "0"),
                };
                attrs.retain(|(k, _)| k != "style");
                attrs.push(("data-reprise-blocked".into(), String::new()));
                attrs.push(("style".into(), format!("display:inline-block;width:{w};height:{h};background:#ccc")));
            }
            if let Some(v) = attrs.iter_mut().find(|(k, _)| k == "style") {
                v.1 = sanitize_css(&v.1);
            }
            if let Some((x, y)) = st.scroll {
                attrs.push(("data-reprise-scroll".into(), format!("{},{}", js_number(x), js_number(y))));
            }
            if let Some(id) = dom.mirrored_id(n) {
                attrs.push(("data-reprise-id".into(), id.to_string()));
            }
            if tag == "iframe" {
                attrs.retain(|(k, _)| k != "src");
                let inner = dom.content_document(n).filter(|&d| dom.mirrored_id(d).is_some() && frame_depth < MAX_FRAME_DEPTH);
                if let Some(cd) = inner {
                    attrs.push(("srcdoc".into(), document_of(dom, cd, frame_depth + 1)));
                }
                attrs.push(("sandbox".into(), String::new()));
            }
            for (k, v) in &attrs {
                out.push(' ');
                out.push_str(k);
                out.push_str("=\"");
                escape_attr(out, v);
                out.push('"');
            }
            out.push('>');
            if void(&tag) {
                return;
            }
            stack.push(Step::Close(format!("</{tag}>")));
            if tag == "head" {
                out.push_str(&format!("<meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"));
            }
            if blocked {
                return;
            }
            if tag == "textarea" {
                escape_text(out, st.value.as_deref().unwrap_or(""));
                return;
            }
            if tag == "head" {
                if let Some(doc) = dom.parent(n).and_then(|h| dom.parent(h)) {
                    stack.push(Step::Close(adopted_styles(dom, doc)));
                }
            }
            match dom.sheets.elements.get(&n.0).filter(|_| built_style) {
                // The CSSOM was edited after the text: its rules are what the page showed.
                Some(sheet) => out.push_str(&sanitize_css(&sheet.rules.join("\n"))),
                None => push_children(dom, n, built_style, stack),
            }
            if let Some(root) = dom.shadow_root(n) {
                stack.push(Step::Close("</template>".into()));
                push_children(dom, root, false, stack);
                out.push_str("<template shadowrootmode=\"open\">");
                out.push_str(&adopted_styles(dom, n));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_loads_are_removed() {
        assert_eq!(
            sanitize_css("@import url(x.css); a{background:url('http://e/x.png')} b{c:url(data:image/png;base64,AA)}</style>"),
            " a{background:url(\"\")} b{c:url(data:image/png;base64,AA)}<\\/style>"
        );
        assert!(dangerous("img", "src", "http://e/x.png"));
        assert!(!dangerous("img", "src", "data:image/png;base64,AA"));
        assert!(dangerous("a", "href", " JavaScript:alert(1)"));
        assert!(!dangerous("a", "href", "https://example.org/"));
        assert!(dangerous("div", "onClick", "x()"));
        assert!(dangerous("input", "autofocus", ""));
    }
}
