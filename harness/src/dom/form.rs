//! Form-control state as Chromium keeps it for rrweb: checkedness with the radio-group rule,
//! option selectedness, and the `.value` of inputs, selects and textareas (CANONICAL.md §4.4).

use super::arena::Dom;
use super::node::{Idx, Text};
use super::sanitize::{input_type, sanitize, value_mode, Limits, ValueMode};

fn is_ascii_ws(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ')
}

/// The type an HTML input element behaves as, or None for other nodes.
pub fn type_of(dom: &Dom<'_>, i: Idx) -> Option<&'static str> {
    let n = dom.node(i);
    n.is_html("input").then(|| input_type(n.element().and_then(|e| e.attr("type"))))
}

fn is_radio(dom: &Dom<'_>, i: Idx) -> bool {
    type_of(dom, i) == Some("radio")
}

/// Whether an input is a checkbox or radio by its `type` attribute (ASCII case-insensitive).
pub fn is_checkable(dom: &Dom<'_>, i: Idx) -> bool {
    matches!(type_of(dom, i), Some("checkbox" | "radio"))
}

pub fn checked(dom: &Dom<'_>, i: Idx) -> bool {
    dom.element(i).is_some_and(|e| e.form.checked)
}

/// The form owner key of a control: an ancestor form in the same tree, or its `form` attribute.
fn form_owner(dom: &Dom<'_>, i: Idx) -> Option<String> {
    if let Some(f) = dom.element(i).and_then(|e| e.attr("form")) {
        return Some(format!("attr:{f}"));
    }
    let mut cur = dom.parent(i);
    while let Some(c) = cur {
        if dom.node(c).is_html("form") {
            return Some(format!("node:{}", c.0));
        }
        cur = dom.parent(c);
    }
    None
}

/// A checked, connected, named radio unchecks the others of its group (same tree, form owner
/// and name).
fn uncheck_others(dom: &mut Dom<'_>, radio: Idx) {
    uncheck_group(dom, radio, &|_| true);
}

/// Unchecks the radios of `radio`'s group for which `registered` holds (the ones Chromium's
/// group registry already knows).
fn uncheck_group(dom: &mut Dom<'_>, radio: Idx, registered: &dyn Fn(Idx) -> bool) {
    let Some(name) = dom.element(radio).and_then(|e| e.attr("name")).filter(|n| !n.is_empty()).map(str::to_owned)
    else {
        return;
    };
    if !dom.is_connected(radio) {
        return;
    }
    let owner = form_owner(dom, radio);
    let root = dom.root(radio);
    let mut others = Vec::new();
    dom.walk_light(root, |d, n| {
        if n != radio
            && registered(n)
            && is_radio(d, n)
            && d.element(n).is_some_and(|e| e.form.checked && e.attr("name") == Some(name.as_str()))
        {
            others.push(n);
        }
        true
    });
    for o in others {
        if form_owner(dom, o) == owner {
            if let Some(e) = dom.element_mut(o) {
                e.form.checked = false;
            }
        }
    }
}

/// Chromium's insertion steps for a subtree that became connected: checked radios, in tree
/// order, take their group over (so the last one wins).
pub(crate) fn connected(dom: &mut Dom<'_>, root: Idx) {
    if dom.inputs == 0 {
        return;
    }
    let mut radios = Vec::new();
    let mut stack = vec![root];
    while let Some(top) = stack.pop() {
        dom.walk_light(top, |d, n| {
            if is_radio(d, n) && checked(d, n) {
                radios.push(n);
            }
            if let Some(s) = d.shadow_root(n) {
                stack.push(s);
            }
            true
        });
    }
    // Insertion steps run in tree order: each checked radio takes over from the radios the
    // registry already holds (connected before, or earlier in this subtree).
    for (k, &r) in radios.iter().enumerate() {
        if checked(dom, r) {
            let later = &radios[k + 1..];
            uncheck_group(dom, r, &|n| !later.contains(&n));
        }
    }
}

/// The `checked`, `name` or `type` attribute of an input changed.
pub(crate) fn attribute_changed(dom: &mut Dom<'_>, el: Idx, name: &str) {
    if !dom.node(el).is_html("input") {
        return;
    }
    if name == "checked" {
        let present = dom.element(el).is_some_and(|e| e.has_attr("checked"));
        let Some(e) = dom.element_mut(el) else { return };
        if e.form.dirty_checked {
            return;
        }
        e.form.checked = present;
        if present && is_radio(dom, el) {
            uncheck_others(dom, el);
        }
    } else if (name == "name" || name == "type") && checked(dom, el) && is_radio(dom, el) {
        uncheck_others(dom, el);
    }
}

/// HTML's steps when an input's `type` changes: the value moves between the dirty value and
/// the `value` attribute as the value mode requires, then is sanitized for the new type.
pub(crate) fn type_changed(dom: &mut Dom<'_>, el: Idx, old: Option<&str>) {
    let old_mode = value_mode(input_type(old));
    let new_ty = type_of(dom, el).unwrap_or("text");
    let new_mode = value_mode(new_ty);
    let Some(e) = dom.element_mut(el) else { return };
    match (old_mode, new_mode) {
        (ValueMode::Value, ValueMode::Default | ValueMode::DefaultOn) => {
            if let Some(v) = e.form.value.take().filter(|v| !v.is_empty()) {
                e.set_attr(Text::Ref("value"), v);
            }
        }
        (ValueMode::Default | ValueMode::DefaultOn, ValueMode::Value) | (_, ValueMode::Filename) => e.form.value = None,
        _ => {}
    }
    if new_mode == ValueMode::Value {
        if let Some(v) = e.form.value.clone() {
            let limits = Limits { min: e.attr("min"), max: e.attr("max"), step: e.attr("step"), multiple: e.has_attr("multiple") };
            let clean = sanitize(new_ty, &v, limits);
            e.form.value = Some(Text::owned(clean));
        }
    }
}

/// rrweb's `applyInput`: `target.checked = isChecked; target.value = text`, errors swallowed.
pub(crate) fn apply_input(dom: &mut Dom<'_>, target: Idx, text: &str, is_checked: bool) {
    dom.node_mut(target).input_touched = true;
    let local = match dom.element(target) {
        Some(e) if !e.svg => e.local.clone(),
        _ => return,
    };
    match &*local {
        "input" => {
            if let Some(e) = dom.element_mut(target) {
                e.form.checked = is_checked;
                e.form.dirty_checked = true;
            }
            if is_checked && is_radio(dom, target) {
                uncheck_others(dom, target);
            }
            let ty = type_of(dom, target).unwrap_or("text");
            match value_mode(ty) {
                ValueMode::Value => {
                    let v = {
                        let e = dom.element(target).expect("input");
                        let limits = Limits {
                            min: e.attr("min"),
                            max: e.attr("max"),
                            step: e.attr("step"),
                            multiple: e.has_attr("multiple"),
                        };
                        sanitize(ty, text, limits)
                    };
                    if let Some(e) = dom.element_mut(target) {
                        e.form.value = Some(Text::owned(v));
                    }
                }
                ValueMode::Default => {
                    if let Some(e) = dom.element_mut(target) {
                        e.set_attr(Text::Ref("value"), Text::owned(text));
                    }
                }
                // checkbox/radio: the oracle undoes the value attribute write; file: throws.
                ValueMode::DefaultOn | ValueMode::Filename => {}
            }
        }
        "textarea" => {
            if let Some(e) = dom.element_mut(target) {
                e.form.value = Some(Text::owned(text));
            }
        }
        "select" => {
            let opts = options_of(dom, target);
            let mut found = false;
            for o in opts {
                let hit = !found && option_value(dom, o) == text;
                found |= hit;
                if let Some(e) = dom.element_mut(o) {
                    e.form.selected = Some(hit);
                }
            }
        }
        "option" | "button" | "data" | "param" => {
            if let Some(e) = dom.element_mut(target) {
                e.set_attr(Text::Ref("value"), Text::owned(text));
            }
        }
        _ => {}
    }
}

/// A select's list of options: option children, and option children of optgroup children.
pub fn options_of(dom: &Dom<'_>, select: Idx) -> Vec<Idx> {
    let mut out = Vec::new();
    for c in dom.children(select) {
        if dom.node(c).is_html("option") {
            out.push(c);
        } else if dom.node(c).is_html("optgroup") {
            out.extend(dom.children(c).filter(|&g| dom.node(g).is_html("option")));
        }
    }
    out
}

/// An option's value: its `value` attribute, else its text stripped and collapsed.
pub fn option_value(dom: &Dom<'_>, o: Idx) -> String {
    if let Some(v) = dom.element(o).and_then(|e| e.attr("value")) {
        return v.to_string();
    }
    dom.text_content(o).split(is_ascii_ws).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
}

fn select_of(dom: &Dom<'_>, o: Idx) -> Option<Idx> {
    let p = dom.parent(o)?;
    if dom.node(p).is_html("select") {
        return Some(p);
    }
    if dom.node(p).is_html("optgroup") {
        return dom.parent(p).filter(|&s| dom.node(s).is_html("select"));
    }
    None
}

fn disabled(dom: &Dom<'_>, o: Idx) -> bool {
    dom.element(o).is_some_and(|e| e.has_attr("disabled"))
        || dom.parent(o).is_some_and(|p| dom.node(p).is_html("optgroup") && dom.element(p).is_some_and(|e| e.has_attr("disabled")))
}

/// Live selectedness of an option.
pub fn option_selected(dom: &Dom<'_>, o: Idx) -> bool {
    let own = dom.element(o);
    let has_attr = own.is_some_and(|e| e.has_attr("selected"));
    let Some(select) = select_of(dom, o) else { return has_attr };
    let opts = options_of(dom, select);
    if opts.iter().any(|&x| dom.element(x).is_some_and(|e| e.form.selected.is_some())) {
        return own.and_then(|e| e.form.selected).unwrap_or(has_attr);
    }
    let se = dom.element(select);
    let multiple = se.is_some_and(|e| e.has_attr("multiple"));
    let size = se.and_then(|e| e.attr("size")).and_then(parse_non_negative).unwrap_or(0);
    if multiple || size > 1 {
        return has_attr;
    }
    let with_attr = opts.iter().rev().find(|&&x| dom.element(x).is_some_and(|e| e.has_attr("selected")));
    match with_attr {
        Some(&last) => last == o,
        None => opts.iter().find(|&&x| !disabled(dom, x)) == Some(&o),
    }
}

fn parse_non_negative(s: &str) -> Option<u64> {
    let t = s.trim_start_matches(is_ascii_ws);
    let t = t.strip_prefix('+').unwrap_or(t);
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

fn normalize_newlines(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// The live `.value` of a textarea, input or select.
pub fn value(dom: &Dom<'_>, i: Idx) -> Option<String> {
    let n = dom.node(i);
    let e = n.element().filter(|e| !e.svg)?;
    match &*e.local {
        "textarea" => Some(normalize_newlines(&match &e.form.value {
            Some(v) => v.to_string(),
            None => dom.child_text(i),
        })),
        "select" => {
            let first = options_of(dom, i).into_iter().find(|&o| option_selected(dom, o));
            Some(first.map(|o| option_value(dom, o)).unwrap_or_default())
        }
        "input" => {
            let ty = input_type(e.attr("type"));
            Some(match value_mode(ty) {
                ValueMode::Value => match &e.form.value {
                    Some(v) => v.to_string(),
                    None => {
                        let limits = Limits { min: e.attr("min"), max: e.attr("max"), step: e.attr("step"), multiple: e.has_attr("multiple") };
                        sanitize(ty, e.attr("value").unwrap_or(""), limits)
                    }
                },
                ValueMode::Default => e.attr("value").unwrap_or("").to_string(),
                ValueMode::DefaultOn => e.attr("value").unwrap_or("on").to_string(),
                ValueMode::Filename => String::new(),
            })
        }
        _ => None,
    }
}
