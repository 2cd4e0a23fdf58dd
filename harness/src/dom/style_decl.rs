//! Inline `style` through a small CSSOM: rrweb applies compact style mutations with
//! `style.setProperty` / `removeProperty`, and Chromium re-serializes the whole declaration
//! block. This keeps declaration order, updates in place, appends new properties, folds the
//! four-sided `margin`/`padding` longhands, and normalizes hex colours and zero lengths — the
//! cases seen in real recordings (CANONICAL.md §4.3). Anything subtler is a documented gap.

use super::arena::Dom;
use super::node::{Idx, Text};
use super::style_memo::{spans, stands_alone, Spliced};
use super::style_value::normalize;

use std::borrow::Cow;

#[derive(Debug, Clone)]
pub(super) struct Decl<'a> {
    pub(super) name: Cow<'a, str>,
    pub(super) value: Cow<'a, str>,
    pub(super) important: bool,
    /// Written alone as `name: value[ !important];`, this declaration parses back to itself
    /// and leaves the split state of the block as it found it (`StyleMemo`).
    pub(super) stable: bool,
}

/// Declarations are the same when the CSSOM would serialize them the same.
impl PartialEq for Decl<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.value == other.value && self.important == other.important
    }
}

pub(super) const BOXES: [(&str, [&str; 4]); 2] = [
    ("margin", ["margin-top", "margin-right", "margin-bottom", "margin-left"]),
    ("padding", ["padding-top", "padding-right", "padding-bottom", "padding-left"]),
];

pub(super) fn box_of(shorthand: &str) -> Option<&'static [&'static str; 4]> {
    BOXES.iter().find(|(s, _)| *s == shorthand).map(|(_, l)| l)
}

fn shorthand_of(longhand: &str) -> Option<(&'static str, &'static [&'static str; 4])> {
    BOXES.iter().find(|(_, l)| l.contains(&longhand)).map(|(s, l)| (*s, l))
}

/// Calls `each` with the pieces between top-level occurrences of `sep` (outside parentheses
/// and quotes).
fn for_each_top<'a>(s: &'a str, sep: impl Fn(char) -> bool, mut each: impl FnMut(&'a str)) {
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0);
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (Some(_), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            (None, c) if depth <= 0 && sep(c) => {
                each(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    each(&s[start..]);
}

fn split_top(s: &str, sep: impl Fn(char) -> bool) -> Vec<&str> {
    let mut out = Vec::new();
    for_each_top(s, sep, |p| out.push(p));
    out
}

fn strip_comments(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains("/*") {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find("/*") {
        out.push_str(&rest[..p]);
        match rest[p + 2..].find("*/") {
            Some(e) => rest = &rest[p + 2 + e + 2..],
            None => return std::borrow::Cow::Owned(out),
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

pub(super) fn property_name(name: &str) -> Cow<'_, str> {
    if name.starts_with("--") || !name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(name.to_ascii_lowercase())
    }
}

/// Calls `each` with the pieces between top-level `;` (outside parentheses and quotes): the
/// same split as `for_each_top(s, |c| c == ';', each)`, over bytes. Every byte it looks at is
/// ASCII, and UTF-8 continuation bytes never are, so skipping one byte after a backslash
/// instead of one char changes nothing. The flag says whether the piece starts and ends
/// outside any parenthesis, bracket or quote.
fn for_each_decl<'a>(s: &'a str, mut each: impl FnMut(&'a str, bool)) {
    let b = s.as_bytes();
    let (mut depth, mut quote, mut start, mut i) = (0i32, None::<u8>, 0, 0);
    let mut fresh = true;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(_) if c == b'\\' => i += 1,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'"' | b'\'' => quote = Some(c),
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth -= 1,
                b';' if depth <= 0 => {
                    each(&s[start..i], fresh && depth == 0);
                    fresh = depth == 0;
                    start = i + 1;
                }
                _ => {}
            },
        }
        i += 1;
    }
    each(&s[start..], fresh && depth == 0 && quote.is_none());
}

fn parse_block(text: &str) -> Vec<Decl<'_>> {
    let mut out: Vec<Decl<'_>> = Vec::with_capacity(8);
    let text: &str = match strip_comments(text) {
        Cow::Borrowed(t) => t,
        // Comments in inline styles are rare; leaking the stripped copy is not an option, so
        // parse an owned copy through a second, borrowed pass.
        Cow::Owned(t) => return parse_block_owned(t),
    };
    for_each_decl(text, |part, balanced| {
        let Some(colon) = part.find(':') else { return };
        let name = part[..colon].trim();
        let mut value = part[colon + 1..].trim();
        if name.is_empty() || value.is_empty() {
            return;
        }
        let mut important = false;
        if let Some(bang) = value.rfind('!') {
            if value[bang + 1..].trim().eq_ignore_ascii_case("important") {
                important = true;
                value = value[..bang].trim_end();
            }
        }
        // A balanced piece written back differs only in whitespace, the case of the name and
        // the spelling of `!important`, none of which the split looks at: if normalizing left
        // the value as it was, the declaration is stable.
        expand(property_name(name), value, important, |mut d| {
            d.stable &= balanced;
            if let Some(pos) = out.iter().position(|o| same(&o.name, &d.name)) {
                out.remove(pos);
            }
            out.push(d);
        });
    });
    out
}

fn parse_block_owned(text: String) -> Vec<Decl<'static>> {
    parse_block(&text)
        .into_iter()
        .map(|d| Decl {
            name: Cow::Owned(d.name.into_owned()),
            value: Cow::Owned(d.value.into_owned()),
            important: d.important,
            stable: d.stable,
        })
        .collect()
}

