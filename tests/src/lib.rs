//! Shared helpers for the integration tests: where the corpus and the built binary live.
