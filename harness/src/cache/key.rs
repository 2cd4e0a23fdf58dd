//! Names of cached replays: `org/project/replay-id` as people write it, optionally prefixed by the
//! server's host, and the folder each maps to. Names are checked so none can escape the cache.

use crate::error::{Error, Result};
use std::fmt;
use std::path::PathBuf;

/// A replay as named on the command line: `org/project/id` or `host/org/project/id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayRef {
    pub host: Option<String>,
    pub org: String,
    pub project: String,
    /// 32 lowercase hex digits (dashes of a UUID are dropped).
    pub replay_id: String,
}

/// A replay of one server: the cache folder `<host>/<org>/<project>/<replay-id>`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ReplayKey {
    pub host: String,
    pub org: String,
    pub project: String,
    pub replay_id: String,
}

impl ReplayRef {
    /// Parses `org/project/replay-id` or `host/org/project/replay-id`.
    pub fn parse(text: &str) -> Result<ReplayRef> {
        let parts: Vec<&str> = text.split('/').collect();
        let (host, org, project, id) = match parts.as_slice() {
            [org, project, id] => (None, *org, *project, *id),
            [host, org, project, id] => (Some(*host), *org, *project, *id),
            _ => {
                return Err(Error::Usage(format!(
                    "`{text}` is not a replay: expected <org>/<project>/<replay-id>"
                )))
            }
        };
        for (what, value) in [("host", host.unwrap_or("x")), ("organization", org), ("project", project)] {
            if !is_slug(value) {
                return Err(Error::Usage(format!("`{text}`: `{value}` is not a valid {what} name")));
            }
        }
        Ok(ReplayRef {
            host: host.map(str::to_owned),
            org: org.to_owned(),
            project: project.to_owned(),
            replay_id: replay_id(id).ok_or_else(|| {
                Error::Usage(format!("`{text}`: `{id}` is not a replay id (32 hex digits)"))
            })?,
        })
    }

    /// The key of this replay on `host` (its own host, when it names one).
    pub fn on(&self, host: &str) -> ReplayKey {
        ReplayKey {
            host: self.host.clone().unwrap_or_else(|| host.to_owned()),
            org: self.org.clone(),
            project: self.project.clone(),
            replay_id: self.replay_id.clone(),
        }
    }

    /// Whether `key` is this replay (on any host, unless this names one).
    pub fn matches(&self, key: &ReplayKey) -> bool {
        self.host.as_ref().is_none_or(|h| *h == key.host)
            && self.org == key.org
            && self.project == key.project
            && self.replay_id == key.replay_id
    }
}

impl fmt::Display for ReplayRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(h) = &self.host {
            write!(f, "{h}/")?;
        }
        write!(f, "{}/{}/{}", self.org, self.project, self.replay_id)
    }
}

impl ReplayKey {
    /// `<host>/<org>/<project>`: the `source` of the bundle's `reprise` block.
    pub fn source(&self) -> String {
        format!("{}/{}/{}", self.host, self.org, self.project)
    }

    /// The bundle folder relative to the cache root.
    pub fn rel_path(&self) -> PathBuf {
        [&self.host, &self.org, &self.project, &self.replay_id].iter().collect()
    }
}

impl fmt::Display for ReplayKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}/{}", self.host, self.org, self.project, self.replay_id)
    }
}

/// A name safe as one path component and one URL path segment.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && s.len() <= 200
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A replay id in canonical form: 32 lowercase hex digits, dashes of a UUID dropped.
pub fn replay_id(s: &str) -> Option<String> {
    let id: String = s.chars().filter(|&c| c != '-').collect::<String>().to_ascii_lowercase();
    (id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit())).then_some(id)
}

/// A server authority (`sentry.io`, `127.0.0.1:9000`, `[::1]:80`) as one folder name.
pub fn host_dir(authority: &str) -> String {
    authority
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !matches!(c, '[' | ']'))
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '.') { c } else { '_' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_replay_names() {
        let r = ReplayRef::parse("acme/web/4EDD5189-0ee1-464d-9287-5f4d80ed65eb").unwrap();
        assert_eq!((r.org.as_str(), r.project.as_str()), ("acme", "web"));
        assert_eq!(r.replay_id, "4edd51890ee1464d92875f4d80ed65eb");
        assert_eq!(r.host, None);
        let r = ReplayRef::parse("sentry.example.com/acme/web/4edd51890ee1464d92875f4d80ed65eb").unwrap();
        assert_eq!(r.host.as_deref(), Some("sentry.example.com"));
        for bad in ["acme/web", "../web/4edd51890ee1464d92875f4d80ed65eb", "acme/web/xyz", "a//b/c", "/acme/web/4edd51890ee1464d92875f4d80ed65eb"] {
            assert!(ReplayRef::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hosts_become_one_folder_name() {
        assert_eq!(host_dir("Sentry.io"), "sentry.io");
        assert_eq!(host_dir("127.0.0.1:9000"), "127.0.0.1_9000");
        assert_eq!(host_dir("[::1]:80"), "__1_80");
    }
}
