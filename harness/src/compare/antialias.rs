//! Anti-aliasing detection, after V. Vysniauskas, "Anti-aliased Pixel and Intensity Slope
//! Detector" (2009), exactly as pixelmatch applies it: a pixel is anti-aliasing when its
//! neighbours hold both a darker and a brighter pixel, and one of those extremes sits inside a
//! flat area (3+ identical neighbours) in both images.

use super::yiq::{brightness_delta, Background};

/// A pixel of an RGBA buffer, by pixel index.
#[inline]
pub fn pixel(buf: &[u8], i: usize) -> [u8; 4] {
    let p = &buf[i * 4..i * 4 + 4];
    [p[0], p[1], p[2], p[3]]
}

/// The 3×3 neighbourhood of (x, y), clipped to the image, and whether (x, y) is on the border
/// (which counts as one identical neighbour).
#[inline]
fn neighbourhood(x: usize, y: usize, width: usize, height: usize) -> (usize, usize, usize, usize, u32) {
    let (x0, y0) = (x.saturating_sub(1), y.saturating_sub(1));
    let (x2, y2) = ((x + 1).min(width - 1), (y + 1).min(height - 1));
    let border = u32::from(x == x0 || x == x2 || y == y0 || y == y2);
    (x0, y0, x2, y2, border)
}

/// Whether (x, y) of `img` is likely part of an anti-aliased edge; `other` is the image it is
/// being compared with (both must show a flat area at the darkest or brightest neighbour).
pub fn antialiased(img: &[u8], other: &[u8], x: usize, y: usize, width: usize, height: usize, bg: Background) -> bool {
    let (x0, y0, x2, y2, mut zeroes) = neighbourhood(x, y, width, height);
    let k = (y * width + x) * 4;
    let centre = pixel(img, y * width + x);
    let (mut min, mut max) = (0.0f64, 0.0f64);
    let (mut min_at, mut max_at) = ((0, 0), (0, 0));
    // Column-major order, as pixelmatch, decides which of equally dark neighbours is kept.
    for nx in x0..=x2 {
        for ny in y0..=y2 {
            if nx == x && ny == y {
                continue;
            }
            let delta = brightness_delta(centre, pixel(img, ny * width + nx), k, bg);
            if delta == 0.0 {
                zeroes += 1;
                if zeroes > 2 {
                    return false;
                }
            } else if delta < min {
                min = delta;
                min_at = (nx, ny);
            } else if delta > max {
                max = delta;
                max_at = (nx, ny);
            }
        }
    }
    if min == 0.0 || max == 0.0 {
        return false;
    }
    let flat = |(fx, fy): (usize, usize)| {
        has_many_siblings(img, fx, fy, width, height) && has_many_siblings(other, fx, fy, width, height)
    };
    flat(min_at) || flat(max_at)
}

/// Whether (x, y) has 3 or more neighbours of exactly its colour (the border counts as one).
fn has_many_siblings(img: &[u8], x: usize, y: usize, width: usize, height: usize) -> bool {
    let (x0, y0, x2, y2, mut zeroes) = neighbourhood(x, y, width, height);
    let centre = pixel(img, y * width + x);
    for nx in x0..=x2 {
        for ny in y0..=y2 {
            if (nx != x || ny != y) && pixel(img, ny * width + nx) == centre {
                zeroes += 1;
                if zeroes > 2 {
                    return true;
                }
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gray(values: &[u8]) -> Vec<u8> {
        values.iter().flat_map(|&v| [v, v, v, 255]).collect()
    }

    #[test]
    fn edge_pixel_between_flat_dark_and_light_areas_is_antialiasing() {
        // 5x3: black | grey | white, the grey column is a smoothed edge.
        let img = gray(&[0, 0, 128, 255, 255, 0, 0, 128, 255, 255, 0, 0, 128, 255, 255]);
        assert!(antialiased(&img, &img, 2, 1, 5, 3, Background::Checkerboard));
    }

    #[test]
    fn pixel_in_a_flat_area_is_not_antialiasing() {
        let img = gray(&[9; 9]);
        assert!(!antialiased(&img, &img, 1, 1, 3, 3, Background::Checkerboard));
    }

    #[test]
    fn isolated_dot_is_not_antialiasing() {
        // A dot brighter than all of its neighbours has no brighter neighbour.
        let img = gray(&[0, 0, 0, 0, 200, 0, 0, 0, 0]);
        assert!(!antialiased(&img, &img, 1, 1, 3, 3, Background::Checkerboard));
    }

    #[test]
    fn one_pixel_wide_image_does_not_panic() {
        let img = gray(&[0, 128, 255]);
        assert!(!antialiased(&img, &img, 0, 1, 1, 3, Background::Checkerboard));
    }
}
