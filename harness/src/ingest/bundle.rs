//! The replay bundle folder (docs/bundle-format.md): `metadata.json` + `segments/<id>.json[.gz]`
//! (+ `videos/<id>.mp4`). It is what `reprise fetch` writes and what the corpus ships.

use super::builder::Builder;
use super::compression::{inflate_all, into_text};
use super::envelope::merge_replay_event;
use crate::error::{Error, Location, Result};
use crate::model::{SourceFormat, Video};
use serde_json::Value;
use std::path::Path;

/// The newest bundle format this build reads and writes.
pub const FORMAT_VERSION: u64 = 1;

pub fn is_bundle(dir: &Path) -> bool {
    dir.join("metadata.json").is_file() && dir.join("segments").is_dir()
}

pub fn read(dir: &Path, lenient: bool) -> Result<crate::model::Recording> {
    let origin = dir.display().to_string();
    let mut b = Builder::new(&origin, SourceFormat::Bundle, lenient);
    b.segmented();
    let meta_path = dir.join("metadata.json");
    let meta_loc = Location::file(meta_path.display().to_string());
    let bytes = std::fs::read(&meta_path).map_err(|e| Error::io(&meta_path, e))?;
    let meta: Value = serde_json::from_slice(&bytes)
        .map_err(|e| Error::input(meta_loc.clone(), format!("not JSON: {e}")))?;
    if let Some(v) = meta.pointer("/reprise/format_version").and_then(Value::as_u64) {
        if v > FORMAT_VERSION {
            return Err(Error::input(
                meta_loc,
                format!("bundle format version {v} is newer than this reprise reads ({FORMAT_VERSION}); upgrade reprise"),
            ));
        }
    }
    merge_replay_event(&mut b, &meta);

    let seg_dir = dir.join("segments");
    let mut segments: Vec<(u32, std::path::PathBuf)> = Vec::new();
    let entries = std::fs::read_dir(&seg_dir).map_err(|e| Error::io(&seg_dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| Error::io(&seg_dir, e))?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        match name.split('.').next().and_then(|s| s.parse::<u32>().ok()) {
            Some(id) => segments.push((id, path)),
            None => b.rec.warn(path.display().to_string(), "not a segment file (expected <segment_id>.json[.gz]); skipped"),
        }
    }
    segments.sort();
    for (id, path) in segments {
        let loc = Location::file(path.display().to_string());
        let text = std::fs::read(&path)
            .map_err(|e| Error::io(&path, e))
            .and_then(|bytes| inflate_all(bytes, &loc.clone().segment(id)))
            .and_then(|bytes| into_text(bytes, &loc.clone().segment(id)));
        match text {
            Ok(text) => {
                let buffer = b.add_buffer(text);
                b.segment_from_buffer(id, buffer, &loc)?;
            }
            Err(e) => b.fail(id, e)?,
        }
    }
    for id in meta.get("missing_segment_ids").and_then(Value::as_array).into_iter().flatten() {
        if let Some(id) = id.as_u64().and_then(|i| u32::try_from(i).ok()) {
            b.gap(id, "missing from the server");
        }
    }
    // Linked error events fetched with `--include errors`.
    let error_dir = dir.join("errors");
    if let Ok(entries) = std::fs::read_dir(&error_dir) {
        let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        for path in files.into_iter().filter(|p| p.extension().is_some_and(|x| x == "json")) {
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(v) => {
                    if let Some(err) = super::envelope::error_event(&v, &path.display().to_string()) {
                        b.rec.errors.push(err);
                    }
                }
                Err(e) => b.rec.warn(path.display().to_string(), format!("error event is not JSON ({e}); skipped")),
            }
        }
    }
    let video_dir = dir.join("videos");
    if let Ok(entries) = std::fs::read_dir(&video_dir) {
        let mut videos: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        videos.sort();
        for path in videos {
            let id = path.file_stem().and_then(|s| s.to_str()).and_then(|s| s.parse::<u32>().ok());
            if let Some(segment) = id {
                let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
                b.rec.videos.push(Video { segment, bytes });
            }
        }
    }
    Ok(b.finish())
}
