//! Matching parsed selectors against arena elements, right to left. Tree walks are iterative;
//! only the selector's own compounds recurse (bounded by the parser's limits).

use super::parse::{AttrOp, Combinator, Complex, Compound, Selector, Simple};
use crate::dom::node::Data;
use crate::dom::{view, Dom, Idx};
use std::collections::HashMap;

/// Results of matching compound `k` of complex `c` against an element, so that descendant
/// combinators stay linear on deep trees (`span div` over a 100,000-deep chain).
type Memo = HashMap<(usize, usize, Idx), bool>;

/// Every element under `root` (and in the shadow trees and iframe documents below it) that
/// matches, in canonical (tree) order.
pub fn select(dom: &Dom<'_>, root: Idx, sel: &Selector) -> Vec<Idx> {
    let mut out = Vec::new();
    let mut memo = Memo::new();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        if dom.element(n).is_some() && sel.0.iter().enumerate().any(|(ci, c)| match_from(dom, c, ci, 0, n, &mut memo)) {
            out.push(n);
        }
        if let Some(cd) = dom.content_document(n) {
            stack.push(cd);
        }
        let mut c = dom.last_child(n);
        while let Some(x) = c {
            stack.push(x);
            c = dom.prev_sibling(x);
        }
        if let Some(s) = dom.shadow_root(n) {
            let mut c = dom.last_child(s);
            while let Some(x) = c {
                stack.push(x);
                c = dom.prev_sibling(x);
            }
        }
    }
    out
}

/// The rrweb ids of the elements a CSS selector matches in the whole DOM, in document order:
/// what scenario checkpoints ask for.
pub fn select_ids(dom: &Dom<'_>, css: &str) -> crate::error::Result<Vec<i64>> {
    let sel = super::parse(css)?;
    Ok(select(dom, dom.top(), &sel).into_iter().filter_map(|n| dom.mirrored_id(n)).collect())
}

/// Whether element `i` matches any complex selector of the list.
pub fn matches(dom: &Dom<'_>, i: Idx, sel: &Selector) -> bool {
    let mut memo = Memo::new();
    dom.element(i).is_some() && sel.0.iter().enumerate().any(|(ci, c)| match_from(dom, c, ci, 0, i, &mut memo))
}

fn match_from(dom: &Dom<'_>, c: &Complex, ci: usize, k: usize, el: Idx, memo: &mut Memo) -> bool {
    if k > 0 {
        if let Some(&hit) = memo.get(&(ci, k, el)) {
            return hit;
        }
    }
    let hit = match_here(dom, c, ci, k, el, memo);
    if k > 0 {
        memo.insert((ci, k, el), hit);
    }
    hit
}

fn match_here(dom: &Dom<'_>, c: &Complex, ci: usize, k: usize, el: Idx, memo: &mut Memo) -> bool {
    let (compound, comb) = &c.parts[k];
    if !compound_matches(dom, compound, el) {
        return false;
    }
    if k + 1 == c.parts.len() {
        return true;
    }
    match comb {
        Combinator::Child => parent_element(dom, el).is_some_and(|p| match_from(dom, c, ci, k + 1, p, memo)),
        Combinator::Descendant => parent_element(dom, el).is_some_and(|p| self_or_ancestor(dom, c, ci, k + 1, p, memo)),
        Combinator::Adjacent => prev_element(dom, el).is_some_and(|s| match_from(dom, c, ci, k + 1, s, memo)),
        Combinator::Sibling => {
            let mut cur = prev_element(dom, el);
            while let Some(s) = cur {
                if match_from(dom, c, ci, k + 1, s, memo) {
                    return true;
                }
                cur = prev_element(dom, s);
            }
            false
        }
        Combinator::None => true,
    }
}

/// Whether `x` or one of its ancestors matches compound `k` (memoized per element, so that a
/// whole-tree `select` stays linear).
fn self_or_ancestor(dom: &Dom<'_>, c: &Complex, ci: usize, k: usize, x: Idx, memo: &mut Memo) -> bool {
    const ANCESTOR: usize = 1 << 20;
    let mut chain = Vec::new();
    let mut cur = Some(x);
    let mut result = false;
    while let Some(a) = cur {
        if let Some(&known) = memo.get(&(ci, k + ANCESTOR, a)) {
            result = known;
            break;
        }
        chain.push(a);
        if match_from(dom, c, ci, k, a, memo) {
            result = true;
            break;
        }
        cur = parent_element(dom, a);
    }
    for a in chain {
        memo.insert((ci, k + ANCESTOR, a), result);
    }
    result
}

