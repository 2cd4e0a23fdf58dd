//! Named exit codes, shared by every subcommand (documented in README.md).
#![allow(dead_code)] // Some codes belong to subcommands that arrive with later issues.

/// Success.
pub const OK: u8 = 0;
/// An error: bad input, missing file, browser failure, findings from `validate`.
pub const ERROR: u8 = 1;
/// The command line itself is wrong (clap also exits 2).
pub const USAGE: u8 = 2;
/// `reprise diff`: the images differ beyond the tolerance.
pub const DIFFERENT: u8 = 3;
/// `reprise test`: at least one scenario failed (libtest's code).
pub const TEST_FAILURES: u8 = 101;
