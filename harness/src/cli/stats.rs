//! `reprise stats`: the session in numbers.

use super::exit;
use super::source::SourceArgs;
use super::window::line;
use clap::Args as ClapArgs;
use reprise::events::normalize;
use reprise::inspect::stats;
use reprise::model::Offset;
use std::io::Write;

/// Summarize a session: duration, time per route, active vs idle time, most-clicked targets,
/// slowest and failed requests, console errors, dead and rage clicks, largest DOM mutation bursts,
/// poor web vitals.
///
/// Examples:
///   reprise stats session.json
///   reprise stats ./bundle --json
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub source: SourceArgs,

    /// Print JSON (schema: docs/inspect.md).
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let rec = args.source.load()?;
    let events = normalize(&rec);
    let s = stats(&events, rec.duration().ms());
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &s)?;
        writeln!(out)?;
        return Ok(exit::OK);
    }
    writeln!(out, "duration       {}", Offset(s.duration_ms))?;
    writeln!(out, "active / idle  {} / {}", Offset(s.active_ms), Offset(s.idle_ms))?;
    writeln!(out, "events         {}", s.events)?;
    writeln!(out, "errors         {} error event(s), {} console error(s)", s.errors, s.console_errors)?;
    writeln!(out, "\ntime per route")?;
    for r in &s.time_per_route {
        writeln!(out, "  {:>10}  {} ({} visit(s))", Offset(r.ms).to_string(), r.url, r.visits)?;
    }
    writeln!(out, "\nmost clicked")?;
    for c in &s.most_clicked {
        writeln!(out, "  {:>4}  {}", c.count, c.key)?;
    }
    let sections = [
        ("slowest requests", &s.slowest_requests),
        ("failed requests", &s.failed_requests),
        ("dead clicks", &s.dead_clicks),
        ("rage clicks", &s.rage_clicks),
        ("poor web vitals", &s.poor_web_vitals),
    ];
    for (title, list) in sections {
        writeln!(out, "\n{title} ({})", list.len())?;
        for e in list.iter() {
            let extra = match (e.status, e.duration_ms) {
                (Some(st), Some(ms)) => format!(" -> {st} in {ms:.0} ms"),
                _ => String::new(),
            };
            writeln!(out, "  {}{extra}", line(e))?;
        }
    }
    writeln!(out, "\nlargest mutation bursts")?;
    for b in &s.largest_mutation_bursts {
        writeln!(out, "  {:>10}  {} changes in {} mutation(s)  ({}:{})", Offset(b.from_offset_ms).to_string(), b.changes, b.mutations, b.first.segment_id, b.first.frame_index)?;
    }
    Ok(exit::OK)
}
