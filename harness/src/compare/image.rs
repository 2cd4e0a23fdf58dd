//! Image comparison with pixelmatch's algorithm (YIQ delta, threshold, anti-aliasing
//! detection), plus masks and tolerances. A mismatch, including a size mismatch, is a value in
//! the [`DiffReport`], never an error; nothing here reads or writes files.

use super::mask::{self, Rect, DEFAULT_MASK_COLOR};
use super::scan::{scan, Counts, ScanParams};
use super::yiq::Background;
use ::image::RgbaImage;
use std::borrow::Cow;
use std::fmt;

/// How two images are compared. `Default` is pixelmatch's defaults with no tolerance.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffOptions {
    /// Per-pixel colour tolerance, 0 to 1, as a fraction of the largest YIQ delta; smaller is
    /// stricter. pixelmatch's default is 0.1.
    pub threshold: f64,
    /// Count anti-aliased pixels as differences, i.e. turn anti-aliasing detection off
    /// (pixelmatch's `includeAA`). Off by default: anti-aliased pixels are ignored.
    pub include_aa: bool,
    /// The comparison passes with at most this many differing pixels (default 0).
    pub max_diff_pixels: Option<u64>,
    /// The comparison passes with at most this fraction (0 to 1) of differing pixels.
    /// With both tolerances set, both must hold.
    pub max_diff_ratio: Option<f64>,
    /// Rectangles painted in `mask_color` on both images before comparing.
    pub masks: Vec<Rect>,
    pub mask_color: [u8; 4],
    /// What translucent pixels are blended onto before comparing.
    pub background: Background,
    /// Produce [`DiffReport::diff_image`].
    pub diff_image: bool,
    /// The colours of the diff image.
    pub style: DiffStyle,
}

impl Default for DiffOptions {
    fn default() -> DiffOptions {
        DiffOptions {
            threshold: 0.1,
            include_aa: false,
            max_diff_pixels: None,
            max_diff_ratio: None,
            masks: Vec::new(),
            mask_color: DEFAULT_MASK_COLOR,
            background: Background::default(),
            diff_image: false,
            style: DiffStyle::default(),
        }
    }
}

/// pixelmatch's diff image: the first image in faded grey, differences in `diff_color`
/// (`diff_color_alt` where the second image is darker), anti-aliased pixels in `aa_color`.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffStyle {
    /// Opacity of the first image under the diff (0 = white, 1 = full grey image).
    pub alpha: f64,
    pub aa_color: [u8; 4],
    pub diff_color: [u8; 4],
    pub diff_color_alt: Option<[u8; 4]>,
    /// Draw only the differences, over a transparent background.
    pub diff_mask: bool,
}

impl Default for DiffStyle {
    fn default() -> DiffStyle {
        DiffStyle {
            alpha: 0.1,
            aa_color: [255, 255, 0, 255],
            diff_color: [255, 0, 0, 255],
            diff_color_alt: None,
            diff_mask: false,
        }
    }
}

/// Two images of different sizes: (width, height) of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeMismatch {
    pub a: (u32, u32),
    pub b: (u32, u32),
}

impl fmt::Display for SizeMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sizes differ: {}x{} vs {}x{}", self.a.0, self.a.1, self.b.0, self.b.1)
    }
}

/// The outcome of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffReport {
    /// The compared size; for a size mismatch, the smallest size holding both images.
    pub width: u32,
    pub height: u32,
    /// Pixels that differ beyond the threshold and are not anti-aliasing; for a size
    /// mismatch, every pixel of `width` × `height`.
    pub diff_pixels: u64,
    /// Pixels that differ beyond the threshold but were taken for anti-aliasing (0 with
    /// `include_aa`).
    pub aa_pixels: u64,
    pub total_pixels: u64,
    pub size_mismatch: Option<SizeMismatch>,
    /// Present when asked for and the sizes match.
    pub diff_image: Option<RgbaImage>,
    /// Within the tolerances (never with a size mismatch).
    pub passed: bool,
}

impl DiffReport {
    /// Differing pixels as a fraction of all pixels (0 for an empty image).
    pub fn diff_ratio(&self) -> f64 {
        if self.total_pixels == 0 {
            0.0
        } else {
            self.diff_pixels as f64 / self.total_pixels as f64
        }
    }

    /// No pixel differs beyond the threshold (after masks and anti-aliasing detection).
    pub fn identical(&self) -> bool {
        self.size_mismatch.is_none() && self.diff_pixels == 0
    }
}

