//! Inline `style` through a small CSSOM: rrweb applies compact style mutations with
//! `style.setProperty` / `removeProperty`, and Chromium re-serializes the whole declaration
//! block. This keeps declaration order, updates in place, appends new properties, folds the
//! four-sided `margin`/`padding` longhands, and normalizes hex colours and zero lengths — the
//! cases seen in real recordings (CANONICAL.md §4.3). Anything subtler is a documented gap.

use super::arena::Dom;
use super::node::{Idx, Text};

use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq)]
struct Decl<'a> {
    name: Cow<'a, str>,
    value: Cow<'a, str>,
    important: bool,
}

const BOXES: [(&str, [&str; 4]); 2] = [
    ("margin", ["margin-top", "margin-right", "margin-bottom", "margin-left"]),
    ("padding", ["padding-top", "padding-right", "padding-bottom", "padding-left"]),
];

fn box_of(shorthand: &str) -> Option<&'static [&'static str; 4]> {
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

fn property_name(name: &str) -> Cow<'_, str> {
    if name.starts_with("--") || !name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(name.to_ascii_lowercase())
    }
}

/// Calls `each` with the pieces between top-level `;` (outside parentheses and quotes): the
/// same split as `for_each_top(s, |c| c == ';', each)`, over bytes. Every byte it looks at is
/// ASCII, and UTF-8 continuation bytes never are, so skipping one byte after a backslash
/// instead of one char changes nothing.
fn for_each_decl<'a>(s: &'a str, mut each: impl FnMut(&'a str)) {
    let b = s.as_bytes();
    let (mut depth, mut quote, mut start, mut i) = (0i32, None::<u8>, 0, 0);
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
                    each(&s[start..i]);
                    start = i + 1;
                }
                _ => {}
            },
        }
        i += 1;
    }
    each(&s[start..]);
}

fn parse_block(text: &str) -> Vec<Decl<'_>> {
    let mut out: Vec<Decl<'_>> = Vec::new();
    let text: &str = match strip_comments(text) {
        Cow::Borrowed(t) => t,
        // Comments in inline styles are rare; leaking the stripped copy is not an option, so
        // parse an owned copy through a second, borrowed pass.
        Cow::Owned(t) => return parse_block_owned(t),
    };
    for_each_decl(text, |part| {
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
        expand(property_name(name), value, important, |d| {
            if let Some(pos) = out.iter().position(|o| o.name == d.name) {
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
        .map(|d| Decl { name: Cow::Owned(d.name.into_owned()), value: Cow::Owned(d.value.into_owned()), important: d.important })
        .collect()
}

/// A declaration as the CSSOM stores it, passed to `each`: box shorthands become their four
/// longhands.
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
                each(Decl { name: Cow::Borrowed(longhand), value: normalize(longhand, pick(i)), important });
            }
            return;
        }
    }
    let value = normalize(&name, value);
    each(Decl { name, value, important });
}

/// Value normalizations Chromium's CSSOM applies: hex colours to `rgb()`, numbers in shortest
/// form (`.5` to `0.5`), lower-case units, unitless zero lengths to `0px`, `", "` between list
/// items, quoted `url("…")`, single spaces. Custom properties keep their text.
fn normalize<'a>(name: &str, value: &'a str) -> Cow<'a, str> {
    if name.starts_with("--") {
        return Cow::Borrowed(value);
    }
    // Letters, digits, `-` and single spaces: only case and unitless zeros can change.
    let (mut plain, mut upper, mut digit) = (true, false, false);
    for b in value.bytes() {
        if b.is_ascii_uppercase() {
            upper = true;
        } else if b.is_ascii_digit() {
            digit = true;
        } else if !(b.is_ascii_lowercase() || b == b'-' || b == b' ') {
            plain = false;
            break;
        }
    }
    let simple = plain
        && !value.contains("  ")
        && name != "flex"
        && !(upper && (digit || keyword_valued(name)))
        && !(value.split(' ').any(|t| t == "0") && is_length(name));
    if simple || canonical(name, value) {
        return Cow::Borrowed(value);
    }
    rewrite(name, value)
}

/// `normalize` without its shortcuts: every rewrite applied.
fn rewrite<'a>(name: &str, value: &'a str) -> Cow<'a, str> {
    let v = hex_colors_to_rgb(value);
    let mut out = tokens(name, &v);
    if keyword_valued(name) && out.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-') {
        out = out.to_ascii_lowercase();
    }
    if name == "flex" {
        match out.as_str() {
            "auto" => out = "1 1 auto".into(),
            "none" => out = "0 0 auto".into(),
            n if n.parse::<f64>().is_ok() => out = format!("{n} 1 0%"),
            _ => {}
        }
    }
    if out == value {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(out)
    }
}

