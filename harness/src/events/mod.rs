//! Recording -> normalized events: one schema for every source (docs/events.md). Pure: the same
//! recording gives the same events, byte for byte once serialized.

mod clicks;
mod custom;
mod filter;
mod mask;
mod normalize;
mod resolve;

pub use filter::Filter;
pub use mask::is_masked;
pub use normalize::{normalize, normalize_with, normalize_without_dom};
pub use resolve::{NodeDescription, NodeResolver};