/// Name equality for short names: most differ in length or first byte, which is cheaper to see
/// than to call `memcmp`.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

/// A declaration as the CSSOM stores it, passed to `each`: box shorthands become their four
/// longhands. `stable` starts as "normalizing kept the value" (a fixed point); a longhand's
/// value is a piece of the shorthand's, so it is checked alone.
fn expand<'a>(name: Cow<'a, str>, value: &'a str, important: bool, mut each: impl FnMut(Decl<'a>)) {
    if let Some(longhands) = box_of(&name) {
        let parts: Vec<&str> = split_top(value, char::is_whitespace).into_iter().filter(|p| !p.is_empty()).collect();
        if (1..=4).contains(&parts.len()) {
            let pick = |i: usize| match (parts.len(), i) {
                (1, _) => parts[0],
                (2, 0 | 2) | (3, 0) => parts[0],
                (2, _) | (3, 1 | 3) => parts[1],
                (3, _) => parts[2],
                (_, i) => parts[i],
            };
            for (i, longhand) in longhands.iter().enumerate() {
                let value = normalize(longhand, pick(i));
                let mut d = Decl { name: Cow::Borrowed(longhand), stable: matches!(value, Cow::Borrowed(_)), value, important };
                d.stable = d.stable && stands_alone(&d);
                each(d);
            }
            return;
        }
    }
    let value = normalize(&name, value);
    let stable = matches!(value, Cow::Borrowed(_));
    each(Decl { name, value, important, stable });
}

fn serialize(decls: &[Decl<'_>]) -> String {
    let mut out = String::with_capacity(decls.iter().map(|d| d.name.len() + d.value.len() + 4).sum());
    let mut push = |name: &str, value: &str, important: bool| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value);
        if important {
            out.push_str(" !important");
        }
        out.push(';');
    };
    let mut folded: Vec<&str> = Vec::new();
    for d in decls {
        let boxed = d.name.starts_with("margin-") || d.name.starts_with("padding-");
        if let Some((short, longhands)) = boxed.then(|| shorthand_of(&d.name)).flatten() {
            if folded.contains(&short) {
                continue;
            }
            let all: Option<Vec<&Decl<'_>>> = longhands.iter().map(|l| decls.iter().find(|x| x.name == *l)).collect();
            if let Some(all) = all.filter(|a| a.iter().all(|x| x.important == d.important)) {
                folded.push(short);
                let v: Vec<&str> = all.iter().map(|x| &*x.value).collect();
                let n = if v[1] != v[3] {
                    4
                } else if v[0] != v[2] {
                    3
                } else if v[0] != v[1] {
                    2
                } else {
                    1
                };
                push(short, &v[..n].join(" "), d.important);
                continue;
            }
        }
        push(&d.name, &d.value, d.important);
    }
    out
}

fn set_in<'a>(decls: &mut Vec<Decl<'a>>, name: &'a str, value: &'a str, priority: &str) -> bool {
    let name = property_name(name);
    if value.trim().is_empty() {
        return remove_in(decls, &name);
    }
    let important = match priority {
        "" => false,
        p if p.eq_ignore_ascii_case("important") => true,
        _ => return false,
    };
    let mut changed = false;
    expand(name, value.trim(), important, |mut d| {
        d.stable = d.stable && stands_alone(&d);
        match decls.iter_mut().find(|o| same(&o.name, &d.name)) {
        Some(o) if *o == d => {}
        Some(o) => {
            *o = d;
            changed = true;
        }
        None => {
            decls.push(d);
            changed = true;
        }
        }
    });
    changed
}

fn remove_in(decls: &mut Vec<Decl<'_>>, name: &str) -> bool {
    let name = property_name(name);
    let before = decls.len();
    match box_of(&name) {
        Some(longhands) => decls.retain(|d| !longhands.contains(&&*d.name)),
        None => decls.retain(|d| d.name != name),
    }
    before != decls.len()
}