/// Whether `normalize` certainly returns `value` unchanged: `tokens` walked over an output that
/// still equals the input, giving up (false) at the first step that could write something else
/// or that this walk does not model (`#`, `url(`, exponents, non-ASCII outside quotes, `flex`).
/// The style values of real recordings are mostly ones Chromium serialized already, so this
/// saves the copying walk for nearly all of them.
fn canonical(name: &str, value: &str) -> bool {
    if name == "flex" || value.is_empty() {
        return false;
    }
    let b = value.as_bytes();
    let (mut paren, mut upper, mut all_alpha) = (false, false, true);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        all_alpha &= c.is_ascii_alphabetic() || c == b'-';
        match c {
            b'#' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | 0x80.. => return false,
            b'"' | b'\'' => {
                // Copied through the closing quote (or the end), escapes skipped.
                i += 1;
                while i < b.len() && b[i] != c {
                    if b[i] == b'#' {
                        return false;
                    }
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                continue;
            }
            b' ' => {
                // Kept only between two tokens, not after `(` and not before `,` or `)`.
                let kept = i > 0
                    && !matches!(b[i - 1], b' ' | b'(')
                    && b.get(i + 1).is_some_and(|n| !matches!(n, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b',' | b')' | 0x80..));
                if !kept {
                    return false;
                }
            }
            b',' => {
                // Written as `, ` followed by the next token.
                let next = b.get(i + 2);
                if i == 0 || b[i - 1] == b' ' || b.get(i + 1) != Some(&b' ') || next.is_none_or(|n| matches!(n, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | 0x80..)) {
                    return false;
                }
                i += 2;
                continue;
            }
            b'u' | b'U' if b.len() >= i + 4 && b[i + 1..i + 4].eq_ignore_ascii_case(b"rl(") => return false,
            _ => {}
        }
        let next_digit = b.get(i + 1).is_some_and(u8::is_ascii_digit);
        let numeric_start = c.is_ascii_digit()
            || (c == b'.' && next_digit)
            || ((c == b'-' || c == b'+') && (next_digit || b.get(i + 1) == Some(&b'.')));
        let token_start = i == 0 || matches!(b[i - 1], b' ' | b'(' | b',' | b'/');
        if numeric_start && token_start {
            let start = i;
            if c == b'-' || c == b'+' {
                i += 1;
            }
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            if i < b.len() && matches!(b[i], b'e' | b'E') && b.get(i + 1).is_some_and(|d| d.is_ascii_digit() || *d == b'+' || *d == b'-') {
                return false;
            }
            let number = &value[start..i];
            let unit_start = i;
            while i < b.len() && (b[i].is_ascii_alphabetic() || b[i] == b'%') {
                if b[i].is_ascii_uppercase() {
                    return false;
                }
                i += 1;
            }
            if !shortest_number(number) {
                return false;
            }
            if number == "0" && unit_start == i && !paren && is_length(name) {
                return false;
            }
            all_alpha = false;
            continue;
        }
        paren |= c == b'(';
        upper |= c.is_ascii_uppercase();
        i += 1;
    }
    !(upper && all_alpha && keyword_valued(name))
}

/// Whether `tokens` writes this number as it is: an integer without leading zeros, or a
/// decimal with digits on both sides of the point and no trailing zero, negative only when not
/// zero, at most 15 significant digits (which `f64` and back keeps exactly).
fn shortest_number(n: &str) -> bool {
    let digits = n.strip_prefix('-').unwrap_or(n);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || (int.len() > 1 && int.starts_with('0')) {
        return false;
    }
    let significant = match frac {
        None => {
            if int == "0" {
                return digits.len() == n.len();
            }
            int.len()
        }
        Some(f) => {
            if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) || f.ends_with('0') {
                return false;
            }
            if int == "0" {
                f.trim_start_matches('0').len()
            } else {
                int.len() + f.len()
            }
        }
    };
    significant <= 15
}

/// Properties whose single-keyword values Chromium writes in lower case.
fn keyword_valued(name: &str) -> bool {
    matches!(
        name,
        "display" | "position" | "visibility" | "overflow" | "overflow-x" | "overflow-y" | "float" | "clear"
            | "text-align" | "cursor" | "white-space" | "box-sizing" | "pointer-events" | "user-select"
            | "flex-direction" | "flex-wrap" | "justify-content" | "align-items" | "align-self" | "align-content"
            | "text-transform" | "text-decoration-line" | "font-style" | "font-weight" | "vertical-align"
            | "color" | "background-color" | "border-color" | "outline-color" | "fill" | "stroke"
    ) || (name.starts_with("border-") && name.ends_with("-color"))
}