/// Compares `a` (the expected image) with `b`.
pub fn compare(a: &RgbaImage, b: &RgbaImage, opts: &DiffOptions) -> DiffReport {
    if a.dimensions() != b.dimensions() {
        return size_mismatch(a.dimensions(), b.dimensions());
    }
    let (width, height) = a.dimensions();
    let (a, b) = (masked(a, opts), masked(b, opts));
    let params = ScanParams {
        width: width as usize,
        height: height as usize,
        threshold: opts.threshold,
        include_aa: opts.include_aa,
        background: opts.background,
        style: &opts.style,
    };
    let mut out = opts.diff_image.then(|| vec![0u8; a.len()]);
    let counts: Counts = scan(&a, &b, &params, out.as_deref_mut());
    let total_pixels = u64::from(width) * u64::from(height);
    DiffReport {
        width,
        height,
        diff_pixels: counts.diff,
        aa_pixels: counts.aa,
        total_pixels,
        size_mismatch: None,
        diff_image: out.and_then(|buf| RgbaImage::from_raw(width, height, buf)),
        passed: within_tolerance(counts.diff, total_pixels, opts),
    }
}

fn size_mismatch(a: (u32, u32), b: (u32, u32)) -> DiffReport {
    let (width, height) = (a.0.max(b.0), a.1.max(b.1));
    let total_pixels = u64::from(width) * u64::from(height);
    DiffReport {
        width,
        height,
        diff_pixels: total_pixels,
        aa_pixels: 0,
        total_pixels,
        size_mismatch: Some(SizeMismatch { a, b }),
        diff_image: None,
        passed: false,
    }
}

/// The raw pixels of `img` with the masks painted on (borrowed when there are none).
fn masked<'a>(img: &'a RgbaImage, opts: &DiffOptions) -> Cow<'a, [u8]> {
    if opts.masks.is_empty() {
        return Cow::Borrowed(img.as_raw());
    }
    let mut buf = img.as_raw().clone();
    mask::paint(&mut buf, img.width(), img.height(), &opts.masks, opts.mask_color);
    Cow::Owned(buf)
}

