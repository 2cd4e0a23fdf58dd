//! The hot loop: walks two equally sized RGBA buffers, counts differing and anti-aliased
//! pixels, and optionally paints the diff image. Runs of identical bytes are skipped a block
//! at a time; the colour metric and the anti-aliasing check only run where pixels differ.

use super::antialias::antialiased;
use super::image::DiffStyle;
use super::yiq::{color_delta, faded_gray, Background, MAX_YIQ_DELTA};

/// Bytes compared at once before looking closer: long identical runs are skipped at memcmp speed.
const CHUNK: usize = 4096;
/// Bytes per block of the second, finer pass over a chunk that differs (16 pixels).
const BLOCK: usize = 64;
/// Images at least this large are scanned in horizontal bands, one thread each.
const PARALLEL_PIXELS: usize = 1 << 20;

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

/// Compares all of `a` and `b`, splitting large images into bands scanned in parallel. The
/// counts and the diff image do not depend on the split. `out` must start zeroed.
pub fn scan(a: &[u8], b: &[u8], p: &ScanParams, out: Option<&mut [u8]>) -> Counts {
    let threads = if p.width * p.height >= PARALLEL_PIXELS {
        std::thread::available_parallelism().map_or(1, |n| n.get()).min(8)
    } else {
        1
    };
    scan_in_bands(a, b, p, out, threads)
}

fn scan_in_bands(a: &[u8], b: &[u8], p: &ScanParams, out: Option<&mut [u8]>, threads: usize) -> Counts {
    let band = p.height.div_ceil(threads).max(1);
    if threads <= 1 || band >= p.height {
        return scan_rows(a, b, 0..p.height, p, out);
    }
    let band_bytes = band * p.width * 4;
    let mut outs: Vec<Option<&mut [u8]>> = match out {
        Some(out) => out.chunks_mut(band_bytes).map(Some).collect(),
        None => (0..threads).map(|_| None).collect(),
    };
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..p.height)
            .step_by(band)
            .zip(outs.iter_mut())
            .map(|(y, out)| {
                let rows = y..(y + band).min(p.height);
                s.spawn(move || scan_rows(a, b, rows, p, out.take()))
            })
            .collect();
        handles.into_iter().fold(Counts::default(), |acc, h| {
            let c = h.join().expect("scanning does not panic");
            Counts { diff: acc.diff + c.diff, aa: acc.aa + c.aa }
        })
    })
}

/// Compares rows `rows` of `a` and `b`; `out`, when given, holds exactly those rows of the diff
/// image and must start zeroed (pixelmatch's `diffMask` leaves untouched pixels transparent).
fn scan_rows(a: &[u8], b: &[u8], rows: std::ops::Range<usize>, p: &ScanParams, mut out: Option<&mut [u8]>) -> Counts {
    let start = rows.start * p.width * 4;
    let end = rows.end * p.width * 4;
    let max_delta = MAX_YIQ_DELTA * p.threshold * p.threshold;
    let mut counts = Counts::default();
    let mut gray = GrayCache::new(p.style.alpha);
    let draw_similar = !p.style.diff_mask;

    let mut pos = start;
    while pos < end {
        let chunk_end = (pos + CHUNK).min(end);
        let chunk_same = a[pos..chunk_end] == b[pos..chunk_end];
        let next = if chunk_same { chunk_end } else { (pos + BLOCK).min(end) };
        let (ab, bb) = (&a[pos..next], &b[pos..next]);
        let mut ob = out.as_deref_mut().map(|o| &mut o[pos - start..next - start]);
        if chunk_same || ab == bb {
            if let (Some(ob), true) = (ob, draw_similar) {
                gray.fill(ab, ob);
            }
            pos = next;
            continue;
        }
        for (k, (pa, pb)) in ab.chunks_exact(4).zip(bb.chunks_exact(4)).enumerate() {
            let (pa, pb) = ([pa[0], pa[1], pa[2], pa[3]], [pb[0], pb[1], pb[2], pb[3]]);
            let j = pos / 4 + k;
            let delta = if pa == pb { 0.0 } else { color_delta(pa, pb, j * 4, p.background) };
            let color = if delta.abs() <= max_delta {
                let g = gray.get(pa);
                draw_similar.then_some([g, g, g, 255])
            } else {
                let (x, y) = (j % p.width, j / p.width);
                let is_aa = !p.include_aa
                    && (antialiased(a, b, x, y, p.width, p.height, p.background)
                        || antialiased(b, a, x, y, p.width, p.height, p.background));
                if is_aa {
                    counts.aa += 1;
                    draw_similar.then_some(p.style.aa_color)
                } else {
                    counts.diff += 1;
                    Some(match p.style.diff_color_alt {
                        Some(alt) if delta < 0.0 => alt,
                        _ => p.style.diff_color,
                    })
                }
            };
            if let (Some(ob), Some(color)) = (ob.as_deref_mut(), color) {
                ob[k * 4..k * 4 + 4].copy_from_slice(&color);
            }
        }
        pos = next;
    }
    counts
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

    /// Paints the faded grey of every pixel of `src` into `dst`.
    fn fill(&mut self, src: &[u8], dst: &mut [u8]) {
        for (s, d) in src.chunks_exact(4).zip(dst.chunks_exact_mut(4)) {
            let g = self.get([s[0], s[1], s[2], s[3]]);
            d.copy_from_slice(&[g, g, g, 255]);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Soft-edged discs on a gradient, and the same with the discs 1 px lower: many differing
    /// and anti-aliased pixels, on every band boundary.
    fn discs(dy: f64) -> Vec<u8> {
        let (w, h) = (97, 61);
        let mut buf = Vec::with_capacity(w * h * 4);
        for y in 0..h {
            for x in 0..w {
                let (cx, cy) = ((x % 24) as f64 - 12.0, (y % 20) as f64 - 10.0 - dy);
                let edge = ((cx * cx + cy * cy).sqrt() - 7.0).clamp(0.0, 1.0);
                let v = (edge * 200.0) as u8 + (x / 2) as u8;
                buf.extend_from_slice(&[v, v / 2, 255 - v, 255]);
            }
        }
        buf
    }

    #[test]
    fn bands_change_nothing() {
        let (a, b) = (discs(0.0), discs(1.0));
        let style = DiffStyle::default();
        let p = ScanParams {
            width: 97,
            height: 61,
            threshold: 0.05,
            include_aa: false,
            background: Background::Checkerboard,
            style: &style,
        };
        let run = |threads| {
            let mut out = vec![0u8; a.len()];
            (scan_in_bands(&a, &b, &p, Some(&mut out), threads), out)
        };
        let (counts, out) = run(1);
        assert!(counts.diff > 100 && counts.aa > 10, "{counts:?}");
        for threads in [2, 3, 7, 61, 100] {
            assert_eq!(run(threads), (counts, out.clone()), "{threads} threads");
            assert_eq!(scan_in_bands(&a, &b, &p, None, threads), counts);
        }
    }
}
