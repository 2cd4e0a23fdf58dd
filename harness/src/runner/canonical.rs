//! Reading canonical DOM text (CANONICAL.md) as lines: node ids, depth, subtrees, text and state;
//! and the ignore rules applied to it.

use crate::error::{Error, Result};
use crate::scenario::Ignore;

/// Depth (two spaces per level) of a canonical line.
fn depth(line: &str) -> usize {
    (line.len() - line.trim_start_matches(' ').len()) / 2
}

/// The `@<id>` at the end of a line, if any.
pub fn line_id(line: &str) -> Option<i64> {
    line.rsplit_once(" @").and_then(|(_, id)| id.parse().ok())
}

/// The line range of the subtree of node `id` (its line and every deeper line after it).
fn subtree(lines: &[&str], id: i64) -> Option<std::ops::Range<usize>> {
    let start = lines.iter().position(|l| line_id(l) == Some(id))?;
    let d = depth(lines[start]);
    let end = lines[start + 1..].iter().position(|l| depth(l) <= d).map_or(lines.len(), |p| start + 1 + p);
    Some(start..end)
}

/// The subtrees of `ids`, in the given order, each re-indented to depth 0.
pub fn extract(text: &str, ids: &[i64]) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    for &id in ids {
        if let Some(r) = subtree(&lines, id) {
            let d = depth(lines[r.start]) * 2;
            for l in &lines[r] {
                out.push_str(&l[d.min(l.len())..]);
                out.push('\n');
            }
        }
    }
    out
}

/// Removes the subtrees of `ids`.
pub fn remove(text: &str, ids: &[i64]) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut drop = vec![false; lines.len()];
    for &id in ids {
        if let Some(r) = subtree(&lines, id) {
            drop[r].iter_mut().for_each(|d| *d = true);
        }
    }
    lines.iter().zip(drop).filter(|(_, d)| !d).map(|(l, _)| format!("{l}\n")).collect()
}

/// Parses a quoted canonical string (`"..."` with JSON escapes) at the start of `s`; returns the
/// value and the rest.
fn quoted(s: &str) -> Option<(String, &str)> {
    let b = s.as_bytes();
    if b.first() != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => {
                let v: String = serde_json::from_str(&s[..=i]).ok()?;
                return Some((v, &s[i + 1..]));
            }
            _ => i += 1,
        }
    }
    None
}

/// The text content of node `id`: its text descendants, joined, whitespace collapsed.
pub fn text_of(text: &str, id: i64) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let r = subtree(&lines, id)?;
    let mut s = String::new();
    for l in &lines[r] {
        if let Some((v, _)) = quoted(l.trim_start()) {
            s.push_str(&v);
        }
    }
    Some(s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The `:value=` state of node `id`, if printed.
pub fn value_of(text: &str, id: i64) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let r = subtree(&lines, id)?;
    let line = lines[r.start];
    let at = line.rfind(" :value=")?;
    quoted(&line[at + 8..]).map(|(v, _)| v)
}

/// Drops ` name="…"` attributes from element lines.
fn drop_attributes(text: &str, names: &[String]) -> Result<String> {
    if names.is_empty() {
        return Ok(text.to_string());
    }
    let alts: Vec<String> = names.iter().map(|n| regex::escape(n)).collect();
    let re = regex::Regex::new(&format!(r#" (?:{})="(?:[^"\\]|\\.)*""#, alts.join("|")))
        .map_err(|e| Error::Usage(format!("ignore.attributes: {e}")))?;
    Ok(text
        .lines()
        .map(|l| if l.trim_start().starts_with('<') { format!("{}\n", re.replace_all(l, "")) } else { format!("{l}\n") })
        .collect())
}

/// Applies attribute and text ignore rules (selector rules need the DOM and are applied first).
pub fn apply_ignore(text: &str, ignore: &Ignore) -> Result<String> {
    let mut out = drop_attributes(text, &ignore.attributes)?;
    for r in &ignore.text {
        let re = regex::Regex::new(r).map_err(|e| Error::Usage(format!("ignore.text `{r}`: {e}")))?;
        out = re.replace_all(&out, "[ignored]").into_owned();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "#document @1\n  <html> @2\n    <body class=\"a\" data-ts=\"12\"> @3\n      \"Hello \" @4\n      <b> @5\n        \"wor\\\"ld\" @6\n      <input type=\"text\"> :value=\"typed\" @7\n  <!-- --> @8\n";

    #[test]
    fn subtrees_text_and_values() {
        assert_eq!(extract(DOC, &[5]), "<b> @5\n  \"wor\\\"ld\" @6\n");
        assert_eq!(text_of(DOC, 3).unwrap(), "Hello wor\"ld");
        assert_eq!(value_of(DOC, 7).as_deref(), Some("typed"));
        assert_eq!(remove(DOC, &[3]), "#document @1\n  <html> @2\n  <!-- --> @8\n");
    }

    #[test]
    fn ignore_rules() {
        let ig = Ignore { selectors: vec![], attributes: vec!["data-ts".into()], text: vec!["wor.*ld".into()] };
        let out = apply_ignore(DOC, &ig).unwrap();
        assert!(out.contains("<body class=\"a\"> @3"));
        assert!(out.contains("[ignored]"));
    }
}
