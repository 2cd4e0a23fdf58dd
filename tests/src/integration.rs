//! The integration test binary: one module per capability, all on real corpus recordings and tiny
//! hand-written ones.

mod browser;
mod dom_cli;
mod dom_hostile;
mod dom_oracle;
mod dom_rules;
mod dom_seek;
mod fetch;
mod ingest;
mod inspect;
mod live;
mod pixels;
mod render;
mod runner;
