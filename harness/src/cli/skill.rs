//! `reprise skill`: the agent guide (docs/SKILL.md), printed.

use super::exit;
use clap::Args as ClapArgs;

/// Print the guide for coding agents: how to investigate a replay with reprise, cite evidence,
/// treat masked text, and turn a finding into a scenario.
///
/// Examples:
///   reprise skill
///   reprise skill > SKILL.md
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<u8> {
    use std::io::Write;
    std::io::stdout().write_all(include_str!("../../../docs/SKILL.md").as_bytes())?;
    Ok(exit::OK)
}