/// Properties whose unitless `0` Chromium serializes as `0px`.
fn is_length(name: &str) -> bool {
    matches!(
        name,
        "width" | "height" | "min-width" | "min-height" | "max-width" | "max-height" | "top" | "right" | "bottom" | "left"
            | "gap" | "row-gap" | "column-gap" | "font-size" | "letter-spacing" | "word-spacing" | "text-indent"
            | "outline-width" | "outline-offset" | "background-position" | "background-size" | "flex-basis"
            | "border-width" | "border-radius" | "inset"
    ) || name.starts_with("margin")
        || name.starts_with("padding")
        || name.starts_with("inset-")
        || (name.starts_with("border-") && (name.ends_with("-width") || name.ends_with("-radius")))
}

fn tokens(name: &str, v: &str) -> String {
    let length = is_length(name);
    let chars: Vec<char> = v.chars().collect();
    let mut out = String::with_capacity(v.len() + 8);
    let mut i = 0;
    let at_token_start = |out: &String| out.is_empty() || out.ends_with([' ', '(', ',', '/']);
    while i < chars.len() {
        let c = chars[i];
        if c == '"' || c == '\'' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i] != c {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i = (i + 1).min(chars.len());
            out.extend(&chars[start..i]);
            continue;
        }
        if c.is_whitespace() {
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            if !out.is_empty() && !out.ends_with([' ', '(']) && i < chars.len() && !matches!(chars[i], ',' | ')') {
                out.push(' ');
            }
            continue;
        }
        if c == ',' {
            while out.ends_with(' ') {
                out.pop();
            }
            out.push_str(", ");
            i += 1;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            continue;
        }
        let rest: String = chars[i..chars.len().min(i + 4)].iter().collect();
        if rest.eq_ignore_ascii_case("url(") {
            let close = chars[i..].iter().position(|&x| x == ')').map_or(chars.len(), |p| i + p);
            let inner: String = chars[i + 4..close].iter().collect::<String>().trim().to_string();
            if inner.starts_with(['"', '\'']) {
                out.push_str("url(");
                out.push_str(&inner);
                out.push(')');
            } else {
                out.push_str("url(\"");
                out.push_str(&inner.replace('\\', "\\\\").replace('"', "\\\""));
                out.push_str("\")");
            }
            i = (close + 1).min(chars.len());
            continue;
        }
        let numeric_start = c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
            || ((c == '-' || c == '+') && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit() || *d == '.'));
        if numeric_start && at_token_start(&out) {
            let start = i;
            if c == '-' || c == '+' {
                i += 1;
            }
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let exp = i < chars.len() && matches!(chars[i], 'e' | 'E') && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit() || *d == '+' || *d == '-');
            let number: String = chars[start..i].iter().collect();
            let unit_start = i;
            if exp {
                i += 2;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let num_end = i;
            while i < chars.len() && (chars[i].is_ascii_alphabetic() || chars[i] == '%') {
                i += 1;
            }
            let unit: String = chars[num_end..i].iter().collect::<String>().to_ascii_lowercase();
            if exp {
                out.extend(&chars[start..unit_start]);
                out.extend(&chars[unit_start..num_end]);
                out.push_str(&unit);
                continue;
            }
            match number.parse::<f64>() {
                Ok(x) if x.is_finite() => {
                    let text = if x == 0.0 { "0".to_string() } else { format!("{x}") };
                    out.push_str(&text);
                    if unit.is_empty() && x == 0.0 && length && !out.contains('(') {
                        out.push_str("px");
                    }
                    out.push_str(&unit);
                }
                _ => {
                    out.push_str(&number);
                    out.push_str(&unit);
                }
            }
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

fn hex_colors_to_rgb(value: &str) -> Cow<'_, str> {
    if !value.contains('#') || value.contains("url(") {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut quote: Option<char> = None;
    let mut chars = value.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '#' => {
                let hex: String = value[i + 1..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
                let boundary_ok = out.is_empty() || out.ends_with(|c: char| c.is_whitespace() || c == '(' || c == ',');
                match (boundary_ok, rgb(&hex)) {
                    (true, Some(s)) => out.push_str(&s),
                    _ => {
                        out.push('#');
                        out.push_str(&hex);
                    }
                }
                for _ in 0..hex.chars().count() {
                    chars.next();
                }
            }
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// CSS Color 4's alpha serialization: the shortest of 2 or 3 decimals that maps back to the
/// same 8-bit value.
fn alpha(a: u8) -> String {
    let two = (f64::from(a) / 255.0 * 100.0).round() / 100.0;
    let x = if (two * 255.0).round() as u8 == a { two } else { (f64::from(a) / 255.0 * 1000.0).round() / 1000.0 };
    super::text::js_number(x)
}

fn rgb(hex: &str) -> Option<String> {
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let d = |s: &str| u8::from_str_radix(s, 16).ok();
    let doubled: String = hex.chars().flat_map(|c| [c, c]).collect();
    let full = match hex.len() {
        3 | 4 => doubled.as_str(),
        6 | 8 => hex,
        _ => return None,
    };
    let (r, g, b) = (d(&full[0..2])?, d(&full[2..4])?, d(&full[4..6])?);
    Some(match full.len() {
        8 => match d(&full[6..8])? {
            255 => format!("rgb({r}, {g}, {b})"),
            a => format!("rgba({r}, {g}, {b}, {})", alpha(a)),
        },
        _ => format!("rgb({r}, {g}, {b})"),
    })
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
    expand(name, value.trim(), important, |d| match decls.iter_mut().find(|o| o.name == d.name) {
        Some(o) if *o == d => {}
        Some(o) => {
            *o = d;
            changed = true;
        }
        None => {
            decls.push(d);
            changed = true;
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
    let Some(e) = dom.element_mut(el) else { return };
    let current = e.attrs.get_text("style");
    let mut decls = parse_block(current.as_deref().unwrap_or(""));
    let mut changed = false;
    for op in ops {
        changed |= match op.value {
            Some(v) => set_in(&mut decls, op.property, v, op.priority),
            None => remove_in(&mut decls, op.property),
        };
    }
    if changed {
        let text = serialize(&decls);
        e.set_attr(Text::Ref("style"), Text::owned(text));
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
    /// A fixed xorshift sequence of strings made of `pieces`, for the differential tests below.
    fn generated(pieces: &[&str], count: usize, seed: u64) -> Vec<String> {
        let mut x = seed;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        (0..count)
            .map(|_| {
                let n = 1 + next() % 8;
                (0..n).map(|_| pieces[(next() % pieces.len() as u64) as usize]).collect()
            })
            .collect()
    }

    #[test]
    fn canonical_values_are_left_as_they_are() {
        let pieces = [
            "0", "0px", "1", "10", "-1", "-0", "00", "0.5", ".5", "1.0", "1.", "+2", "-.5", "1e3", "2E-1", "3e", "12345678901234567",
            "px", "PX", "%", "em", "(", ")", ",", ", ", " ", "  ", "\t", "'", "\"", "\\", "#fff", "url(", "URL(", "uRl(x)", "a", "Auto",
            "none", "translate3d", "rgb", "/", "-", ".", "é", "\u{a0}", "rl(", "u", "x1",
        ];
        let names = ["top", "color", "display", "flex", "transform", "font-family", "width", "margin-top", "opacity"];
        let mut kept = 0;
        for (k, v) in generated(&pieces, 200_000, 0x9e37_79b9_7f4a_7c15).iter().enumerate() {
            let name = names[k % names.len()];
            if canonical(name, v) {
                kept += 1;
                assert_eq!(rewrite(name, v), v.as_str(), "{name}: {v:?}");
            }
        }
        assert!(kept > 5_000, "only {kept} generated values were canonical");
        for (name, v) in [
            ("transform", "translate3d(0px, 38px, 0px)"),
            ("width", "100%"),
            ("color", "rgba(0, 0, 0, 0.5)"),
            ("font-family", "'Droid Sans Mono', monospace, \"Droid Sans Fallback\""),
            ("top", "-12.25px"),
            ("left", "calc(100% - 0)"),
        ] {
            assert!(canonical(name, v), "{name}: {v}");
        }
        for (name, v) in [("top", "0"), ("opacity", ".5"), ("display", "Block"), ("color", "#fff"), ("flex", "1"), ("width", "1.50px")] {
            assert!(!canonical(name, v), "{name}: {v}");
        }
    }

    #[test]
    fn declarations_split_like_for_each_top() {
        let pieces = [";", "(", ")", "[", "]", "'", "\"", "\\", "a", "é", " ", ":"];
        for s in generated(&pieces, 50_000, 0x2545_f491_4f6c_dd1d) {
            let mut fast = Vec::new();
            for_each_decl(&s, |p| fast.push(p));
            assert_eq!(fast, split_top(&s, |c| c == ';'), "{s:?}");
        }
    }
}
