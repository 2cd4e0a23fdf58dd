//! Sentry's `Link` header: `<url>; rel="next"; results="true"; cursor="0:100:0"`, comma-joined
//! with the `previous` entry. Only the `next` entry's `results` and `cursor` matter.

/// What the `next` entry of a `Link` header says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// More results at this cursor.
    Cursor(String),
    /// `results="false"`: this was the last page.
    End,
}

/// Reads the `next` entry, or `None` when the header has none.
pub fn next(header: &str) -> Option<Next> {
    // Entries are split at `, <`: a URL may itself contain commas.
    for entry in header.split(", <").map(str::trim) {
        let mut rel = None;
        let mut results = None;
        let mut cursor = None;
        for param in entry.split(';').skip(1) {
            let Some((k, v)) = param.trim().split_once('=') else { continue };
            let v = v.trim().trim_matches('"').to_owned();
            match k.trim() {
                "rel" => rel = Some(v),
                "results" => results = Some(v),
                "cursor" => cursor = Some(v),
                _ => {}
            }
        }
        if rel.as_deref() != Some("next") {
            continue;
        }
        return Some(match (results.as_deref(), cursor) {
            (Some("false"), _) | (_, None) => Next::End,
            (_, Some(c)) => Next::Cursor(c),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sentry_link_headers() {
        let h = r#"<https://sentry.io/api/0/x/?per_page=3&cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", <https://sentry.io/api/0/x/?per_page=3&cursor=0:3:0>; rel="next"; results="true"; cursor="0:3:0""#;
        assert_eq!(next(h), Some(Next::Cursor("0:3:0".into())));
        let h = r#"<https://sentry.io/a/?cursor=0:0:1>; rel="previous"; results="true"; cursor="0:0:1", <https://sentry.io/a/?cursor=0:9:0>; rel="next"; results="false"; cursor="0:9:0""#;
        assert_eq!(next(h), Some(Next::End));
        assert_eq!(next(""), None);
        assert_eq!(next(r#"<x>; rel="previous"; results="true"; cursor="1""#), None);
    }
}
