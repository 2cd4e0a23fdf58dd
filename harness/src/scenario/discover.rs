//! Finding scenarios: every `*.scenario.json` under a folder (recursively), or the files given.
//! Each gets an id from its path (`shop/checkout`) that names its trial and golden folder.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

pub const SCENARIO_SUFFIX: &str = ".scenario.json";

/// A scenario file found on disk, not yet parsed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Discovered {
    /// Path relative to the root it was found under, without the suffix, `/`-separated.
    pub id: String,
    pub path: PathBuf,
}

impl Discovered {
    /// The libtest trial name: the id with `::` between folders.
    pub fn trial_name(&self) -> String {
        self.id.replace('/', "::")
    }
}

fn id_for(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    s.strip_suffix(SCENARIO_SUFFIX).unwrap_or(&s).trim_start_matches("./").to_string()
}

/// Scenarios under `root`, or under/at each of `paths` when given. Sorted by id.
pub fn discover(root: &Path, paths: &[PathBuf]) -> Result<Vec<Discovered>> {
    let mut out = Vec::new();
    let starts: Vec<PathBuf> = if paths.is_empty() { vec![root.to_path_buf()] } else { paths.to_vec() };
    for start in starts {
        if start.is_file() {
            let base = if start.starts_with(root) { root.to_path_buf() } else { start.parent().unwrap_or(Path::new("")).to_path_buf() };
            out.push(Discovered { id: id_for(&base, &start), path: start });
            continue;
        }
        if !start.is_dir() {
            return Err(Error::Usage(format!("no scenario file or folder at {}", start.display())));
        }
        let base = if start.starts_with(root) { root.to_path_buf() } else { start.clone() };
        let mut stack = vec![start];
        while let Some(dir) = stack.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))?;
            for entry in entries {
                let path = entry.map_err(|e| Error::io(&dir, e))?.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.to_string_lossy().ends_with(SCENARIO_SUFFIX) {
                    out.push(Discovered { id: id_for(&base, &path), path });
                }
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}
