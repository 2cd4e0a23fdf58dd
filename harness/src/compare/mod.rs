//! Comparing evidence: DOM text against golden text (and, with the pixel module, screenshots).
//! A mismatch is a value, not an error; nothing here writes files.

mod text;

pub use text::{diff_text, TextDiff};
