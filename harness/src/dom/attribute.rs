//! `setAttribute` / `removeAttribute` as Chromium does them for rrweb: name validation, ASCII
//! lower-casing on HTML elements, and the oracle's tracking of names a write touched.

use super::arena::{Dom, DomError, DomResult};
use super::node::{Idx, Text};

/// Chromium's `setAttribute` rejects names that are empty or contain ASCII whitespace, NUL,
/// `/`, `>` or `=` (CANONICAL.md §4.2 A0).
pub fn valid_attribute_name(name: &str) -> bool {
    !name.is_empty()
        && !name.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | 0 | b'/' | b'>' | b'='))
}

fn invalid(name: &str) -> DomError {
    DomError(format!("InvalidCharacterError: '{name}' is not a valid attribute name."))
}

/// The name an attribute gets on this element: ASCII lower case on HTML elements.
fn live_name<'r>(dom: &Dom<'r>, el: Idx, name: Text<'r>) -> Text<'r> {
    match dom.element(el) {
        Some(e) if !e.svg && name.bytes().any(|b| b.is_ascii_uppercase()) => Text::owned(name.to_ascii_lowercase()),
        _ => name,
    }
}

/// Whether the oracle records a write of `name` on this element (CANONICAL.md §2).
fn tracked(local: &str, lower: &str) -> bool {
    lower == "onload"
        || lower == "onclick"
        || lower.starts_with("onmouse")
        || (local == "meta" && lower == "content")
        || ((local == "link" || local == "img") && !lower.starts_with("rrweb-original-"))
}

/// `tracked` for an ASCII name, without lower-casing it first.
fn tracked_ascii(local: &str, raw: &str) -> bool {
    let starts = |p: &str| raw.len() >= p.len() && raw.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    raw.eq_ignore_ascii_case("onload")
        || raw.eq_ignore_ascii_case("onclick")
        || starts("onmouse")
        || (local == "meta" && raw.eq_ignore_ascii_case("content"))
        || ((local == "link" || local == "img") && !starts("rrweb-original-"))
}

fn track(dom: &mut Dom<'_>, el: Idx, raw: &str) {
    if !raw.starts_with(['o', 'O']) && !raw.starts_with(['c', 'C']) && !matches!(dom.element(el), Some(e) if matches!(&*e.local, "link" | "img")) {
        return;
    }
    // `class` and the like are not tracked: tell so without allocating a lower-case copy.
    if raw.is_ascii() && !dom.element(el).is_some_and(|e| tracked_ascii(&e.local, raw)) {
        return;
    }
    let lower = raw.to_lowercase();
    if let Some(e) = dom.element_mut(el) {
        if tracked(&e.local, &lower) {
            e.touch(&lower);
        }
    }
}

/// `el.setAttribute(name, value)`. Non-elements fail like a missing method would.
pub fn set_attribute<'r>(dom: &mut Dom<'r>, el: Idx, name: Text<'r>, value: Text<'r>) -> DomResult {
    if dom.element(el).is_none() {
        return Err(DomError("TypeError: target.setAttribute is not a function".into()));
    }
    if !valid_attribute_name(&name) {
        return Err(invalid(&name));
    }
    track(dom, el, &name);
    let live = live_name(dom, el, name);
    let watched = matches!(&*live, "checked" | "name" | "type");
    let old_type = old_input_type(dom, el, &live);
    if let Some(e) = dom.element_mut(el) {
        e.set_attr(live.clone(), value);
    }
    if watched {
        changed(dom, el, &live);
    }
    if let Some(old) = old_type {
        super::form::type_changed(dom, el, old.as_deref());
    }
    Ok(())
}

/// An input's `type` before a write of `name`, when that write may change it.
fn old_input_type(dom: &Dom<'_>, el: Idx, name: &str) -> Option<Option<String>> {
    (name == "type" && dom.node(el).is_html("input")).then(|| dom.element(el).and_then(|e| e.attr("type")).map(str::to_owned))
}

fn changed(dom: &mut Dom<'_>, el: Idx, live: &str) {
    if matches!(live, "checked" | "name" | "type") {
        super::form::attribute_changed(dom, el, live);
    }
}

/// `el.setAttributeNS(ns, qualifiedName, value)` for `xlink:href`: no lower-casing.
pub fn set_attribute_ns<'r>(dom: &mut Dom<'r>, el: Idx, qualified: Text<'r>, value: Text<'r>) -> DomResult {
    if !valid_attribute_name(&qualified) {
        return Err(invalid(&qualified));
    }
    track(dom, el, &qualified);
    if let Some(e) = dom.element_mut(el) {
        e.set_attr(qualified, value);
    }
    Ok(())
}

/// `el.removeAttribute(name)`; a missing attribute is not an error.
pub fn remove_attribute<'r>(dom: &mut Dom<'r>, el: Idx, name: &'r str) -> DomResult {
    if dom.element(el).is_none() {
        return Err(DomError("TypeError: target.removeAttribute is not a function".into()));
    }
    let live = live_name(dom, el, Text::Ref(name));
    let old_type = old_input_type(dom, el, &live);
    if let Some(e) = dom.element_mut(el) {
        e.remove_attr(&live);
    }
    track(dom, el, name);
    changed(dom, el, &live);
    if let Some(old) = old_type {
        super::form::type_changed(dom, el, old.as_deref());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracked_names_without_lower_casing() {
        for local in ["div", "meta", "link", "img"] {
            for raw in ["onload", "OnClick", "onMouseOver", "content", "CONTENT", "class", "href", "rrweb-original-src", "Rrweb-Original-X", "o", "c"] {
                assert_eq!(tracked_ascii(local, raw), tracked(local, &raw.to_lowercase()), "{local} {raw}");
            }
        }
    }

    #[test]
    fn attribute_names_chromium_rejects() {
        for ok in ["a", "@click", ":class", "data-x", "xlink:href", "ä"] {
            assert!(valid_attribute_name(ok), "{ok}");
        }
        for bad in ["", "a b", "a/b", "a>b", "a=b", "a\0"] {
            assert!(!valid_attribute_name(bad), "{bad:?}");
        }
    }
}
