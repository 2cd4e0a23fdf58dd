//! The DOM state at a checkpoint, as the runner needs it: canonical text and selector queries.

use crate::error::{Error, Result};
use crate::model::{Offset, Recording};

/// The rebuilt DOM at one offset.
pub struct DomView {
    /// Canonical text (CANONICAL.md) of the whole state.
    pub text: String,
}

impl DomView {
    pub fn at(_rec: &Recording, _offset: Offset) -> Result<DomView> {
        Err(Error::Environment("the DOM engine is not part of this build yet".into()))
    }

    /// Node ids matching a CSS selector, in document order.
    pub fn select(&self, _selector: &str) -> Result<Vec<i64>> {
        Err(Error::Environment("the DOM engine is not part of this build yet".into()))
    }
}
