//! The app under test as reprise serves it: a folder mapped onto the recorded origin, or a running
//! app whose origin replaces the recorded one.

use std::path::{Component, Path, PathBuf};

use super::spec::AppSource;
use crate::{Error, Result};

/// Where the app lives for one run.
#[derive(Debug, Clone)]
pub(crate) struct AppHost {
    /// `http://127.0.0.1:9201`: requests to this origin are the app's.
    pub origin: String,
    /// The served folder, or None for a running app.
    pub folder: Option<PathBuf>,
    /// The first page, at `origin`.
    pub start_url: String,
}

/// A served file.
pub(crate) struct File {
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl AppHost {
    /// Places the app: a folder at the recording's origin, a running app at its own origin with
    /// the recorded path.
    pub(crate) fn new(app: &AppSource, recorded_url: &str) -> Result<AppHost> {
        let (recorded_origin, path) = split_origin(recorded_url)
            .ok_or_else(|| Error::Usage(format!("the recording's page URL `{recorded_url}` is not an http(s) URL")))?;
        match app {
            AppSource::Folder(dir) => {
                if !dir.is_dir() {
                    return Err(Error::Usage(format!("the app folder {} does not exist (or is not a folder)", dir.display())));
                }
                let folder = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
                Ok(AppHost { origin: recorded_origin.to_string(), folder: Some(folder), start_url: recorded_url.to_string() })
            }
            AppSource::Url(url) => {
                let (origin, _) = split_origin(url).ok_or_else(|| Error::Usage(format!("app URL `{url}` is not an http(s) URL")))?;
                Ok(AppHost { origin: origin.to_string(), folder: None, start_url: format!("{origin}{path}") })
            }
        }
    }

    /// A recorded URL on the recorded origin, moved to the app's origin (a running app may listen
    /// elsewhere).
    pub(crate) fn relocate(&self, recorded: &str) -> String {
        match (self.folder.is_some(), split_origin(recorded)) {
            (false, Some((_, path))) => format!("{}{path}", self.origin),
            _ => recorded.to_string(),
        }
    }

    /// The path and query of `url` when it is on the app's origin.
    pub(crate) fn own_path<'u>(&self, url: &'u str) -> Option<&'u str> {
        let (origin, path) = split_origin(url)?;
        (origin == self.origin).then_some(path)
    }

    /// The file a GET of `path` names in the served folder (`/` is `index.html`), if any. Paths
    /// never leave the folder.
    pub(crate) fn file(&self, path: &str) -> Option<File> {
        let folder = self.folder.as_ref()?;
        let path = path.split(['?', '#']).next().unwrap_or("");
        let decoded = percent_decode(path)?;
        let mut full = folder.clone();
        for c in Path::new(decoded.trim_start_matches('/')).components() {
            match c {
                Component::Normal(part) => full.push(part),
                Component::CurDir => {}
                _ => return None,
            }
        }
        if full.is_dir() {
            full.push("index.html");
        }
        let body = std::fs::read(&full).ok()?;
        Some(File { content_type: content_type(&full), body })
    }
}

/// (`http://h:1`, `/p?q`) for `http://h:1/p?q#f`.
pub(crate) fn split_origin(url: &str) -> Option<(&str, &str)> {
    let url = url.split('#').next().unwrap_or(url);
    let scheme = url.find("://")?;
    if !matches!(&url[..scheme], "http" | "https") {
        return None;
    }
    let host_end = url[scheme + 3..].find(['/', '?']).map_or(url.len(), |i| scheme + 3 + i);
    let path = &url[host_end..];
    Some((&url[..host_end], if path.is_empty() { "/" } else { path }))
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("ttf") => "font/ttf",
        Some("txt") => "text/plain; charset=utf-8",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_serve_at_the_recorded_origin_and_never_outside() {
        let dir = std::env::temp_dir().join(format!("reprise-app-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("index.html"), "<p>hi").unwrap();
        std::fs::write(dir.join("sub/a b.js"), "1").unwrap();
        let host = AppHost::new(&AppSource::Folder(dir.clone()), "http://127.0.0.1:9201/?x=1#top").unwrap();
        assert_eq!(host.origin, "http://127.0.0.1:9201");
        assert_eq!(host.own_path("http://127.0.0.1:9201/sub/a%20b.js?v=2"), Some("/sub/a%20b.js?v=2"));
        assert_eq!(host.own_path("http://127.0.0.1:9202/"), None);
        assert_eq!(host.file("/").unwrap().body, b"<p>hi");
        assert_eq!(host.file("/sub/a%20b.js?v=2").unwrap().content_type, "text/javascript; charset=utf-8");
        assert!(host.file("/../index.html").is_none());
        assert!(host.file("/%2e%2e/etc/passwd").is_none());
        assert!(host.file("/nope.css").is_none());
        let err = AppHost::new(&AppSource::Folder(dir.join("missing")), "http://127.0.0.1:9201/").unwrap_err();
        assert!(err.to_string().contains("does not exist"), "{err}");
        let live = AppHost::new(&AppSource::Url("http://127.0.0.1:8080/app/".into()), "http://127.0.0.1:9201/p?q=1").unwrap();
        assert_eq!((live.origin.as_str(), live.start_url.as_str()), ("http://127.0.0.1:8080", "http://127.0.0.1:8080/p?q=1"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
