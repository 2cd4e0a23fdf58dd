//! Evidence pointers: where a frame came from, stable across formats of the same session.

use std::fmt;

/// The place of a frame in the recording as it was delivered: the Sentry segment id (0 when the
/// source has no segments) and the index of the frame inside that segment's event array.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pointer {
    pub segment: u32,
    pub frame: u32,
}

impl Pointer {
    pub fn new(segment: u32, frame: u32) -> Pointer {
        Pointer { segment, frame }
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "segment {} frame {}", self.segment, self.frame)
    }
}
