//! PNG bytes to RGBA pixels and back, in memory: the callers own the files. Decoding follows
//! pngjs (which pixelmatch uses): every colour type becomes 8-bit RGBA, opaque when it has no
//! alpha channel, with no gamma correction.

use crate::error::{Error, Location};
use ::image::codecs::png::{CompressionType, FilterType, PngDecoder, PngEncoder};
use ::image::{ColorType, DynamicImage, ImageDecoder, ImageEncoder, RgbaImage};
use std::io::Cursor;

/// Decodes a PNG; `name` (usually the file path) locates the error.
pub fn decode(bytes: &[u8], name: &str) -> crate::Result<RgbaImage> {
    let bad = |e: ::image::ImageError| Error::input(Location::file(name), format!("not a readable PNG: {e}"));
    let decoder = PngDecoder::new(Cursor::new(bytes)).map_err(bad)?;
    let (width, height) = decoder.dimensions();
    let pixels = width as usize * height as usize;
    match decoder.color_type() {
        // Screenshots are 8-bit RGB or RGBA: decode straight into the RGBA buffer, which saves a
        // second full-size allocation and copy on large images.
        ColorType::Rgb8 | ColorType::Rgba8 => {
            let mut buf = vec![0u8; pixels * 4];
            let rgb = decoder.color_type() == ColorType::Rgb8;
            decoder.read_image(&mut buf[..if rgb { pixels * 3 } else { pixels * 4 }]).map_err(bad)?;
            if rgb {
                expand_rgb_in_place(&mut buf, pixels);
            }
            Ok(RgbaImage::from_raw(width, height, buf).expect("the buffer has width * height * 4 bytes"))
        }
        _ => Ok(DynamicImage::from_decoder(decoder).map_err(bad)?.into_rgba8()),
    }
}

/// Turns `pixels` RGB pixels at the start of `buf` into opaque RGBA pixels filling it. It works
/// from the end in blocks whose RGBA destination lies wholly after their RGB source (the last
/// quarter of the pixels first), so each block is a plain, vectorizable copy between two slices.
fn expand_rgb_in_place(buf: &mut [u8], pixels: usize) {
    let mut n = pixels;
    while n >= 4 {
        let first = (3 * n).div_ceil(4);
        let (src, dst) = buf.split_at_mut(4 * first);
        for (s, d) in src[3 * first..3 * n].chunks_exact(3).zip(dst.chunks_exact_mut(4)) {
            d.copy_from_slice(&[s[0], s[1], s[2], 255]);
        }
        n = first;
    }
    for i in (0..n).rev() {
        let (r, g, b) = (buf[i * 3], buf[i * 3 + 1], buf[i * 3 + 2]);
        buf[i * 4..i * 4 + 4].copy_from_slice(&[r, g, b, 255]);
    }
}

/// Encodes an RGBA image as PNG, favouring speed over size (diff images are short-lived).
pub fn encode(img: &RgbaImage) -> Vec<u8> {
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive)
        .write_image(img.as_raw(), img.width(), img.height(), ::image::ExtendedColorType::Rgba8)
        .expect("encoding a well-formed RGBA buffer into memory cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let img = RgbaImage::from_fn(3, 2, |x, y| ::image::Rgba([x as u8, y as u8, 7, 200]));
        assert_eq!(decode(&encode(&img), "mem").unwrap(), img);
    }

    #[test]
    fn rgb_and_grey_pngs_become_opaque_rgba() {
        let level = |x: u32, y: u32| (x * 10 + y) as u8;
        let rgb = ::image::RgbImage::from_fn(5, 3, |x, y| ::image::Rgb([x as u8, y as u8, 9]));
        let grey = ::image::GrayImage::from_fn(5, 3, |x, y| ::image::Luma([level(x, y)]));
        let cases = [
            (DynamicImage::from(rgb), RgbaImage::from_fn(5, 3, |x, y| ::image::Rgba([x as u8, y as u8, 9, 255]))),
            (
                DynamicImage::from(grey),
                RgbaImage::from_fn(5, 3, |x, y| ::image::Rgba([level(x, y), level(x, y), level(x, y), 255])),
            ),
        ];
        for (img, expected) in cases {
            let mut bytes = Vec::new();
            img.write_to(&mut Cursor::new(&mut bytes), ::image::ImageFormat::Png).unwrap();
            assert_eq!(decode(&bytes, "mem").unwrap(), expected);
        }
    }

    #[test]
    fn rgb_expands_in_place_at_every_length() {
        for pixels in 0..200 {
            let rgb: Vec<u8> = (0..pixels * 3).map(|i| (i % 251) as u8).collect();
            let mut buf = rgb.clone();
            buf.resize(pixels * 4, 0);
            expand_rgb_in_place(&mut buf, pixels);
            let expected: Vec<u8> = rgb.chunks(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
            assert_eq!(buf, expected, "{pixels} pixels");
        }
    }

    #[test]
    fn garbage_is_an_input_error_naming_the_file() {
        let err = decode(b"not a png", "shots/a.png").unwrap_err();
        assert!(err.to_string().starts_with("shots/a.png: not a readable PNG"), "{err}");
    }
}