/// One compact style operation: `Some(value)` sets (with a priority), `None` removes.
pub struct StyleOp<'a> {
    pub property: &'a str,
    pub value: Option<&'a str>,
    pub priority: &'a str,
}

/// Applies CSSOM operations to an element's `style` attribute; the attribute is rewritten only
/// when a declaration changed.
pub fn apply(dom: &mut Dom<'_>, el: Idx, ops: &[StyleOp<'_>]) {
    // The style text is read in place (no shared-text clone): the memo and the nodes are
    // borrowed apart, and the element is written once the text is no longer needed.
    let Dom { nodes, style_memo, .. } = dom;
    let Some(e) = nodes.get(el.0 as usize).and_then(|n| n.element()) else { return };
    let text = e.attrs.get("style").unwrap_or("");
    let out = match style_memo.splice(el.0, text, ops) {
        Spliced::Unchanged => return,
        Spliced::Changed(out) => out,
        Spliced::Other => {
            let memo = style_memo.get(el.0, text);
            let mut decls = match memo.and_then(|spans| spans.iter().map(|s| s.decl(text)).collect()) {
                Some(decls) => decls,
                None => parse_block(text),
            };
            let mut changed = false;
            for op in ops {
                changed |= match op.value {
                    Some(v) => set_in(&mut decls, op.property, v, op.priority),
                    None => remove_in(&mut decls, op.property),
                };
            }
            if !changed {
                return;
            }
            let out = Text::owned(serialize(&decls));
            if let Some(spans) = spans(&decls) {
                style_memo.put(el.0, out.clone(), spans);
            }
            out
        }
    };
    if let Some(e) = nodes.get_mut(el.0 as usize).and_then(|n| n.element_mut()) {
        e.set_attr(Text::Ref("style"), out);
    }
}

