//! The DOM engine: folds a recording's frames into the DOM rrweb's replayer would show at any
//! instant (an arena keyed by rrweb id), seeks through a checkpoint index, and prints the state
//! as canonical text. Pure: no I/O, no wall clock.

mod arena;
mod attribute;
mod build;
mod canonical;
mod css_split;
mod dialog;
mod engine;
mod form;
mod iframe;
mod legacy;
mod meta;
mod mirror;
mod mutation;
mod mutation_attrs;
mod node;
mod resolve_tree;
mod sanitize;
mod seek;
mod snapshot;
mod style_decl;
mod text;
mod view;
mod warning;

pub use arena::{Children, Dom};
pub use canonical::{canonical, write_subtree};
pub use engine::Engine;
pub use meta::{Meta, MetaKind, MetaRef};
pub use node::{Attrs, Data, Element, Form, Idx, Node, Text};
pub use seek::{first_snapshot, fold_at, span_at, state_at, SeekIndex, Span};
pub use text::{js_number, quote};
pub use view::{attributes, state, State};
pub use warning::{DomWarning, WarningKind};
