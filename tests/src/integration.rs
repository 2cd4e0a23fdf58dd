//! The integration test binary: one module per capability, all on real corpus recordings and tiny
//! hand-written ones.

mod fetch;
mod ingest;
mod inspect;
mod pixels;
mod runner;
mod browser;
