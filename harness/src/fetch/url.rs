//! The Sentry server a fetch talks to (`--url` / `SENTRY_URL`) and the API paths reprise reads.
//! URLs never carry credentials: the token travels in a header only.

use crate::cache::host_dir;
use crate::error::{Error, Result};

/// `https://sentry.io`, or a self-hosted server, possibly under a path prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiBase {
    /// Scheme, authority and path prefix, without a trailing `/`.
    base: String,
    authority: String,
}

pub const DEFAULT_URL: &str = "https://sentry.io";

impl ApiBase {
    pub fn parse(url: &str) -> Result<ApiBase> {
        let url = url.trim().trim_end_matches('/');
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| Error::Usage(format!("`{url}`: the Sentry URL must start with https:// or http://")))?;
        let authority = rest.split('/').next().unwrap_or("");
        if authority.contains('@') {
            return Err(Error::Usage(
                "the Sentry URL must not contain credentials; pass the token with SENTRY_AUTH_TOKEN or --auth-token".into(),
            ));
        }
        if authority.is_empty() || rest.contains(['?', '#', ' ']) {
            return Err(Error::Usage(format!("`{url}` is not a server URL such as https://sentry.example.com")));
        }
        Ok(ApiBase { base: url.to_owned(), authority: authority.to_ascii_lowercase() })
    }

    /// The server as one cache folder name: `sentry.io`, `127.0.0.1_9000`.
    pub fn host_dir(&self) -> String {
        host_dir(&self.authority)
    }

    pub fn detail(&self, org: &str, replay: &str) -> String {
        format!("{}/api/0/organizations/{org}/replays/{replay}/", self.base)
    }

    pub fn segments(&self, org: &str, project: &str, replay: &str, per_page: u32, cursor: Option<&str>, download: bool) -> String {
        let mut url = format!(
            "{}/api/0/projects/{org}/{project}/replays/{replay}/recording-segments/?per_page={per_page}",
            self.base
        );
        if let Some(c) = cursor {
            url.push_str("&cursor=");
            url.push_str(&encode_query(c));
        }
        if download {
            url.push_str("&download=true");
        }
        url
    }

    pub fn video(&self, org: &str, project: &str, replay: &str, segment: u32) -> String {
        format!("{}/api/0/projects/{org}/{project}/replays/{replay}/videos/{segment}/", self.base)
    }

    pub fn event(&self, org: &str, project: &str, event_id: &str) -> String {
        format!("{}/api/0/projects/{org}/{project}/events/{event_id}/", self.base)
    }
}

/// Percent-encodes a query value (cursors are `0:100:0`, but a server may send anything).
fn encode_query(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_api_urls() {
        let b = ApiBase::parse("https://sentry.example.com/prefix/").unwrap();
        assert_eq!(b.host_dir(), "sentry.example.com");
        assert_eq!(
            b.segments("acme", "web", "ab", 100, Some("0:100:0"), true),
            "https://sentry.example.com/prefix/api/0/projects/acme/web/replays/ab/recording-segments/?per_page=100&cursor=0%3A100%3A0&download=true"
        );
        assert_eq!(b.detail("acme", "ab"), "https://sentry.example.com/prefix/api/0/organizations/acme/replays/ab/");
        assert_eq!(ApiBase::parse("http://127.0.0.1:9000").unwrap().host_dir(), "127.0.0.1_9000");
        assert!(ApiBase::parse("https://tok@sentry.io").is_err());
        assert!(ApiBase::parse("sentry.io").is_err());
    }
}