/// Playwright's rule: every tolerance that is set must hold; with none set, no pixel may differ.
fn within_tolerance(diff: u64, total: u64, opts: &DiffOptions) -> bool {
    let pixels_ok =
        diff <= opts.max_diff_pixels.unwrap_or(0) || (opts.max_diff_pixels.is_none() && opts.max_diff_ratio.is_some());
    let ratio_ok = opts.max_diff_ratio.is_none_or(|max| total == 0 || diff as f64 / total as f64 <= max);
    pixels_ok && ratio_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::image::Rgba;

    const WHITE: Rgba<u8> = Rgba([255, 255, 255, 255]);
    const RED: [u8; 4] = [255, 0, 0, 255];

    fn white(w: u32, h: u32) -> RgbaImage {
        RgbaImage::from_pixel(w, h, WHITE)
    }

    /// A white image with black squares of side 2 at the given top-left corners.
    fn squares(w: u32, h: u32, at: &[(u32, u32)]) -> RgbaImage {
        let mut img = white(w, h);
        for &(x, y) in at {
            for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                img.put_pixel(x + dx, y + dy, Rgba([0, 0, 0, 255]));
            }
        }
        img
    }

    fn check(a: &RgbaImage, b: &RgbaImage, opts: DiffOptions, diff_pixels: u64, passed: bool) {
        let r = compare(a, b, &opts);
        assert_eq!((r.diff_pixels, r.passed), (diff_pixels, passed), "{r:?}");
    }

    #[test]
    fn identical_images_pass() {
        let a = squares(8, 8, &[(2, 2)]);
        let r = compare(&a, &a.clone(), &DiffOptions::default());
        assert!(r.identical() && r.passed);
        assert_eq!((r.total_pixels, r.diff_ratio()), (64, 0.0));
    }

    #[test]
    fn a_new_square_is_four_differing_pixels() {
        let opts = DiffOptions::default();
        check(&squares(8, 8, &[]), &squares(8, 8, &[(3, 3)]), opts, 4, false);
    }

    #[test]
    fn small_colour_changes_stay_under_the_threshold() {
        let mut b = white(4, 4);
        b.put_pixel(1, 1, Rgba([250, 250, 250, 255]));
        check(&white(4, 4), &b, DiffOptions::default(), 0, true);
        check(&white(4, 4), &b, DiffOptions { threshold: 0.0, ..DiffOptions::default() }, 1, false);
    }

    #[test]
    fn tolerances_must_all_hold() {
        let (a, b) = (squares(10, 10, &[]), squares(10, 10, &[(3, 3)]));
        let with =
            |max_diff_pixels, max_diff_ratio| DiffOptions { max_diff_pixels, max_diff_ratio, ..DiffOptions::default() };
        check(&a, &b, with(Some(4), None), 4, true);
        check(&a, &b, with(Some(3), None), 4, false);
        check(&a, &b, with(None, Some(0.04)), 4, true);
        check(&a, &b, with(None, Some(0.039)), 4, false);
        check(&a, &b, with(Some(10), Some(0.01)), 4, false);
        check(&a, &b, with(Some(0), Some(0.5)), 4, false);
    }

    #[test]
    fn masks_hide_what_is_under_them() {
        let (a, b) = (squares(10, 10, &[(1, 1)]), squares(10, 10, &[(6, 6)]));
        check(&a, &b, DiffOptions::default(), 8, false);
        let masked = |masks| DiffOptions { masks, ..DiffOptions::default() };
        check(&a, &b, masked(vec![Rect::new(5, 5, 10, 10)]), 4, false);
        check(&a, &b, masked(vec![Rect::new(5, 5, 10, 10), Rect::new(-1, -1, 4, 4)]), 0, true);
    }

    #[test]
    fn size_mismatch_is_a_failed_report() {
        let r = compare(
            &white(4, 3),
            &white(3, 5),
            &DiffOptions { max_diff_ratio: Some(1.0), diff_image: true, ..DiffOptions::default() },
        );
        assert_eq!(r.size_mismatch, Some(SizeMismatch { a: (4, 3), b: (3, 5) }));
        assert_eq!((r.width, r.height, r.diff_pixels, r.total_pixels), (4, 5, 20, 20));
        assert!(!r.passed && !r.identical() && r.diff_image.is_none());
        assert_eq!(r.size_mismatch.unwrap().to_string(), "sizes differ: 4x3 vs 3x5");
    }

    #[test]
    fn diff_image_marks_differences_red_and_fades_the_rest() {
        let (a, b) = (squares(6, 6, &[(4, 4)]), squares(6, 6, &[(4, 4), (1, 1)]));
        let r = compare(&a, &b, &DiffOptions { diff_image: true, ..DiffOptions::default() });
        let img = r.diff_image.unwrap();
        assert_eq!(img.get_pixel(2, 2).0, RED);
        // Black fades to light grey (255 - 255 * alpha), white stays white.
        assert_eq!(img.get_pixel(4, 4).0, [229, 229, 229, 255]);
        assert_eq!(img.get_pixel(0, 0).0, [255, 255, 255, 255]);
    }

    #[test]
    fn alternative_colour_marks_pixels_that_got_darker() {
        let alt = [0, 0, 255, 255];
        let style = DiffStyle { diff_color_alt: Some(alt), ..DiffStyle::default() };
        let opts = DiffOptions { diff_image: true, style, ..DiffOptions::default() };
        let darker = compare(&squares(6, 6, &[]), &squares(6, 6, &[(2, 2)]), &opts).diff_image.unwrap();
        let lighter = compare(&squares(6, 6, &[(2, 2)]), &squares(6, 6, &[]), &opts).diff_image.unwrap();
        assert_eq!((darker.get_pixel(2, 2).0, lighter.get_pixel(2, 2).0), (alt, RED));
    }

    #[test]
    fn antialiased_pixels_are_yellow_and_not_counted_unless_included() {
        // A grey pixel appears on the edge between a black and a white area.
        let edge = |grey: bool| {
            RgbaImage::from_fn(6, 4, |x, y| match (x, y) {
                (0..=2, _) => Rgba([0, 0, 0, 255]),
                (3, 1) if grey => Rgba([128, 128, 128, 255]),
                _ => WHITE,
            })
        };
        let opts = DiffOptions { diff_image: true, ..DiffOptions::default() };
        let r = compare(&edge(false), &edge(true), &opts);
        assert_eq!((r.diff_pixels, r.aa_pixels), (0, 1));
        assert_eq!(r.diff_image.unwrap().get_pixel(3, 1).0, [255, 255, 0, 255]);
        check(&edge(false), &edge(true), DiffOptions { include_aa: true, ..DiffOptions::default() }, 1, false);
    }

    #[test]
    fn diff_mask_draws_only_differences_on_transparent() {
        let style = DiffStyle { diff_mask: true, ..DiffStyle::default() };
        let opts = DiffOptions { diff_image: true, style, ..DiffOptions::default() };
        let img = compare(&squares(6, 6, &[]), &squares(6, 6, &[(2, 2)]), &opts).diff_image.unwrap();
        assert_eq!((img.get_pixel(0, 0).0, img.get_pixel(3, 3).0), ([0; 4], RED));
    }

    #[test]
    fn degenerate_sizes() {
        check(&white(0, 0), &white(0, 0), DiffOptions::default(), 0, true);
        check(&white(1, 40), &squares(2, 40, &[(0, 10)]).sub_image_to(1, 40), DiffOptions::default(), 2, false);
    }

    trait SubImage {
        fn sub_image_to(&self, w: u32, h: u32) -> RgbaImage;
    }
    impl SubImage for RgbaImage {
        fn sub_image_to(&self, w: u32, h: u32) -> RgbaImage {
            RgbaImage::from_fn(w, h, |x, y| *self.get_pixel(x, y))
        }
    }
}
