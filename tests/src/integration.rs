//! The integration test binary: one module per capability, on real corpus recordings and tiny
//! hand-written ones.

mod dom_oracle;
