//! Pending `.new` files: listing, accepting (rename over the golden) and rejecting (delete).

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// A pending file and the golden it would replace.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pending {
    /// `<scenario>/<file>` relative to the golden root, without `.new`.
    pub name: String,
    pub golden: PathBuf,
    pub pending: PathBuf,
}

/// Every `*.new` under `root` whose name contains `filter` (all when None), sorted.
pub fn list_pending(root: &Path, filter: Option<&str>) -> Result<Vec<Pending>> {
    let mut out = Vec::new();
    if !root.exists() {
        return Ok(out);
    }
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
            let path = entry.map_err(|e| Error::io(&dir, e))?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let s = path.to_string_lossy();
            let Some(golden) = s.strip_suffix(".new") else { continue };
            let golden = PathBuf::from(golden);
            let name = golden.strip_prefix(root).unwrap_or(&golden).to_string_lossy().replace('\\', "/");
            if filter.is_none_or(|f| name.contains(f)) {
                out.push(Pending { name, golden, pending: path });
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Moves the pending file over its golden (and drops a pixel-diff image beside it).
pub fn accept(p: &Pending) -> Result<()> {
    std::fs::rename(&p.pending, &p.golden).map_err(|e| Error::io(&p.golden, e))?;
    remove_diff_image(&p.golden);
    Ok(())
}

pub fn reject(p: &Pending) -> Result<()> {
    std::fs::remove_file(&p.pending).map_err(|e| Error::io(&p.pending, e))?;
    remove_diff_image(&p.golden);
    Ok(())
}

fn remove_diff_image(golden: &Path) {
    if golden.to_string_lossy().ends_with(".png") {
        let _ = std::fs::remove_file(diff_image_path(golden));
    }
}

/// Where the pixel diff of a PNG golden goes: `<stem>.diff.png` beside `<stem>.png`.
pub fn diff_image_path(golden: &Path) -> PathBuf {
    let name = golden.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = name.strip_suffix(".png").unwrap_or(&name);
    golden.with_file_name(format!("{stem}.diff.png"))
}
