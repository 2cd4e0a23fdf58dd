//! Golden evidence: the only reader and writer of `golden/`. Update modes, pending `.new` files,
//! accept and reject. Never writes when `CI` is set; a missing golden never passes.

mod image;
mod mode;
mod pending;
mod store;

pub use image::{diff_summary, ImageOutcome};
pub use mode::UpdateMode;
pub use pending::{accept, diff_image_path, list_pending, reject, Pending};
pub use store::{write_atomic, GoldenStore, Outcome};
