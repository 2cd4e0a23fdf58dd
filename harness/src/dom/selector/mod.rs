//! CSS selectors over the arena: a parser for the grammar documented in docs/selectors.md and a
//! right-to-left matcher. Attributes are the recorded page's (the canonical view), descendant and
//! child combinators pierce open shadow roots (as Playwright's CSS engine does), never iframes.

mod matcher;
mod parse;

pub use matcher::{matches, select, select_ids};
pub use parse::{parse, Selector};
