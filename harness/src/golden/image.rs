//! PNG goldens: a screenshot compared with its golden pixel by pixel (masks and tolerances from
//! the caller), with the same update modes as text. A mismatch leaves `<file>.new` and the pixel
//! diff `<stem>.diff.png` beside the golden for review.

use super::pending::diff_image_path;
use super::store::{pending_path, write_atomic, GoldenStore};
use super::UpdateMode;
use crate::compare::{compare, png, DiffOptions, DiffReport};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// What comparing a screenshot with its golden found. A mismatch is a value, not an error.
#[derive(Debug, Clone, PartialEq)]
pub enum ImageOutcome {
    /// Byte-identical (`report` is None), or within the tolerances (`report` says by how much).
    Match { report: Option<DiffReport> },
    /// Beyond the tolerances (or another size). `pending` is the `.new` PNG written for review and
    /// `diff` the pixel diff image, if they were written.
    Mismatch { report: DiffReport, pending: Option<PathBuf>, diff: Option<PathBuf> },
    /// There is no golden; `pending` is the `.new` PNG written for review, if any.
    Missing { pending: Option<PathBuf> },
    /// `always` mode wrote the golden.
    Updated { path: PathBuf },
}

impl ImageOutcome {
    pub fn passed(&self) -> bool {
        matches!(self, ImageOutcome::Match { .. } | ImageOutcome::Updated { .. })
    }
}

/// One line about a comparison: `185 of 1024000 pixels differ (0.018%)` or the sizes.
pub fn diff_summary(report: &DiffReport) -> String {
    match &report.size_mismatch {
        Some(sizes) => sizes.to_string(),
        None => format!(
            "{} of {} pixels differ ({:.3}%)",
            report.diff_pixels,
            report.total_pixels,
            report.diff_ratio() * 100.0
        ),
    }
}

impl GoldenStore {
    /// Compares the PNG `actual` with the golden PNG at `<root>/<scenario>/<file>` under
    /// `options` (threshold, masks, tolerances; a diff image is always made for a mismatch).
    pub fn check_png(&self, scenario: &str, file: &str, actual: &[u8], options: &DiffOptions) -> Result<ImageOutcome> {
        let golden = self.path(scenario, file);
        let pending = pending_path(&golden);
        let diff = diff_image_path(&golden);
        let expected = match std::fs::read(&golden) {
            Ok(b) => Some(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(&golden, e)),
        };
        let report = match &expected {
            None => None,
            Some(bytes) if bytes == actual => {
                self.clear_pending(&pending, &diff);
                return Ok(ImageOutcome::Match { report: None });
            }
            Some(bytes) => {
                let want = png::decode(bytes, &golden.display().to_string())?;
                let got = png::decode(actual, &pending.display().to_string())?;
                let report = compare(&want, &got, &DiffOptions { diff_image: true, ..options.clone() });
                if report.passed {
                    self.clear_pending(&pending, &diff);
                    return Ok(ImageOutcome::Match { report: Some(without_image(report)) });
                }
                Some(report)
            }
        };
        match self.mode {
            UpdateMode::Always => {
                write_atomic(&golden, actual)?;
                self.clear_pending(&pending, &diff);
                Ok(ImageOutcome::Updated { path: golden })
            }
            UpdateMode::New => {
                write_atomic(&pending, actual)?;
                let Some(report) = report else { return Ok(ImageOutcome::Missing { pending: Some(pending) }) };
                let diff = match &report.diff_image {
                    Some(image) => {
                        write_atomic(&diff, &png::encode(image))?;
                        Some(diff)
                    }
                    // Sizes differ: no diff image, and an old one would mislead.
                    None => {
                        let _ = std::fs::remove_file(&diff);
                        None
                    }
                };
                Ok(ImageOutcome::Mismatch { report: without_image(report), pending: Some(pending), diff })
            }
            UpdateMode::No => Ok(match report {
                Some(report) => ImageOutcome::Mismatch { report: without_image(report), pending: None, diff: None },
                None => ImageOutcome::Missing { pending: None },
            }),
        }
    }

