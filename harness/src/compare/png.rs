//! PNG bytes to RGBA pixels and back, in memory: the callers own the files. Decoding follows
//! pngjs (which pixelmatch uses): every colour type becomes 8-bit RGBA, opaque when it has no
//! alpha channel, with no gamma correction.

use crate::error::{Error, Location};
use ::image::codecs::png::{CompressionType, FilterType, PngDecoder, PngEncoder};
use ::image::{DynamicImage, ImageEncoder, RgbaImage};
use std::io::Cursor;

/// Decodes a PNG; `name` (usually the file path) locates the error.
pub fn decode(bytes: &[u8], name: &str) -> crate::Result<RgbaImage> {
    let bad = |e: ::image::ImageError| Error::input(Location::file(name), format!("not a readable PNG: {e}"));
    let decoder = PngDecoder::new(Cursor::new(bytes)).map_err(bad)?;
    Ok(DynamicImage::from_decoder(decoder).map_err(bad)?.into_rgba8())
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
    fn garbage_is_an_input_error_naming_the_file() {
        let err = decode(b"not a png", "shots/a.png").unwrap_err();
        assert!(err.to_string().starts_with("shots/a.png: not a readable PNG"), "{err}");
    }
}
