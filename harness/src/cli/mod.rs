//! Subcommands, one file each. Only this layer knows clap and anyhow.

mod cache;
mod events;
mod diff;
mod dom;
pub mod exit;
mod golden;
mod fetch;
mod info;
mod scenario;
mod search;
mod skill;
mod render;
mod render_html;
mod source;
mod stats;
mod struggles;
mod test;
mod verify_fix;
mod window;
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
    Events(events::Args),
    Window(window::Args),
    Search(search::Args),
    Stats(stats::Args),
    Struggles(struggles::Args),
    Skill(skill::Args),
    Test(test::Args),
    Golden(golden::Args),
    Scenario(scenario::Args),
    Fetch(fetch::Args),
    Cache(cache::Args),
    Diff(diff::Args),
    Render(render::Args),
    RenderHtml(render_html::Args),
    Dom(dom::Args),
    Validate(validate::Args),
    VerifyFix(verify_fix::Args),
}

pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Info(args) => info::run(args),
        Command::Events(args) => events::run(args),
        Command::Window(args) => window::run(args),
        Command::Search(args) => search::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Struggles(args) => struggles::run(args),
        Command::Skill(args) => skill::run(args),
        Command::Test(args) => test::run(args),
        Command::Golden(args) => golden::run(args),
        Command::Scenario(args) => scenario::run(args),
        Command::Fetch(args) => fetch::run(args),
        Command::Cache(args) => cache::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Render(args) => render::run(args),
        Command::RenderHtml(args) => render_html::run(args),
        Command::VerifyFix(args) => verify_fix::run(args),
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
