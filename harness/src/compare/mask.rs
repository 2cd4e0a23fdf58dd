//! Masks: rectangles painted in one colour on both images before they are compared, so that
//! whatever is under them (a clock, an avatar, an ad) can never differ.

use std::fmt;
use std::str::FromStr;

/// A rectangle in image pixels. It may reach outside the image; only the overlap is painted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x: i64,
    pub y: i64,
    pub width: u32,
    pub height: u32,
}

/// The mask colour Playwright uses: opaque magenta, unlikely in a real page.
pub const DEFAULT_MASK_COLOR: [u8; 4] = [255, 0, 255, 255];

impl Rect {
    pub fn new(x: i64, y: i64, width: u32, height: u32) -> Rect {
        Rect { x, y, width, height }
    }

    /// The part of the rectangle inside a `width` × `height` image, as pixel ranges.
    pub fn clip(&self, width: u32, height: u32) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
        let span = |start: i64, len: u32, limit: u32| {
            let lo = start.clamp(0, i64::from(limit));
            let hi = (start + i64::from(len)).clamp(0, i64::from(limit));
            (lo < hi).then_some(lo as usize..hi as usize)
        };
        Some((span(self.x, self.width, width)?, span(self.y, self.height, height)?))
    }
}

/// Paints every mask onto an RGBA buffer of `width` × `height` pixels.
pub fn paint(buf: &mut [u8], width: u32, height: u32, masks: &[Rect], color: [u8; 4]) {
    let stride = width as usize * 4;
    for mask in masks {
        let Some((xs, ys)) = mask.clip(width, height) else { continue };
        for y in ys {
            let row = &mut buf[y * stride + xs.start * 4..y * stride + xs.end * 4];
            for px in row.chunks_exact_mut(4) {
                px.copy_from_slice(&color);
            }
        }
    }
}

impl fmt::Display for Rect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{},{},{},{}", self.x, self.y, self.width, self.height)
    }
}

/// Parses `x,y,w,h` (spaces allowed, x and y may be negative).
impl FromStr for Rect {
    type Err = String;

    fn from_str(s: &str) -> Result<Rect, String> {
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        let [x, y, w, h] = parts[..] else {
            return Err(format!("mask `{s}`: expected x,y,w,h (four integers)"));
        };
        let bad = |what: &str, v: &str| format!("mask `{s}`: {what} `{v}` is not a valid integer");
        Ok(Rect {
            x: x.parse().map_err(|_| bad("x", x))?,
            y: y.parse().map_err(|_| bad("y", y))?,
            width: w.parse().map_err(|_| bad("width", w))?,
            height: h.parse().map_err(|_| bad("height", h))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let r: Rect = "10, -5,20,30".parse().unwrap();
        assert_eq!(r, Rect::new(10, -5, 20, 30));
        assert_eq!(r.to_string(), "10,-5,20,30");
        assert!("1,2,3".parse::<Rect>().unwrap_err().contains("four integers"));
        assert!("1,2,-3,4".parse::<Rect>().unwrap_err().contains("width"));
    }

    #[test]
    fn clips_to_the_image() {
        assert_eq!(Rect::new(-2, 3, 5, 100).clip(10, 10), Some((0..3, 3..10)));
        assert_eq!(Rect::new(10, 0, 5, 5).clip(10, 10), None);
        assert_eq!(Rect::new(0, 0, 0, 5).clip(10, 10), None);
    }

    #[test]
    fn paints_only_inside() {
        let mut buf = vec![0u8; 3 * 2 * 4];
        paint(&mut buf, 3, 2, &[Rect::new(1, 1, 9, 9)], [1, 2, 3, 4]);
        let painted: Vec<bool> = buf.chunks(4).map(|p| p == [1, 2, 3, 4]).collect();
        assert_eq!(painted, [false, false, false, false, true, true]);
    }
}
