//! Comparing evidence with its golden file and writing pending files atomically.

use super::UpdateMode;
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The golden tree and how it may be written.
#[derive(Debug, Clone)]
pub struct GoldenStore {
    pub root: PathBuf,
    pub mode: UpdateMode,
}

/// What a comparison found. A mismatch is a value, not an error.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Match,
    /// The golden differs; `pending` is the `.new` file written for review, if any.
    Mismatch { expected: String, pending: Option<PathBuf> },
    /// There is no golden; `pending` is the `.new` file written for review, if any.
    Missing { pending: Option<PathBuf> },
    /// `always` mode wrote the golden.
    Updated { path: PathBuf },
}

impl Outcome {
    pub fn passed(&self) -> bool {
        matches!(self, Outcome::Match | Outcome::Updated { .. })
    }
}

/// Writes `bytes` to `path` through a temporary file and a rename: readers never see half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

pub fn pending_path(golden: &Path) -> PathBuf {
    let mut s = golden.as_os_str().to_owned();
    s.push(".new");
    PathBuf::from(s)
}

impl GoldenStore {
    pub fn path(&self, scenario: &str, file: &str) -> PathBuf {
        self.root.join(scenario).join(file)
    }

    /// Compares `actual` with the golden text at `<root>/<scenario>/<file>`.
    pub fn check_text(&self, scenario: &str, file: &str, actual: &str) -> Result<Outcome> {
        let golden = self.path(scenario, file);
        let pending = pending_path(&golden);
        let expected = match std::fs::read(&golden) {
            Ok(b) => Some(String::from_utf8_lossy(&b).into_owned()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(&golden, e)),
        };
        if expected.as_deref() == Some(actual) {
            // A stale pending file from an earlier run would mislead a reviewer.
            if pending.exists() && self.mode != UpdateMode::No {
                let _ = std::fs::remove_file(&pending);
            }
            return Ok(Outcome::Match);
        }
        match self.mode {
            UpdateMode::Always => {
                write_atomic(&golden, actual.as_bytes())?;
                let _ = std::fs::remove_file(&pending);
                Ok(Outcome::Updated { path: golden })
            }
            UpdateMode::New => {
                write_atomic(&pending, actual.as_bytes())?;
                Ok(match expected {
                    Some(expected) => Outcome::Mismatch { expected, pending: Some(pending) },
                    None => Outcome::Missing { pending: Some(pending) },
                })
            }
            UpdateMode::No => Ok(match expected {
                Some(expected) => Outcome::Mismatch { expected, pending: None },
                None => Outcome::Missing { pending: None },
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(mode: UpdateMode, name: &str) -> GoldenStore {
        let root = std::env::temp_dir().join(format!("reprise-golden-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        GoldenStore { root, mode }
    }

    #[test]
    fn missing_goldens_never_pass_and_leave_a_pending_file() {
        let s = store(UpdateMode::New, "missing");
        let out = s.check_text("sc", "a.dom.txt", "x\n").unwrap();
        let Outcome::Missing { pending: Some(p) } = &out else { panic!("{out:?}") };
        assert!(!out.passed());
        assert_eq!(std::fs::read_to_string(p).unwrap(), "x\n");
        assert!(!s.path("sc", "a.dom.txt").exists());
        let _ = std::fs::remove_dir_all(&s.root);
    }

    #[test]
    fn no_mode_writes_nothing_and_always_mode_updates() {
        let s = store(UpdateMode::No, "no");
        assert_eq!(s.check_text("sc", "a.dom.txt", "x").unwrap(), Outcome::Missing { pending: None });
        assert!(!s.root.exists());
        let s = GoldenStore { mode: UpdateMode::Always, ..s };
        assert!(s.check_text("sc", "a.dom.txt", "x").unwrap().passed());
        assert_eq!(s.check_text("sc", "a.dom.txt", "x").unwrap(), Outcome::Match);
        let s = GoldenStore { mode: UpdateMode::New, ..s };
        let out = s.check_text("sc", "a.dom.txt", "y").unwrap();
        assert!(matches!(out, Outcome::Mismatch { ref expected, pending: Some(_) } if expected == "x"));
        let _ = std::fs::remove_dir_all(&s.root);
    }
}
