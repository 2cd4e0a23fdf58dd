//! `reprise struggles`: ranked friction findings with evidence and the next command to run.

use super::exit;
use super::source::SourceArgs;
use super::window::line;
use clap::Args as ClapArgs;
use reprise::events::normalize;
use reprise::inspect::struggles;
use reprise::model::Offset;
use std::io::Write;

/// Find where the user struggled, ranked by severity: errors, failed and slow requests, dead and
/// rage clicks, repeated clicks, clicks with no effect, console errors, hydration errors, poor
/// web vitals, mutation bursts, long idle after an interaction, repeated focus, back-and-forth
/// navigation. Each finding cites its evidence (segment, frame, offset) and gives the
/// `reprise window` command that shows it. Works on rrweb-only recordings too.
///
/// Examples:
///   reprise struggles replay.envelope
///   reprise struggles session.json --json
///   reprise struggles ./bundle --limit 5
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub source: SourceArgs,

    /// At most this many findings.
    #[arg(long)]
    pub limit: Option<usize>,

    /// Print JSON (schema: docs/inspect.md).
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let rec = args.source.load()?;
    let events = normalize(&rec);
    let mut findings = struggles(&events, &args.source.source.display().to_string());
    if let Some(n) = args.limit {
        findings.truncate(n);
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &findings)?;
        writeln!(out)?;
        return Ok(exit::OK);
    }
    if findings.is_empty() {
        writeln!(out, "no struggles found")?;
    }
    for f in &findings {
        writeln!(out, "{}. [{:?}] {} ({}, {}..{})", f.rank, f.severity, f.title, f.origin, Offset(f.window.from_offset_ms), Offset(f.window.to_offset_ms))?;
        for e in f.evidence.iter().take(5) {
            let status = e.status.map(|s| format!(" -> {s}")).unwrap_or_default();
            writeln!(out, "     {}{status}", line(e))?;
        }
        if f.evidence.len() > 5 {
            writeln!(out, "     ... {} more", f.evidence.len() - 5)?;
        }
        writeln!(out, "     next: {}", f.next_command)?;
    }
    Ok(exit::OK)
}
