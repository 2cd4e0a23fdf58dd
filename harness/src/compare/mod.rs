//! Comparing what a replay shows with what it should show. `image`: pixel diffs of
//! screenshots (pixelmatch-compatible), with masks and tolerances.

mod antialias;
pub mod image;
pub mod mask;
pub mod png;
mod scan;
pub mod yiq;

/// The pixel buffer every function here takes, re-exported so callers need not depend on `image`.
pub use ::image::RgbaImage;
pub use image::{compare, DiffOptions, DiffReport, DiffStyle, SizeMismatch};
pub use mask::Rect;
pub use yiq::Background;
