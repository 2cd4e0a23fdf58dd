//! The canonical lexical forms (CANONICAL.md §3): quoted strings and ECMAScript number text.
//! Shared by every printer so that the canonical, JSON and HTML outputs agree on numbers.

/// Appends `Q(s)`: a JSON-like quoted string with the extra escapes of the canonical format.
pub fn quote_into(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let mut run = 0;
    for (i, c) in s.char_indices() {
        let esc: Option<&str> = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\u{8}' => Some("\\b"),
            '\t' => Some("\\t"),
            '\n' => Some("\\n"),
            '\u{c}' => Some("\\f"),
            '\r' => Some("\\r"),
            _ => None,
        };
        let needs_u = esc.is_none()
            && ((c as u32) < 0x20 || (0x7f..=0x9f).contains(&(c as u32)) || c == '\u{2028}' || c == '\u{2029}');
        if esc.is_none() && !needs_u {
            continue;
        }
        out.push_str(&s[run..i]);
        match esc {
            Some(e) => out.push_str(e),
            None => {
                use std::fmt::Write;
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
        }
        run = i + c.len_utf8();
    }
    out.push_str(&s[run..]);
    out.push('"');
}

/// `Q(s)` as a new string.
pub fn quote(s: &str) -> String {
    let mut out = String::new();
    quote_into(&mut out, s);
    out
}

/// A number as ECMAScript's `Number.prototype.toString` writes it: shortest round-trip digits,
/// no trailing `.0`, `-0` as `0`, exponent form below 1e-6 and from 1e21.
pub fn js_number(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    if x == 0.0 {
        return "0".into();
    }
    let a = x.abs();
    if (1e-6..1e21).contains(&a) {
        return format!("{x}");
    }
    // Rust writes `1.5e21` / `1e-7`; ECMAScript writes `1.5e+21` / `1e-7`.
    let s = format!("{x:e}");
    match s.split_once('e') {
        Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_the_canonical_escapes() {
        assert_eq!(quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(quote("\u{1}\u{7f}\u{85}\u{2028}\t\n\r\u{8}\u{c}"), r#""\u0001\u007f\u0085\u2028\t\n\r\b\f""#);
        assert_eq!(quote("é😀/<>&'"), "\"é😀/<>&'\"");
        assert_eq!(quote(""), "\"\"");
    }

    #[test]
    fn numbers_match_ecmascript() {
        assert_eq!(js_number(0.0), "0");
        assert_eq!(js_number(-0.0), "0");
        assert_eq!(js_number(1397.5), "1397.5");
        assert_eq!(js_number(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(js_number(1e21), "1e+21");
        assert_eq!(js_number(1.5e-7), "1.5e-7");
        assert_eq!(js_number(123456789012345680000.0), "123456789012345680000");
        assert_eq!(js_number(-5.0), "-5");
        assert_eq!(js_number(460.10009765625), "460.10009765625");
    }
}
