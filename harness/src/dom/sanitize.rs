//! HTML's value sanitization algorithm per input type, as Chromium applies it when rrweb sets
//! `input.value` (CANONICAL.md §4.4). Masked values such as `***` are where it shows.

/// The input type an element behaves as: its `type` attribute if known, else `text`.
pub fn input_type(attr: Option<&str>) -> &'static str {
    const TYPES: [&str; 22] = [
        "hidden", "text", "search", "tel", "url", "email", "password", "date", "month", "week", "time",
        "datetime-local", "number", "range", "color", "checkbox", "radio", "file", "submit", "image", "reset",
        "button",
    ];
    let t = attr.unwrap_or("").to_ascii_lowercase();
    TYPES.iter().find(|x| **x == t).copied().unwrap_or("text")
}

/// How `.value` behaves for an input type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueMode {
    Value,
    Default,
    DefaultOn,
    Filename,
}

pub fn value_mode(ty: &str) -> ValueMode {
    match ty {
        "hidden" | "submit" | "image" | "reset" | "button" => ValueMode::Default,
        "checkbox" | "radio" => ValueMode::DefaultOn,
        "file" => ValueMode::Filename,
        _ => ValueMode::Value,
    }
}

fn is_ascii_ws(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ')
}

fn strip_newlines(v: &str) -> String {
    v.chars().filter(|&c| c != '\n' && c != '\r').collect()
}

/// Attributes the range sanitizer needs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits<'a> {
    pub min: Option<&'a str>,
    pub max: Option<&'a str>,
    pub step: Option<&'a str>,
    pub multiple: bool,
}

pub fn sanitize(ty: &str, v: &str, limits: Limits<'_>) -> String {
    match ty {
        "text" | "search" | "tel" | "password" => strip_newlines(v),
        "url" => strip_newlines(v).trim_matches(is_ascii_ws).to_string(),
        "email" if limits.multiple => {
            strip_newlines(v).split(',').map(|p| p.trim_matches(is_ascii_ws)).collect::<Vec<_>>().join(",")
        }
        "email" => strip_newlines(v).trim_matches(is_ascii_ws).to_string(),
        "number" => {
            if v.is_empty() || parse_float(v).is_some() {
                v.to_string()
            } else {
                String::new()
            }
        }
        "range" => range(v, limits),
        "color" => {
            let ok = v.len() == 7 && v.starts_with('#') && v[1..].bytes().all(|b| b.is_ascii_hexdigit());
            if ok {
                v.to_ascii_lowercase()
            } else {
                "#000000".into()
            }
        }
        "date" => keep_if(v, valid_date(v)),
        "month" => keep_if(v, valid_month(v)),
        "week" => keep_if(v, valid_week(v)),
        "time" => keep_if(v, valid_time(v)),
        "datetime-local" => {
            let ok = v.split_once(['T', ' ']).is_some_and(|(d, t)| valid_date(d) && valid_time(t));
            keep_if(v, ok)
        }
        _ => v.to_string(),
    }
}

fn keep_if(v: &str, ok: bool) -> String {
    if ok {
        v.to_string()
    } else {
        String::new()
    }
}

/// HTML's "valid floating-point number".
pub fn parse_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'-') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let f = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == f {
            return None;
        }
    } else if int_digits == 0 {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let e = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == e {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    s.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn range(v: &str, l: Limits<'_>) -> String {
    let min = l.min.and_then(parse_float).unwrap_or(0.0);
    let mut max = l.max.and_then(parse_float).unwrap_or(100.0);
    if max < min {
        max = min;
    }
    let step = match l.step {
        Some(s) if s.eq_ignore_ascii_case("any") => None,
        Some(s) => Some(parse_float(s).filter(|x| *x > 0.0).unwrap_or(1.0)),
        None => Some(1.0),
    };
    let default = if max < min { min } else { min + (max - min) / 2.0 };
    let mut x = parse_float(v).unwrap_or(default).clamp(min, max);
    if let Some(step) = step {
        x = min + ((x - min) / step).round() * step;
        while x > max {
            x -= step;
        }
    }
    super::text::js_number(x)
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

fn year(s: &str) -> Option<u32> {
    (s.len() >= 4 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten().filter(|&y| y > 0)
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn valid_month(s: &str) -> bool {
    let Some((y, m)) = s.rsplit_once('-') else { return false };
    matches!((year(y), digits(m, 2)), (Some(_), Some(m)) if (1..=12).contains(&m))
}

fn valid_date(s: &str) -> bool {
    let mut it = s.rsplitn(3, '-');
    let (Some(d), Some(m), Some(y)) = (it.next(), it.next(), it.next()) else { return false };
    match (year(y), digits(m, 2), digits(d, 2)) {
        (Some(y), Some(m), Some(d)) => (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m),
        _ => false,
    }
}

fn valid_week(s: &str) -> bool {
    let Some((y, w)) = s.split_once("-W") else { return false };
    matches!((year(y), digits(w, 2)), (Some(_), Some(w)) if (1..=53).contains(&w))
}

fn valid_time(s: &str) -> bool {
    let mut parts = s.splitn(3, ':');
    let (Some(h), Some(m)) = (parts.next(), parts.next()) else { return false };
    let ok_hm = matches!((digits(h, 2), digits(m, 2)), (Some(h), Some(m)) if h < 24 && m < 60);
    let ok_s = match parts.next() {
        None => true,
        Some(sec) => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, "1"));
            matches!(digits(whole, 2), Some(x) if x < 60)
                && !frac.is_empty()
                && frac.len() <= 3
                && frac.bytes().all(|b| b.is_ascii_digit())
        }
    };
    ok_hm && ok_s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(ty: &str, v: &str, expected: &str) {
        assert_eq!(sanitize(ty, v, Limits::default()), expected, "{ty} {v:?}");
    }

    #[test]
    fn sanitization_by_type() {
        check("number", "**", "");
        check("number", "-1.5e3", "-1.5e3");
        check("number", "1.", "");
        check("color", "***", "#000000");
        check("color", "#FF00aa", "#ff00aa");
        check("date", "2024-13-45", "");
        check("date", "2024-02-29", "2024-02-29");
        check("email", " x@y.z ", "x@y.z");
        check("text", "a\r\nb", "ab");
        check("url", " http://x \n", "http://x");
        check("time", "23:59:59.999", "23:59:59.999");
        check("week", "2024-W53", "2024-W53");
        let l = Limits { min: Some("0"), max: Some("10"), ..Limits::default() };
        assert_eq!(sanitize("range", "**", l), "5");
        assert_eq!(sanitize("range", "11", l), "10");
        assert_eq!(sanitize("range", "**", Limits::default()), "50");
    }
}
