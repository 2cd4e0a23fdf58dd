//! The DOM state at a checkpoint, as the runner needs it: canonical text and selector queries.

use crate::dom::{canonical, selector, state_at, Dom};
use crate::error::{Error, Result};
use crate::model::{Offset, Recording};

/// The rebuilt DOM at one offset.
pub struct DomView<'r> {
    dom: Dom<'r>,
    /// Canonical text (CANONICAL.md) of the whole state.
    pub text: String,
}

impl<'r> DomView<'r> {
    pub fn at(rec: &'r Recording, offset: Offset) -> Result<DomView<'r>> {
        let dom = state_at(rec, rec.start().0 + offset.ms());
        let text = canonical(&dom);
        Ok(DomView { dom, text })
    }

    /// The state itself (render mode renders it).
    pub fn dom(&self) -> &Dom<'r> {
        &self.dom
    }

    /// Node ids matching a CSS selector (docs/selectors.md), in document order.
    pub fn select(&self, css: &str) -> Result<Vec<i64>> {
        selector::select_ids(&self.dom, css).map_err(|e| Error::Usage(format!("selector `{css}`: {e}")))
    }
}
