//! Writes one bundle folder (docs/bundle-format.md): private, every file atomic, `metadata.json`
//! first with `complete: false` and again last, so an interrupted fetch never looks complete.

use super::atomic::{private_dir_all, write_private};
use super::key::is_slug;
use crate::error::{Error, Result};
use crate::ingest::BUNDLE_FORMAT_VERSION;
use flate2::write::GzEncoder;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Temporary files live here, inside the bundle, so a rename never crosses file systems.
pub const TMP_DIR: &str = ".tmp";

/// The `reprise` block of `metadata.json`.
#[derive(Debug, Clone, Default)]
pub struct Stamp {
    /// RFC 3339.
    pub fetched_at: String,
    pub complete: bool,
    /// `<host>/<org>/<project>`.
    pub source: String,
    /// What `--include` added (`errors`).
    pub include: Vec<String>,
    /// The `--segments` selection of a partial fetch.
    pub segments: Option<String>,
    pub warnings: Vec<String>,
}

impl Stamp {
    fn to_json(&self) -> Value {
        let mut v = json!({
            "format_version": BUNDLE_FORMAT_VERSION,
            "fetched_at": self.fetched_at,
            "complete": self.complete,
            "source": self.source,
        });
        if !self.include.is_empty() {
            v["include"] = json!(self.include);
        }
        if let Some(s) = &self.segments {
            v["segments"] = json!(s);
        }
        if !self.warnings.is_empty() {
            v["warnings"] = json!(self.warnings);
        }
        v
    }
}

pub struct BundleWriter {
    dir: PathBuf,
    tmp: PathBuf,
}

impl BundleWriter {
    /// Opens (creating, 0700) the bundle folder `dir` with its `segments/` folder.
    pub fn open(dir: &Path) -> Result<BundleWriter> {
        private_dir_all(dir)?;
        private_dir_all(&dir.join("segments"))?;
        let tmp = dir.join(TMP_DIR);
        private_dir_all(&tmp)?;
        Ok(BundleWriter { dir: dir.to_path_buf(), tmp })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes `metadata.json`: `meta` (an object) with the `reprise` block set to `stamp`.
    pub fn metadata(&self, meta: &Value, stamp: &Stamp) -> Result<()> {
        let mut meta = meta.clone();
        if !meta.is_object() {
            meta = json!({});
        }
        meta["reprise"] = stamp.to_json();
        let mut bytes = serde_json::to_vec_pretty(&meta).expect("a JSON value serializes");
        bytes.push(b'\n');
        write_private(&self.tmp, &self.dir.join("metadata.json"), &bytes)
    }

    /// Writes `segments/<id>.json.gz`: one rrweb event array, exactly as the server sent it.
    pub fn segment(&self, id: u32, json: &[u8]) -> Result<()> {
        let mut gz = GzEncoder::new(Vec::with_capacity(json.len() / 4), flate2::Compression::default());
        gz.write_all(json).and_then(|_| gz.flush()).map_err(|e| Error::io(&self.dir, e))?;
        let bytes = gz.finish().map_err(|e| Error::io(&self.dir, e))?;
        write_private(&self.tmp, &self.dir.join("segments").join(format!("{id}.json.gz")), &bytes)
    }

    /// Writes `videos/<id>.mp4`.
    pub fn video(&self, id: u32, bytes: &[u8]) -> Result<()> {
        let dir = self.dir.join("videos");
        private_dir_all(&dir)?;
        write_private(&self.tmp, &dir.join(format!("{id}.mp4")), bytes)
    }

    /// Writes `errors/<event_id>.json`.
    pub fn error_event(&self, event_id: &str, bytes: &[u8]) -> Result<()> {
        if !is_slug(event_id) {
            return Err(Error::Usage(format!("`{event_id}` is not an event id")));
        }
        let dir = self.dir.join("errors");
        private_dir_all(&dir)?;
        write_private(&self.tmp, &dir.join(format!("{event_id}.json")), bytes)
    }

    /// Removes segment files of an earlier fetch that the server no longer lists.
    pub fn retain_segments(&self, keep: &BTreeSet<u32>) -> Result<()> {
        let dir = self.dir.join("segments");
        for entry in std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))?.flatten() {
            let name = entry.file_name();
            let id = name.to_str().and_then(|n| n.split('.').next()).and_then(|n| n.parse::<u32>().ok());
            if id.is_some_and(|id| !keep.contains(&id)) {
                std::fs::remove_file(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
            }
        }
        Ok(())
    }
}
