//! The integration test binary: one module per capability, on real corpus recordings and tiny
//! hand-written ones.

mod dom_oracle;
mod dom_rules;
mod dom_seek;
mod dom_hostile;
mod dom_cli;
