//! reprise: a deterministic replay harness and regression test runner for recorded web sessions
//! (rrweb / Sentry Session Replay). See ARCHITECTURE.md for the map of modules.

pub mod cache;
pub mod browser;
pub mod clock;
pub mod compare;
pub mod dom;
pub mod error;
pub mod events;
pub mod golden;
pub mod fetch;
pub mod ingest;
pub mod inspect;
pub mod mock;
pub mod model;
pub mod runner;
pub mod scenario;

pub use error::{Error, Result};