    /// A stale pending file or diff image from an earlier run would mislead a reviewer.
    fn clear_pending(&self, pending: &Path, diff: &Path) {
        if self.mode != UpdateMode::No {
            let _ = std::fs::remove_file(pending);
            let _ = std::fs::remove_file(diff);
        }
    }
}

/// The report without its pixels (they were written to the diff file).
fn without_image(report: DiffReport) -> DiffReport {
    DiffReport { diff_image: None, ..report }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::{Rect, RgbaImage};

    fn store(mode: UpdateMode, name: &str) -> GoldenStore {
        let root = std::env::temp_dir().join(format!("reprise-golden-png-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        GoldenStore { root, mode }
    }

    /// A 20x10 white PNG with `dots` red pixels on the first row.
    fn image(dots: u32) -> Vec<u8> {
        let mut img = RgbaImage::from_pixel(20, 10, ::image::Rgba([255, 255, 255, 255]));
        for x in 0..dots {
            img.put_pixel(x, 0, ::image::Rgba([255, 0, 0, 255]));
        }
        png::encode(&img)
    }

    #[test]
    fn a_mismatch_leaves_the_new_png_and_a_diff_image() {
        let s = store(UpdateMode::New, "mismatch");
        let opts = DiffOptions::default();
        let out = s.check_png("sc", "a.png", &image(0), &opts).unwrap();
        assert!(matches!(&out, ImageOutcome::Missing { pending: Some(p) } if p.ends_with("a.png.new")), "{out:?}");
        assert!(!out.passed());
        let s = GoldenStore { mode: UpdateMode::Always, ..s };
        assert!(s.check_png("sc", "a.png", &image(0), &opts).unwrap().passed());
        assert!(!s.path("sc", "a.png.new").exists(), "accepting clears the pending file");
        let s = GoldenStore { mode: UpdateMode::New, ..s };
        let out = s.check_png("sc", "a.png", &image(3), &opts).unwrap();
        let ImageOutcome::Mismatch { report, pending: Some(p), diff: Some(d) } = &out else { panic!("{out:?}") };
        assert_eq!((report.diff_pixels, diff_summary(report).as_str()), (3, "3 of 200 pixels differ (1.500%)"));
        assert_eq!(std::fs::read(p).unwrap(), image(3));
        assert_eq!(d, &s.path("sc", "a.diff.png"));
        assert_eq!(png::decode(&std::fs::read(d).unwrap(), "diff").unwrap().dimensions(), (20, 10));
        // Within a tolerance it matches, and the stale review files go.
        let loose = DiffOptions { max_diff_pixels: Some(3), ..DiffOptions::default() };
        let out = s.check_png("sc", "a.png", &image(3), &loose).unwrap();
        assert!(matches!(&out, ImageOutcome::Match { report: Some(r) } if r.diff_pixels == 3), "{out:?}");
        assert!(!p.exists() && !d.exists());
        // A mask over the changed pixels makes them equal.
        let masked = DiffOptions { masks: vec![Rect::new(0, 0, 3, 1)], ..DiffOptions::default() };
        assert!(s.check_png("sc", "a.png", &image(3), &masked).unwrap().passed());
        let _ = std::fs::remove_dir_all(&s.root);
    }

    #[test]
    fn no_mode_writes_nothing() {
        let s = store(UpdateMode::No, "no");
        assert_eq!(s.check_png("sc", "a.png", &image(1), &DiffOptions::default()).unwrap(), ImageOutcome::Missing { pending: None });
        assert!(!s.root.exists());
        let s = GoldenStore { mode: UpdateMode::Always, ..s };
        s.check_png("sc", "a.png", &image(0), &DiffOptions::default()).unwrap();
        let s = GoldenStore { mode: UpdateMode::No, ..s };
        let out = s.check_png("sc", "a.png", &image(2), &DiffOptions::default()).unwrap();
        assert!(matches!(out, ImageOutcome::Mismatch { pending: None, diff: None, .. }), "{out:?}");
        assert_eq!(std::fs::read_dir(s.root.join("sc")).unwrap().count(), 1);
        let _ = std::fs::remove_dir_all(&s.root);
    }
}
