//! The hot loop: walks two equally sized RGBA buffers, counts differing and anti-aliased
//! pixels, and optionally paints the diff image. Runs of identical bytes are skipped a block
//! at a time; the colour metric and the anti-aliasing check only run where pixels differ.

use super::antialias::{antialiased, pixel};
use super::image::DiffStyle;
use super::yiq::{color_delta, faded_gray, Background, MAX_YIQ_DELTA};

/// Pixels per block of the identical-bytes fast path.
const BLOCK: usize = 16;

/// What a scan needs besides the pixels.
#[derive(Debug, Clone, Copy)]
pub struct ScanParams<'a> {
    pub width: usize,
    pub height: usize,
    pub threshold: f64,
    pub include_aa: bool,
    pub background: Background,
    pub style: &'a DiffStyle,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub diff: u64,
    pub aa: u64,
}

/// Compares rows `rows` of `a` and `b`; `out`, when given, holds exactly those rows of the diff
/// image and must start zeroed (pixelmatch's `diffMask` leaves untouched pixels transparent).
pub fn scan(a: &[u8], b: &[u8], rows: std::ops::Range<usize>, p: &ScanParams, mut out: Option<&mut [u8]>) -> Counts {
    let start = rows.start * p.width;
    let end = rows.end * p.width;
    let max_delta = MAX_YIQ_DELTA * p.threshold * p.threshold;
    let mut counts = Counts::default();
    let mut gray = GrayCache::new(p.style.alpha);
    let draw_similar = !p.style.diff_mask;

    let mut i = start;
    while i < end {
        let stop = (i + BLOCK).min(end);
        if a[i * 4..stop * 4] == b[i * 4..stop * 4] {
            if let (Some(out), true) = (out.as_deref_mut(), draw_similar) {
                for j in i..stop {
                    let g = gray.get(pixel(a, j));
                    put(out, j - start, [g, g, g, 255]);
                }
            }
            i = stop;
            continue;
        }
        for j in i..stop {
            let (pa, pb) = (pixel(a, j), pixel(b, j));
            let delta = if pa == pb { 0.0 } else { color_delta(pa, pb, j * 4, p.background) };
            if delta.abs() > max_delta {
                let (x, y) = (j % p.width, j / p.width);
                let is_aa = !p.include_aa
                    && (antialiased(a, b, x, y, p.width, p.height, p.background)
                        || antialiased(b, a, x, y, p.width, p.height, p.background));
                if is_aa {
                    counts.aa += 1;
                    if let (Some(out), true) = (out.as_deref_mut(), draw_similar) {
                        put(out, j - start, p.style.aa_color);
                    }
                } else {
                    counts.diff += 1;
                    if let Some(out) = out.as_deref_mut() {
                        let color = if delta < 0.0 {
                            p.style.diff_color_alt.unwrap_or(p.style.diff_color)
                        } else {
                            p.style.diff_color
                        };
                        put(out, j - start, color);
                    }
                }
            } else if let (Some(out), true) = (out.as_deref_mut(), draw_similar) {
                let g = gray.get(pa);
                put(out, j - start, [g, g, g, 255]);
            }
        }
        i = stop;
    }
    counts
}

#[inline]
fn put(out: &mut [u8], i: usize, color: [u8; 4]) {
    out[i * 4..i * 4 + 4].copy_from_slice(&color);
}

/// Screenshots repeat the same colour over long runs; the faded grey of the last colour is kept.
struct GrayCache {
    alpha: f64,
    last: Option<([u8; 4], u8)>,
}

impl GrayCache {
    fn new(alpha: f64) -> GrayCache {
        GrayCache { alpha, last: None }
    }

    #[inline]
    fn get(&mut self, p: [u8; 4]) -> u8 {
        match self.last {
            Some((q, g)) if q == p => g,
            _ => {
                let g = faded_gray(p, self.alpha);
                self.last = Some((p, g));
                g
            }
        }
    }
}