/// The parent element, through a shadow root to its host; documents end the chain.
fn parent_element(dom: &Dom<'_>, i: Idx) -> Option<Idx> {
    let p = dom.parent(i)?;
    match dom.node(p).data {
        Data::Element(_) => Some(p),
        Data::ShadowRoot { .. } => dom.shadow_host(p),
        _ => None,
    }
}

fn prev_element(dom: &Dom<'_>, i: Idx) -> Option<Idx> {
    let mut cur = dom.prev_sibling(i);
    while let Some(s) = cur {
        if dom.element(s).is_some() {
            return Some(s);
        }
        cur = dom.prev_sibling(s);
    }
    None
}

fn next_element(dom: &Dom<'_>, i: Idx) -> Option<Idx> {
    let mut cur = dom.next_sibling(i);
    while let Some(s) = cur {
        if dom.element(s).is_some() {
            return Some(s);
        }
        cur = dom.next_sibling(s);
    }
    None
}

/// The recorded tag, lower-cased.
fn tag_of(dom: &Dom<'_>, i: Idx) -> String {
    dom.meta(i).and_then(|m| m.tag()).unwrap_or("").to_ascii_lowercase()
}

fn compound_matches(dom: &Dom<'_>, c: &Compound, el: Idx) -> bool {
    if let Some(t) = &c.tag {
        if tag_of(dom, el) != *t {
            return false;
        }
    }
    if c.simples.is_empty() {
        return true;
    }
    let attrs = view::attributes(dom, el);
    let svg = dom.element(el).is_some_and(|e| e.svg);
    let get = |name: &str| -> Option<&str> {
        attrs.iter().find(|(n, _)| if svg { n == name } else { n.eq_ignore_ascii_case(name) }).map(|(_, v)| v.as_str())
    };
    c.simples.iter().all(|s| simple_matches(dom, s, el, &get))
}

fn simple_matches<'a>(dom: &Dom<'_>, s: &Simple, el: Idx, get: &dyn Fn(&str) -> Option<&'a str>) -> bool {
    let ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c');
    match s {
        Simple::Id(id) => get("id") == Some(id.as_str()),
        Simple::Class(c) => get("class").is_some_and(|v| v.split(ws).any(|x| x == c)),
        Simple::Attr { name, op, value, case_insensitive } => {
            let Some(v) = get(name) else { return false };
            let (v, value) = if *case_insensitive {
                (v.to_lowercase(), value.to_lowercase())
            } else {
                (v.to_string(), value.clone())
            };
            match op {
                AttrOp::Exists => true,
                AttrOp::Equals => v == value,
                AttrOp::Prefix => !value.is_empty() && v.starts_with(&value),
                AttrOp::Suffix => !value.is_empty() && v.ends_with(&value),
                AttrOp::Substring => !value.is_empty() && v.contains(&value),
                AttrOp::Word => !value.is_empty() && !value.contains(ws) && v.split(ws).any(|x| x == value),
                AttrOp::DashMatch => v == value || v.starts_with(&format!("{value}-")),
            }
        }
        Simple::Nth { of_type, from_end, a, b } => {
            let tag = of_type.then(|| tag_of(dom, el));
            let same = |x: Idx| tag.as_ref().is_none_or(|t| tag_of(dom, x) == *t);
            let step = if *from_end { next_element } else { prev_element };
            let mut pos: i64 = 1;
            let mut cur = step(dom, el);
            while let Some(x) = cur {
                if same(x) {
                    pos += 1;
                }
                cur = step(dom, x);
            }
            nth(*a, *b, pos)
        }
        Simple::Not(inner) => !matches(dom, el, inner),
        Simple::Checked => {
            let st = view::state(dom, el);
            st.checked || st.selected
        }
        Simple::Root => dom.parent(el).is_some_and(|p| matches!(dom.node(p).data, Data::Document { .. })),
        Simple::Empty => dom.children(el).all(|c| match &dom.node(c).data {
            Data::Element(_) => false,
            Data::Text(t) | Data::CData(t) => t.is_empty(),
            _ => true,
        }),
    }
}

/// Whether position `pos` (1-based) is `a*n + b` for some n >= 0.
fn nth(a: i64, b: i64, pos: i64) -> bool {
    if a == 0 {
        return pos == b;
    }
    let d = pos - b;
    d % a == 0 && d / a >= 0
}

#[cfg(test)]
mod tests {
    use super::nth;

    #[test]
    fn an_plus_b() {
        assert!(nth(2, 1, 1) && nth(2, 1, 3) && !nth(2, 1, 2));
        assert!(nth(0, 3, 3) && !nth(0, 3, 4));
        assert!(nth(-1, 3, 1) && nth(-1, 3, 3) && !nth(-1, 3, 4));
    }
}
