//! Comparing what a replay shows with what it should show: canonical DOM text against golden
//! text (`text`), and screenshots pixel by pixel (`image`, pixelmatch-compatible, with masks and
//! tolerances). A mismatch is a value, not an error; nothing here writes files.

mod antialias;
pub mod image;
pub mod mask;
pub mod png;
mod scan;
mod text;
pub mod yiq;

/// The pixel buffer every function here takes, re-exported so callers need not depend on `image`.
pub use ::image::RgbaImage;
pub use image::{compare, DiffOptions, DiffReport, DiffStyle, SizeMismatch};
pub use mask::Rect;
pub use text::{diff_text, TextDiff};
pub use yiq::Background;
