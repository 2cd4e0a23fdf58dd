//! Screenshot goldens: a PNG compared pixel by pixel with its golden (same bytes, or the same
//! pixels under the pixelmatch defaults), with the same update modes and pending files as text;
//! a mismatch also leaves `<name>.diff.png` for review.

use super::store::{pending_path, write_atomic, GoldenStore};
use super::UpdateMode;
use crate::compare::{compare, png, DiffOptions};
use crate::error::{Error, Result};
use std::path::PathBuf;

/// What comparing a screenshot with its golden found.
#[derive(Debug, Clone, PartialEq)]
pub enum ImageOutcome {
    Match,
    /// `summary` says how many pixels differ; `pending` and `diff` are the files written.
    Mismatch { summary: String, pending: Option<PathBuf>, diff: Option<PathBuf> },
    Missing { pending: Option<PathBuf> },
    Updated { path: PathBuf },
}

impl ImageOutcome {
    pub fn passed(&self) -> bool {
        matches!(self, ImageOutcome::Match | ImageOutcome::Updated { .. })
    }
}

impl GoldenStore {
    /// Compares `actual` (PNG bytes) with the golden PNG at `<root>/<scenario>/<file>`.
    pub fn check_png(&self, scenario: &str, file: &str, actual: &[u8]) -> Result<ImageOutcome> {
        let golden = self.path(scenario, file);
        let pending = pending_path(&golden);
        let diff_path = PathBuf::from(format!("{}.diff.png", golden.to_string_lossy().trim_end_matches(".png")));
        let expected = match std::fs::read(&golden) {
            Ok(b) => Some(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(&golden, e)),
        };
        let mut summary = None;
        let mut diff_image = None;
        if let Some(expected) = &expected {
            if expected.as_slice() == actual {
                return Ok(self.clean(ImageOutcome::Match, &pending, &diff_path));
            }
            let a = png::decode(expected, &golden.display().to_string())?;
            let b = png::decode(actual, file)?;
            let report = compare(&a, &b, &DiffOptions { diff_image: true, ..DiffOptions::default() });
            if report.size_mismatch.is_none() && report.diff_pixels == 0 {
                return Ok(self.clean(ImageOutcome::Match, &pending, &diff_path));
            }
            summary = Some(match report.size_mismatch {
                Some(s) => format!("size {}x{} instead of {}x{}", s.b.0, s.b.1, s.a.0, s.a.1),
                None => format!("{} pixels differ ({:.3}%)", report.diff_pixels, report.diff_ratio() * 100.0),
            });
            diff_image = report.diff_image;
        }
        match self.mode {
            UpdateMode::Always => {
                write_atomic(&golden, actual)?;
                Ok(self.clean(ImageOutcome::Updated { path: golden }, &pending, &diff_path))
            }
            UpdateMode::New => {
                write_atomic(&pending, actual)?;
                let diff = match &diff_image {
                    Some(img) => {
                        write_atomic(&diff_path, &png::encode(img))?;
                        Some(diff_path)
                    }
                    None => None,
                };
                Ok(match summary {
                    Some(summary) => ImageOutcome::Mismatch { summary, pending: Some(pending), diff },
                    None => ImageOutcome::Missing { pending: Some(pending) },
                })
            }
            UpdateMode::No => Ok(match summary {
                Some(summary) => ImageOutcome::Mismatch { summary, pending: None, diff: None },
                None => ImageOutcome::Missing { pending: None },
            }),
        }
    }

    /// Drops stale review files after a match or an update (never in `no` mode).
    fn clean(&self, outcome: ImageOutcome, pending: &std::path::Path, diff: &std::path::Path) -> ImageOutcome {
        if self.mode != UpdateMode::No {
            let _ = std::fs::remove_file(pending);
            let _ = std::fs::remove_file(diff);
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::RgbaImage;

    fn png_of(color: [u8; 4]) -> Vec<u8> {
        png::encode(&RgbaImage::from_pixel(4, 3, ::image::Rgba(color)))
    }

    #[test]
    fn same_pixels_match_and_different_ones_leave_a_pending_file_and_a_diff() {
        let root = std::env::temp_dir().join(format!("reprise-golden-png-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let s = GoldenStore { root: root.clone(), mode: UpdateMode::New };
        assert!(matches!(s.check_png("sc", "a.png", &png_of([1, 2, 3, 255])).unwrap(), ImageOutcome::Missing { pending: Some(_) }));
        let s = GoldenStore { mode: UpdateMode::Always, ..s };
        assert!(s.check_png("sc", "a.png", &png_of([1, 2, 3, 255])).unwrap().passed());
        let s = GoldenStore { mode: UpdateMode::New, ..s };
        assert_eq!(s.check_png("sc", "a.png", &png_of([1, 2, 3, 255])).unwrap(), ImageOutcome::Match);
        let out = s.check_png("sc", "a.png", &png_of([250, 2, 3, 255])).unwrap();
        let ImageOutcome::Mismatch { summary, pending: Some(p), diff: Some(d) } = &out else { panic!("{out:?}") };
        assert!(summary.starts_with("12 pixels differ"), "{summary}");
        assert!(p.exists() && d.exists() && d.ends_with("a.diff.png"));
        let _ = std::fs::remove_dir_all(&root);
    }
}
