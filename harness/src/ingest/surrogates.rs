//! Lone UTF-16 surrogates in JSON (`"\ud800"`), which browsers' JSON.stringify can emit, become
//! U+FFFD before parsing (CANONICAL.md §3). The rewrite keeps every byte offset unchanged.

/// Replaces `\uD800`–`\uDFFF` escapes that are not part of a valid pair with `\ufffd`.
pub fn replace_lone_surrogates(mut text: String) -> String {
    let lower = text.as_bytes().windows(3).any(|w| w[0] == b'\\' && w[1] == b'u' && (w[2] | 0x20) == b'd');
    if !lower {
        return text;
    }
    // Safety of the byte edits: only ASCII bytes of an escape are replaced by ASCII bytes.
    let mut bytes = std::mem::take(&mut text).into_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        if bytes[i + 1] != b'u' {
            i += 2;
            continue;
        }
        let Some(cp) = hex4(&bytes, i + 2) else {
            i += 2;
            continue;
        };
        if (0xD800..0xDC00).contains(&cp) {
            let pair = bytes.get(i + 6) == Some(&b'\\')
                && bytes.get(i + 7) == Some(&b'u')
                && hex4(&bytes, i + 8).is_some_and(|lo| (0xDC00..0xE000).contains(&lo));
            if pair {
                i += 12;
                continue;
            }
            bytes[i + 2..i + 6].copy_from_slice(b"fffd");
        } else if (0xDC00..0xE000).contains(&cp) {
            bytes[i + 2..i + 6].copy_from_slice(b"fffd");
        }
        i += 6;
    }
    String::from_utf8(bytes).unwrap_or_default()
}

fn hex4(b: &[u8], at: usize) -> Option<u32> {
    let s = std::str::from_utf8(b.get(at..at + 4)?).ok()?;
    u32::from_str_radix(s, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let t = |s: &str| replace_lone_surrogates(s.to_string());
        assert_eq!(t(r#"["a\ud800b"]"#), r#"["a\ufffdb"]"#);
        assert_eq!(t(r#"["\ud83d\ude00"]"#), r#"["\ud83d\ude00"]"#);
        assert_eq!(t(r#"["\\ud800"]"#), r#"["\\ud800"]"#);
        assert_eq!(t(r#"["\udc00x"]"#), r#"["\ufffdx"]"#);
        assert_eq!(t("plain"), "plain");
    }
}
