//! Inline style values as Chromium's CSSOM serializes them: hex colours to `rgb()`, numbers in
//! shortest form, lower-case units and keywords, unitless zero lengths to `0px`, `", "` between
//! list items, quoted `url("…")`, single spaces, `flex` keywords. A shortcut recognizes the
//! values already in that form, which is most of what recordings hold.

use std::borrow::Cow;

/// Value normalizations Chromium's CSSOM applies: hex colours to `rgb()`, numbers in shortest
/// form (`.5` to `0.5`), lower-case units, unitless zero lengths to `0px`, `", "` between list
/// items, quoted `url("…")`, single spaces. Custom properties keep their text.
pub(super) fn normalize<'a>(name: &str, value: &'a str) -> Cow<'a, str> {
    if name.starts_with("--") {
        return Cow::Borrowed(value);
    }
    // Letters, digits, `-` and single spaces: only case and unitless zeros can change.
    let b = value.as_bytes();
    let (mut plain, mut upper, mut digit, mut double_space, mut zero) = (true, false, false, false, false);
    for (i, &c) in b.iter().enumerate() {
        if c.is_ascii_uppercase() {
            upper = true;
        } else if c.is_ascii_digit() {
            digit = true;
            // A `0` token, as `value.split(' ').any(|t| t == "0")` finds it.
            zero |= c == b'0' && (i == 0 || b[i - 1] == b' ') && b.get(i + 1).is_none_or(|&n| n == b' ');
        } else if c == b' ' {
            double_space |= i > 0 && b[i - 1] == b' ';
        } else if !(c.is_ascii_lowercase() || c == b'-') {
            plain = false;
            break;
        }
    }
    let simple = plain && !double_space && name != "flex" && !(upper && (digit || keyword_valued(name))) && !(zero && is_length(name));
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A fixed xorshift sequence of strings made of `pieces`, for the differential tests below.
    pub(in crate::dom) fn generated(pieces: &[&str], count: usize, seed: u64) -> Vec<String> {
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
}
