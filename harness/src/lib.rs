//! reprise: a deterministic replay harness and regression test runner for recorded web sessions
//! (rrweb / Sentry Session Replay). See ARCHITECTURE.md for the map of modules.

pub mod clock;
pub mod dom;
pub mod error;
pub mod ingest;
pub mod model;

pub use error::{Error, Result};