/// The declarations of a rule's block after CSSOM operations, or None if nothing changed.
pub fn restyle(block: &str, ops: &[StyleOp<'_>]) -> Option<String> {
    let mut decls = parse_block(block);
    let mut changed = false;
    for op in ops {
        changed |= match op.value {
            Some(v) => set_in(&mut decls, op.property, v, op.priority),
            None => remove_in(&mut decls, op.property),
        };
    }
    changed.then(|| serialize(&decls))
}

/// `el.style.setProperty(name, value, priority)`.
pub fn set_property(dom: &mut Dom<'_>, el: Idx, name: &str, value: &str, priority: &str) {
    apply(dom, el, &[StyleOp { property: name, value: Some(value), priority }]);
}

#[cfg(test)]
mod tests {
    use super::super::style_memo::StyleMemo;
    use super::super::style_value::tests::generated;
    use super::*;

    fn check(style: &str, ops: &[(&str, Option<&str>, &str)], expected: &str) {
        let mut decls = parse_block(style);
        let mut changed = false;
        for (p, v, prio) in ops {
            changed |= match v {
                Some(v) => set_in(&mut decls, p, v, prio),
                None => remove_in(&mut decls, p),
            };
        }
        let got = if changed { serialize(&decls) } else { style.to_string() };
        assert_eq!(got, expected);
    }

    #[test]
    fn chromium_serialization_cases() {
        check("margin: 0; padding: 1px 2px", &[("margin-left", Some("5px"), ""), ("padding", None, "")], "margin: 0px 0px 0px 5px;");
        check(
            "color: #FFF",
            &[("color", Some("red"), ""), ("background-color", Some("#00F"), "important"), ("--custom", Some("x"), "")],
            "color: red; background-color: rgb(0, 0, 255) !important; --custom: x;",
        );
        check("top:0px", &[("top", Some("0px"), "")], "top:0px");
        check("top:0px;left:1px", &[("top", Some("2px"), "")], "top: 2px; left: 1px;");
        check("a: b", &[("transform", Some("none"), ""), ("opacity", None, "")], "a: b; transform: none;");
        check("--B: 1; width: 1e+06px", &[("--B", Some("2"), "")], "--B: 2; width: 1e+06px;");
        check("a: b", &[("content", Some("\"#fff\""), ""), ("color", Some("#0000ff80"), "")], "a: b; content: \"#fff\"; color: rgba(0, 0, 255, 0.5);");
        check("a: b", &[("border", Some("1px solid #fffa"), "")], "a: b; border: 1px solid rgba(255, 255, 255, 0.667);");
        check("", &[("transform", Some("translate3d(0px,0px,0px)"), "")], "transform: translate3d(0px, 0px, 0px);");
        check("", &[("opacity", Some(".5"), ""), ("font-size", Some("12PX"), "")], "opacity: 0.5; font-size: 12px;");
        check("background-image: url(a.png)", &[("background-position", Some("0 0"), "")], "background-image: url(\"a.png\"); background-position: 0px 0px;");
        check("", &[("transition", Some("opacity .2s ease-in-out,transform .3s"), "")], "transition: opacity 0.2s ease-in-out, transform 0.3s;");
    }
    #[test]
    fn declarations_split_like_for_each_top() {
        let pieces = [";", "(", ")", "[", "]", "'", "\"", "\\", "a", "é", " ", ":"];
        for s in generated(&pieces, 50_000, 0x2545_f491_4f6c_dd1d) {
            let mut fast = Vec::new();
            for_each_decl(&s, |p, _| fast.push(p));
            assert_eq!(fast, split_top(&s, |c| c == ';'), "{s:?}");
        }
    }

    /// The memo's promise: when `spans` accepts a block, parsing its serialization gives back
    /// the same declarations, found where the spans say; and `splice` on a memoized block says
    /// what the declarations would.
    #[test]
    fn memoized_blocks_parse_back_to_themselves() {
        let blocks = [
            "top: 1px; left: 2px", "TOP:0;Left:.5PX", "a: (b; c: d)", "a: x); b: y", "x: 'a;b'; y: \"c", "m: 1 !important; n: 2 ! IMPORTANT",
            "margin: 1px 2px; color: red", "a: b /* c */; d: e", "font-family: \"Droid Sans\", monospace; --v: a;b", "",
            "top: 1px; height: 2px; color: red; w: 3px; --x: 1", "color: blue !important; top: 0px; padding-left: 1px",
        ];
        let names = ["top", " left", "Top", "--x", "margin-top", "margin", "a:b", "x;y", "(", "'", "c\\", "color", "/*", "w", "height"];
        let values = [
            "1px", "0", " 2px ", ".5", "a;b", "(x", "'q", "x !important", "url(a)", "#FFF", "b)", "1 !IMPORTANT", "calc(1px + 2px)", "\\",
            "3px", "red", "blue", " ",
        ];
        let prios = ["", "", "", "important", "IMPORTANT", "x"];
        let mut x: u64 = 0x853c_49e6_748f_ea9b;
        let mut next = move |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        let (mut memoized, mut spliced, mut rounds) = (0, 0, 0);
        let mut style_memo = StyleMemo::default();
        for _ in 0..20_000 {
            let mut text = blocks[next(blocks.len())].to_string();
            let mut memo: Option<Text<'_>> = None;
            for _ in 0..6 {
                // Half the rounds stay with what real recordings do: new lengths and colours.
                let tame = next(2) == 0;
                let ops: Vec<StyleOp<'_>> = (0..1 + next(3))
                    .map(|_| {
                        let property = if tame { ["top", "height", "color", "w"][next(4)] } else { names[next(names.len())] };
                        match next(5) {
                            0 if !tame => StyleOp { property, value: None, priority: "" },
                            _ if tame => StyleOp { property, value: Some(["1px", "3px", "red", "blue", "0"][next(5)]), priority: "" },
                            _ => StyleOp { property, value: Some(values[next(values.len())]), priority: prios[next(prios.len())] },
                        }
                    })
                    .collect();
                let mut decls = parse_block(&text);
                let mut changed = false;
                for op in &ops {
                    changed |= match op.value {
                        Some(v) => set_in(&mut decls, op.property, v, op.priority),
                        None => remove_in(&mut decls, op.property),
                    };
                }
                rounds += 1;
                let out = serialize(&decls);
                let new_spans = spans(&decls);
                if let Some(shared) = &memo {
                    match style_memo.splice(0, shared, &ops) {
                        Spliced::Unchanged => {
                            spliced += 1;
                            assert!(!changed, "{text:?} -> {out:?}");
                        }
                        Spliced::Changed(t) => {
                            spliced += 1;
                            assert!(changed && *t == *out, "{text:?} -> {out:?}, spliced {t:?}");
                            assert_eq!(style_memo.get(0, &t), new_spans.as_deref(), "{out:?}");
                        }
                        Spliced::Other => {}
                    }
                }
                if let Some(spans) = &new_spans {
                    memoized += 1;
                    let again = parse_block(&out);
                    assert_eq!(again, decls, "{text:?} -> {out:?}");
                    let found: Vec<Decl<'_>> = spans.iter().map(|s| s.decl(&out).expect("in bounds")).collect();
                    assert_eq!(found, decls, "{out:?}");
                }
                if changed {
                    text = out;
                    // The memo keeps the text it serves alive and knows it by address.
                    memo = new_spans.map(|spans| {
                        let shared = Text::owned(text.as_str());
                        style_memo.put(0, shared.clone(), spans);
                        shared
                    });
                }
            }
        }
        assert!(memoized > rounds / 10, "only {memoized} of {rounds} blocks were memoized");
        assert!(spliced > rounds / 40, "only {spliced} of {rounds} blocks were spliced");
    }
}
