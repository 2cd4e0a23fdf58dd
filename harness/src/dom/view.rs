//! The recorded-page view of an element: its attributes after the replay renames are undone
//! (CANONICAL.md §4.2 A0–A6) and its form state. Shared by every output and by selectors.

use super::arena::Dom;
use super::build::{js_string, truthy};
use super::form;
use super::node::Idx;
use crate::model::{AttrValue, Str};

/// The extension rrweb's `extractFileExtension` reports for an absolute or relative URL.
fn extension(href: &str) -> Option<&str> {
    let path = href.split(['#', '?']).next().unwrap_or("");
    let path = match path.find("://") {
        Some(p) => path[p + 3..].find('/').map(|s| &path[p + 3 + s..]).unwrap_or(""),
        None => path,
    };
    let dot = path.rfind('.')?;
    let ext = &path[dot + 1..];
    (!ext.is_empty() && ext.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(ext)
}

/// Elements rrweb builds without their recorded attributes (A6).
fn built_without_attributes(tag: &str, attrs: &[(Str, AttrValue)]) -> bool {
    let get = |n: &str| attrs.iter().find(|(k, _)| k == n).map(|(_, v)| v);
    let is = |n: &str, v: &str| matches!(get(n), Some(AttrValue::Str(s)) if s == v);
    if tag == "link" && !get("_cssText").is_some_and(truthy) {
        let prefetch_js = is("rel", "prefetch") && matches!(get("href"), Some(AttrValue::Str(h)) if extension(h) == Some("js"));
        return (is("rel", "preload") && is("as", "script")) || is("rel", "modulepreload") || prefetch_js;
    }
    tag == "img" && matches!(get("rr_dataURL"), Some(AttrValue::Str(_)))
}

/// The element's attributes as the canonical text prints them, sorted by code point.
pub fn attributes(dom: &Dom<'_>, i: Idx) -> Vec<(String, String)> {
    let (Some(e), Some(meta)) = (dom.element(i), dom.meta(i)) else { return Vec::new() };
    let tag = meta.tag().unwrap_or("");
    let sn = meta.attributes();
    let mut out: Vec<(String, String)> = Vec::new();
    let put = |out: &mut Vec<(String, String)>, k: &str, v: &str| match out.iter_mut().find(|(n, _)| n == k) {
        Some(slot) => slot.1 = v.to_string(),
        None => out.push((k.to_string(), v.to_string())),
    };
    if built_without_attributes(tag, sn) {
        for (name, value) in sn {
            if matches!(value, AttrValue::Null | AttrValue::Bool(false)) || name.starts_with("rr_") || name == "_cssText" {
                continue;
            }
            let v = match value {
                AttrValue::Bool(true) => String::new(),
                v => js_string(v),
            };
            put(&mut out, name, &v);
        }
        for t in &e.touched {
            match e.attr(t) {
                Some(v) => put(&mut out, t, v),
                None => out.retain(|(n, _)| n != &**t),
            }
        }
    } else {
        for (name, value) in e.attrs.iter() {
            if name.starts_with("rr_") && name != "rr_open_mode" {
                continue;
            }
            if (tag == "input" || tag == "textarea") && name == "autocomplete" {
                continue;
            }
            let mut out_name = name;
            if name == "_onload" || name == "_onclick" || name.starts_with("_onmouse") {
                out_name = &name[1..];
                if e.has_attr(out_name) || e.is_touched(out_name) {
                    continue;
                }
            } else if tag == "meta" && name == "csp-content" {
                out_name = "content";
                if e.has_attr("content") || e.is_touched("content") {
                    continue;
                }
            } else if tag == "img" && (name == "rrweb-original-src" || name == "rrweb-original-srcset") {
                continue;
            }
            put(&mut out, out_name, value);
        }
        let w = meta.str_attribute("rr_width");
        let h = meta.str_attribute("rr_height");
        if w.is_some() || h.is_some() {
            out.retain(|(n, _)| n != "style");
            if let Some(w) = w {
                put(&mut out, "rr_width", w);
            }
            if let Some(h) = h {
                put(&mut out, "rr_height", h);
            }
        }
    }
    out.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    out
}

/// Form state as the canonical text shows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    pub checked: bool,
    pub scroll: Option<(f64, f64)>,
    pub selected: bool,
    pub value: Option<String>,
}

/// The pseudo-attributes of a node (CANONICAL.md §4.4–4.5).
pub fn state(dom: &Dom<'_>, i: Idx) -> State {
    let n = dom.node(i);
    let nz = |v: f64| if v.is_nan() { 0.0 } else { v };
    let scroll = n.scroll.map(|(x, y)| (nz(x), nz(y))).filter(|&(x, y)| !(x == 0.0 && y == 0.0));
    let mut s = State { scroll, ..State::default() };
    let (Some(e), Some(meta)) = (n.element(), dom.meta(i)) else { return s };
    if e.svg {
        return s;
    }
    let tag = meta.tag().unwrap_or("");
    let checkable = tag == "input" && form::is_checkable(dom, i);
    s.checked = checkable && form::checked(dom, i);
    s.selected = tag == "option" && n.is_html("option") && form::option_selected(dom, i);
    if tag == "textarea" || ((tag == "input" || tag == "select") && n.input_touched && !checkable) {
        s.value = form::value(dom, i);
    }
    s
}
