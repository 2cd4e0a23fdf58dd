//! Subcommands, one file each. Only this layer knows clap and anyhow.

mod dom;
pub mod exit;
mod info;
mod source;
mod validate;

use clap::{Parser, Subcommand};

/// Deterministic replay harness and regression test runner for recorded web sessions.
///
/// reprise reads rrweb and Sentry Session Replay recordings in every cached form (rrweb JSON/JSONL,
/// gzip/zlib, Sentry recording segments, envelopes, replay_video items, replay bundles), rebuilds
/// the DOM at any instant, and runs recorded sessions as regression tests.
#[derive(Parser, Debug)]
#[command(name = "reprise", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    Info(info::Args),
    Dom(dom::Args),
    Validate(validate::Args),
}

pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Info(args) => info::run(args),
        Command::Dom(args) => dom::run(args),
        Command::Validate(args) => validate::run(args),
    }
}

/// A closed stdout (`reprise events x | head`) is not an error.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
