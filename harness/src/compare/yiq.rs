//! pixelmatch's colour metric: the squared YIQ distance of Kotsarenko and Ramos, with
//! semi-transparent pixels blended onto a background first. The float operations keep
//! pixelmatch's order so that results agree bit for bit at the threshold.

/// The largest possible YIQ delta (black against white); `threshold` scales it.
pub const MAX_YIQ_DELTA: f64 = 35215.0;

/// What semi-transparent pixels are blended onto before their colours are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Background {
    /// pixelmatch 7's default: a fixed pseudo-random pattern of dark and light channels,
    /// so that a transparent pixel does not look like a white one.
    #[default]
    Checkerboard,
    /// Plain white (pixelmatch's `checkerboard: false`, and pixelmatch before 7).
    White,
}

impl Background {
    /// The background behind the pixel whose first byte is at offset `k` of the RGBA buffer.
    fn rgb(self, k: usize) -> [f64; 3] {
        match self {
            Background::White => [255.0; 3],
            Background::Checkerboard => {
                let k = k as f64;
                [
                    48.0 + 159.0 * (k % 2.0),
                    48.0 + 159.0 * odd(k / 1.618033988749895),
                    48.0 + 159.0 * odd(k / 2.618033988749895),
                ]
            }
        }
    }
}

/// JavaScript's `(v | 0) % 2`: truncation to a signed 32-bit integer, then its remainder.
fn odd(v: f64) -> f64 {
    f64::from((v as i64 as i32) % 2)
}

/// Channel differences of two pixels, each blended onto the background when either is translucent.
#[inline]
fn channel_deltas(p1: [u8; 4], p2: [u8; 4], k: usize, bg: Background) -> [f64; 3] {
    let [r1, g1, b1, a1] = p1.map(f64::from);
    let [r2, g2, b2, a2] = p2.map(f64::from);
    if p1[3] < 255 || p2[3] < 255 {
        let [rb, gb, bb] = bg.rgb(k);
        let da = a1 - a2;
        [
            (r1 * a1 - r2 * a2 - rb * da) / 255.0,
            (g1 * a1 - g2 * a2 - gb * da) / 255.0,
            (b1 * a1 - b2 * a2 - bb * da) / 255.0,
        ]
    } else {
        [r1 - r2, g1 - g2, b1 - b2]
    }
}

#[inline]
fn luma([dr, dg, db]: [f64; 3]) -> f64 {
    dr * 0.29889531 + dg * 0.58662247 + db * 0.11448223
}

/// Squared YIQ distance between two different pixels, negative when `p2` is darker than `p1`.
/// `k` is the byte offset of the pixel (it places the checkerboard).
#[inline]
pub fn color_delta(p1: [u8; 4], p2: [u8; 4], k: usize, bg: Background) -> f64 {
    let d = channel_deltas(p1, p2, k, bg);
    let [dr, dg, db] = d;
    let y = luma(d);
    let i = dr * 0.59597799 - dg * 0.27417610 - db * 0.32180189;
    let q = dr * 0.21147017 - dg * 0.52261711 + db * 0.31114694;
    let delta = 0.5053 * y * y + 0.299 * i * i + 0.1957 * q * q;
    if y > 0.0 {
        -delta
    } else {
        delta
    }
}

/// The brightness (Y) part of the delta alone, which the anti-aliasing detector uses;
/// `k` is the byte offset of the centre pixel `p1`.
#[inline]
pub fn brightness_delta(p1: [u8; 4], p2: [u8; 4], k: usize, bg: Background) -> f64 {
    if p1 == p2 {
        return 0.0;
    }
    luma(channel_deltas(p1, p2, k, bg))
}

/// Grey value of `p` faded towards white by `alpha` (the background of the diff image).
#[inline]
pub fn faded_gray(p: [u8; 4], alpha: f64) -> u8 {
    let [r, g, b, a] = p.map(f64::from);
    let v = 255.0 + (r * 0.29889531 + g * 0.58662247 + b * 0.11448223 - 255.0) * alpha * a / 255.0;
    // pixelmatch writes into a Node Buffer, which truncates towards zero.
    v as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_maximum_delta_is_the_largest_over_all_colour_pairs() {
        let corners: Vec<[u8; 4]> = (0..8u8).map(|c| [c & 1, (c >> 1) & 1, (c >> 2) & 1, 1].map(|v| v * 255)).collect();
        let max = corners
            .iter()
            .flat_map(|&p| corners.iter().map(move |&q| color_delta(p, q, 0, Background::White).abs()))
            .fold(0.0, f64::max);
        assert_eq!(max.round(), MAX_YIQ_DELTA);
    }

    #[test]
    fn sign_encodes_which_image_is_darker() {
        assert!(color_delta([10, 10, 10, 255], [200, 200, 200, 255], 0, Background::White) > 0.0);
        assert!(color_delta([200, 200, 200, 255], [10, 10, 10, 255], 0, Background::White) < 0.0);
    }

    #[test]
    fn transparent_pixels_compare_equal_whatever_their_colour() {
        let d = color_delta([255, 0, 0, 0], [0, 0, 255, 0], 40, Background::Checkerboard);
        assert_eq!(d, 0.0);
    }

    #[test]
    fn background_matters_only_for_translucent_pixels() {
        let (p1, p2) = ([0, 0, 0, 128], [0, 0, 0, 255]);
        let white = color_delta(p1, p2, 8, Background::White);
        let checker = color_delta(p1, p2, 8, Background::Checkerboard);
        assert_ne!(white, checker);
        let (o1, o2) = ([0, 0, 0, 255], [9, 9, 9, 255]);
        assert_eq!(color_delta(o1, o2, 8, Background::White), color_delta(o1, o2, 8, Background::Checkerboard));
    }

    #[test]
    fn checkerboard_follows_pixelmatch_pattern() {
        // 48 + 159 * ((k / phi | 0) % 2) for k = 4: 4 / 1.618 = 2.47 -> 2 -> even -> 48.
        assert_eq!(Background::Checkerboard.rgb(4), [48.0, 48.0, 207.0]);
        assert_eq!(Background::Checkerboard.rgb(0), [48.0, 48.0, 48.0]);
    }

    #[test]
    fn faded_gray_of_white_is_white_and_black_fades_to_light_grey() {
        // The luma weights add up to 1.00000001, so white stays white.
        assert_eq!(faded_gray([255, 255, 255, 255], 0.1), 255);
        assert_eq!(faded_gray([0, 0, 0, 255], 0.1), 229);
        assert_eq!(faded_gray([0, 0, 0, 0], 0.1), 255);
    }
}
