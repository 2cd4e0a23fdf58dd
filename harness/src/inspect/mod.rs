//! Inspection for people and coding agents: windows of activity, search, stats and struggle
//! findings. Pure functions over normalized events (and the recording for page text); they return
//! values with serde schemas (docs/inspect.md) and never print.

mod evidence;
mod search;
mod stats;
mod struggles;
mod window;

pub use evidence::Evidence;
pub use search::{search, SearchHit, SearchResult};
pub use stats::{stats, Stats};
pub use struggles::{struggles, Finding, Severity};
pub use window::{window, Window, WindowGroup};
