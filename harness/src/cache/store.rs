//! The cache root and the bundles under it: where a replay's bundle lives, listing, finding and
//! clearing. The root is `--cache-dir`, `$REPRISE_CACHE_DIR`, `$XDG_CACHE_HOME/reprise/replays` or
//! `~/.cache/reprise/replays`.

use super::atomic::{create_missing, private_dir_all};
use super::key::{ReplayKey, ReplayRef};
use super::status::BundleStatus;
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Cache {
    root: PathBuf,
}

/// One bundle in the cache.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: ReplayKey,
    pub status: BundleStatus,
}

impl Cache {
    pub fn new(root: impl Into<PathBuf>) -> Cache {
        Cache { root: root.into() }
    }

    /// The root from the environment: `$REPRISE_CACHE_DIR`, else `$XDG_CACHE_HOME/reprise/replays`,
    /// else `$HOME/.cache/reprise/replays`.
    pub fn from_env() -> Result<Cache> {
        let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
        if let Some(dir) = var("REPRISE_CACHE_DIR") {
            return Ok(Cache::new(dir));
        }
        let base = var("XDG_CACHE_HOME").filter(|p| p.is_absolute()).or_else(|| var("HOME").map(|h| h.join(".cache")));
        match base {
            Some(base) => Ok(Cache::new(base.join("reprise").join("replays"))),
            None => Err(Error::Environment(
                "cannot find the cache folder: set XDG_CACHE_HOME or HOME, or pass --cache-dir".into(),
            )),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn bundle_dir(&self, key: &ReplayKey) -> PathBuf {
        self.root.join(key.rel_path())
    }

    /// Creates the bundle folder of `key` and its parents: new folders 0700, and the
    /// `<host>/<org>/<project>/<id>` chain 0700 even if it existed.
    pub fn create_bundle_dir(&self, key: &ReplayKey) -> Result<PathBuf> {
        create_missing(&self.root)?;
        let mut dir = self.root.clone();
        for part in [&key.host, &key.org, &key.project, &key.replay_id] {
            dir.push(part);
            private_dir_all(&dir)?;
        }
        Ok(dir)
    }

    /// Every bundle folder `<host>/<org>/<project>/<id>` under the root, sorted.
    pub fn list(&self) -> Result<Vec<Entry>> {
        let mut out = Vec::new();
        if !self.root.is_dir() {
            return Ok(out);
        }
        for host in subdirs(&self.root)? {
            for org in subdirs(&self.root.join(&host))? {
                for project in subdirs(&self.root.join(&host).join(&org))? {
                    let pdir = self.root.join(&host).join(&org).join(&project);
                    for id in subdirs(&pdir)? {
                        let Some(replay_id) = super::key::replay_id(&id).filter(|r| *r == id) else { continue };
                        let key = ReplayKey { host: host.clone(), org: org.clone(), project: project.clone(), replay_id };
                        out.push(Entry { status: BundleStatus::read(&pdir.join(&id)), key });
                    }
                }
            }
        }
        out.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(out)
    }

    /// The bundles of `r` (one per host that has it).
    pub fn find(&self, r: &ReplayRef) -> Result<Vec<Entry>> {
        Ok(self.list()?.into_iter().filter(|e| r.matches(&e.key)).collect())
    }

    /// Removes the bundles `filter` names (a replay id or `[host/]org/project/id`), or all of them,
    /// and the folders left empty; returns what it removed. Only bundle folders are removed, so a
    /// `--cache-dir` pointing at a folder with other contents loses nothing else.
    pub fn clear(&self, filter: Option<&str>) -> Result<Vec<Entry>> {
        let wanted = match filter {
            None => Selector::All,
            Some(f) if f.contains('/') => Selector::Replay(ReplayRef::parse(f)?),
            Some(f) => Selector::Id(super::key::replay_id(f).ok_or_else(|| {
                Error::Usage(format!("`{f}` is not a replay id (32 hex digits) or org/project/id"))
            })?),
        };
        let mut removed = Vec::new();
        for entry in self.list()? {
            if !wanted.matches(&entry.key) {
                continue;
            }
            let dir = self.bundle_dir(&entry.key);
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
            let mut parent = dir.parent();
            while let Some(p) = parent.filter(|p| *p != self.root && p.starts_with(&self.root)) {
                if std::fs::remove_dir(p).is_err() {
                    break;
                }
                parent = p.parent();
            }
            removed.push(entry);
        }
        Ok(removed)
    }
}

/// Which bundles `clear` removes.
enum Selector {
    All,
    /// A bare replay id: that replay in every organization and project.
    Id(String),
    Replay(ReplayRef),
}

impl Selector {
    fn matches(&self, key: &ReplayKey) -> bool {
        match self {
            Selector::All => true,
            Selector::Id(id) => key.replay_id == *id,
            Selector::Replay(r) => r.matches(key),
        }
    }
}

fn subdirs(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') && entry.file_type().is_ok_and(|t| t.is_dir()) {
            out.push(name);
        }
    }
    out.sort();
    Ok(out)
}
