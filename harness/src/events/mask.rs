//! Recorder masking: rrweb and Sentry replace every non-space character with `*`.

/// True when `text` has content and every non-whitespace character is `*`: what a masking
/// recorder leaves. Such text is flagged, never guessed.
pub fn is_masked(text: &str) -> bool {
    let mut any = false;
    for c in text.chars() {
        if c.is_whitespace() {
            continue;
        }
        if c != '*' {
            return false;
        }
        any = true;
    }
    any
}

#[cfg(test)]
mod tests {
    use super::is_masked;

    #[test]
    fn only_all_star_text_is_masked() {
        assert!(is_masked("*****"));
        assert!(is_masked("*** ** *"));
        assert!(!is_masked(""));
        assert!(!is_masked("   "));
        assert!(!is_masked("a**"));
        assert!(!is_masked("5 * 3"));
    }
}
