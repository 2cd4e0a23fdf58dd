//! A render-mode checkpoint's screenshot: the DOM state rendered by the shared browser, mask
//! selectors resolved to rectangles in that render and painted on it, then compared with
//! `<name>.png` under the checkpoint's tolerances.

use super::render::RenderPlan;
use super::report::ScreenshotReport;
use super::shared_browser::SharedBrowser;
use crate::browser::{ElementBox, Rendered};
use crate::compare::mask::{paint, DEFAULT_MASK_COLOR};
use crate::compare::{png, DiffOptions, Rect};
use crate::dom::Dom;
use crate::error::Result;
use crate::golden::{diff_summary, GoldenStore, ImageOutcome};
use crate::model::Offset;
use crate::scenario::{Checkpoint, Pixels};
use std::fmt::Write;
use std::path::Path;

/// Where the screenshot check is, for messages.
pub struct Place<'a> {
    pub id: &'a str,
    pub replay: &'a Path,
    pub offset: Offset,
    pub how: &'a str,
}

/// Renders, masks and compares one checkpoint's screenshot. Failures are appended to `failures`.
pub fn check_screenshot(
    place: &Place<'_>,
    cp: &Checkpoint,
    dom: &Dom<'_>,
    browser: &SharedBrowser,
    golden: &GoldenStore,
    failures: &mut String,
) -> ScreenshotReport {
    let version = browser.launched().map_or("", |b| b.version()).to_string();
    let look = format!(
        "  look:    reprise render {} --at {}ms -o {}.png",
        place.replay.display(),
        place.offset.ms(),
        cp.name
    );
    judge_screenshot(place, cp, shoot(cp, dom, browser), &version, &look, golden, failures)
}

/// Compares a screenshot already taken (with its masks painted, or the error that prevented it)
/// with `<name>.png`. `look` is the line that says how to see it again.
pub fn judge_screenshot(
    place: &Place<'_>,
    cp: &Checkpoint,
    shot: Result<(Vec<u8>, Vec<Rect>)>,
    version: &str,
    look: &str,
    golden: &GoldenStore,
    failures: &mut String,
) -> ScreenshotReport {
    let file = format!("{}.png", cp.name);
    let golden_path = golden.path(place.id, &file);
    let mut report = ScreenshotReport {
        verdict: "error".into(),
        golden: golden_path.display().to_string(),
        diff_pixels: None,
        diff_summary: None,
        pending: None,
        diff_image: None,
        masks: Vec::new(),
        error: None,
    };
    let head = format!("checkpoint `{}` at {} ({})", cp.name, place.offset, place.how);
    let (masks, outcome) = match shot.and_then(|(png, masks)| {
        let outcome = golden.check_png(place.id, &file, &png, &pixel_options(&cp.pixels, &masks))?;
        Ok((masks, outcome))
    }) {
        Ok(done) => done,
        Err(e) => {
            let _ = writeln!(failures, "{head}: screenshot failed: {e}");
            report.error = Some(e.to_string());
            return report;
        }
    };
    report.masks = masks.iter().map(Rect::to_string).collect();
    let accept = format!("  accept:  reprise golden accept {}/{file}", place.id);
    match outcome {
        ImageOutcome::Match { report: diff } => {
            report.verdict = "match".into();
            report.diff_pixels = Some(diff.as_ref().map_or(0, |d| d.diff_pixels));
        }
        ImageOutcome::Updated { .. } => report.verdict = "updated".into(),
        ImageOutcome::Missing { pending } => {
            report.verdict = "missing".into();
            report.pending = pending.as_ref().map(|p| p.display().to_string());
            let _ = writeln!(failures, "{head}: no golden screenshot {}", golden_path.display());
            match &pending {
                Some(p) => {
                    let _ = writeln!(failures, "  the screenshot ({version}) was written to {} for review", p.display());
                }
                None => {
                    let _ = writeln!(failures, "  nothing was written (CI or REPRISE_UPDATE=no); run locally to create it");
                }
            }
            let _ = writeln!(failures, "{look}\n{accept}");
        }
        ImageOutcome::Mismatch { report: diff, pending, diff: diff_path } => {
            let summary = diff_summary(&diff);
            report.verdict = "mismatch".into();
            report.diff_pixels = Some(diff.diff_pixels);
            report.diff_summary = Some(summary.clone());
            report.pending = pending.as_ref().map(|p| p.display().to_string());
            report.diff_image = diff_path.as_ref().map(|p| p.display().to_string());
            let _ = writeln!(
                failures,
                "{head}: screenshot differs from {}: {summary}{}",
                golden_path.display(),
                tolerance(&cp.pixels)
            );
            if let Some(p) = &pending {
                let _ = writeln!(failures, "  the new screenshot ({version}) was written to {}", p.display());
            }
            if let Some(d) = &diff_path {
                let _ = writeln!(failures, "  the pixel diff (differences in red) was written to {}", d.display());
            }
            let _ = writeln!(failures, "{look}\n  review:  reprise golden review {}/{file}\n{accept}", place.id);
        }
    }
    report
}

/// The PNG of the checkpoint with its masks painted on, and the masks.
fn shoot(cp: &Checkpoint, dom: &Dom<'_>, browser: &SharedBrowser) -> Result<(Vec<u8>, Vec<Rect>)> {
    let browser = browser.get()?;
    let rendered = RenderPlan::of(dom).render(browser, &cp.pixels.mask)?;
    masked_png(&rendered)
}

/// A render's PNG with the boxes it measured painted magenta (the screenshot as stored: volatile
/// pixels never reach a golden), and those boxes as mask rectangles. Without boxes, the PNG as
/// Chromium encoded it.
pub fn masked_png(rendered: &Rendered) -> Result<(Vec<u8>, Vec<Rect>)> {
    paint_boxes(&rendered.png, &rendered.boxes)
}

/// `png` with `boxes` painted magenta, and the boxes as mask rectangles.
pub fn paint_boxes(png_bytes: &[u8], boxes: &[ElementBox]) -> Result<(Vec<u8>, Vec<Rect>)> {
    let masks: Vec<Rect> = boxes.iter().map(|b| Rect::new(b.x, b.y, b.width, b.height)).collect();
    if masks.is_empty() {
        return Ok((png_bytes.to_vec(), masks));
    }
    let mut image = png::decode(png_bytes, "the screenshot")?;
    let (width, height) = image.dimensions();
    paint(&mut image, width, height, &masks, DEFAULT_MASK_COLOR);
    Ok((png::encode(&image), masks))
}

/// The comparison options of a checkpoint's `pixels` with its measured masks.
pub fn pixel_options(pixels: &Pixels, masks: &[Rect]) -> DiffOptions {
    let defaults = DiffOptions::default();
    DiffOptions {
        threshold: pixels.threshold.unwrap_or(defaults.threshold),
        max_diff_pixels: pixels.max_diff_pixels,
        max_diff_ratio: pixels.max_diff_ratio,
        masks: masks.to_vec(),
        ..defaults
    }
}

/// ` (tolerance: ...)` when the checkpoint has one.
fn tolerance(pixels: &Pixels) -> String {
    let mut parts = Vec::new();
    if let Some(n) = pixels.max_diff_pixels {
        parts.push(format!("maxDiffPixels {n}"));
    }
    if let Some(r) = pixels.max_diff_ratio {
        parts.push(format!("maxDiffRatio {r}"));
    }
    if let Some(t) = pixels.threshold {
        parts.push(format!("threshold {t}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" (tolerance: {})", parts.join(", "))
    }
}
