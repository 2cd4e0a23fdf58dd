//! The DOM engine: folds a recording's frames into the DOM rrweb's replayer would show at any
//! instant (an arena keyed by rrweb id), seeks through a checkpoint index, prints the state as
//! canonical text, JSON or sanitized HTML, and names nodes for other modules (stable selectors,
//! labels). Pure: no I/O, no wall clock. docs/dom.md has the API; ARCHITECTURE.md the map.

mod activity;
mod arena;
mod attribute;
mod build;
mod canonical;
mod css_split;
mod describe;
mod dialog;
mod elide;
mod engine;
mod form;
mod html;
mod iframe;
mod json;
mod legacy;
mod meta;
mod meta_keys;
mod mirror;
mod mutation;
mod mutation_attrs;
mod node;
mod resolve_tree;
mod resolver;
mod sanitize;
mod seek;
pub mod selector;
mod snapshot;
mod style_decl;
mod style_memo;
mod style_value;
pub mod stylesheet;
mod text;
pub mod validate;
mod view;
mod warning;

pub use activity::{activity, Activity, Change, Kinds};
pub use arena::{Children, Dom};
pub use canonical::{canonical, write_subtree};
pub use describe::{css_ident, css_string, describe, is_masked_text, stable_selector, NodeDescription};
pub use engine::Engine;
pub use html::{document as html_document, fragment as html_fragment, sanitize_css};
pub use json::{dom_json, node_json};
pub use meta::{Meta, MetaKind, MetaRef};
pub use node::{Attrs, Data, Element, Form, Idx, Node, Text};
pub use resolver::Resolver;
pub use seek::{first_snapshot, fold_at, span_at, state_at, SeekIndex, Span};
pub use text::{js_number, quote};
pub use view::{attributes, state, State};
pub use warning::{DomWarning, WarningKind};
