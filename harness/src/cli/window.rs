//! `reprise window`: what happened around a moment, grouped.

use super::exit;
use super::source::SourceArgs;
use clap::Args as ClapArgs;
use reprise::clock::{parse_offset, TimeSpec};
use reprise::events::{normalize, Filter};
use reprise::inspect::{window, Evidence, WindowGroup};
use reprise::model::Offset;
use std::io::Write;

/// Show the activity around a moment: interactions, navigation, network, console, errors, DOM
/// mutations, spans and web vitals, each with its evidence pointer.
///
/// The moment is an offset (`--at`) or the first event matching a text (`--contains`).
///
/// Examples:
///   reprise window session.json --at 01:23.5
///   reprise window ./bundle --contains "/api/search" --before 5s --after 10s
///   reprise window replay.envelope --at 26821ms --json
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub source: SourceArgs,

    /// The moment (`01:23`, `83.4s`, `83421ms`, `50%`).
    #[arg(long, value_name = "TIME", required_unless_present = "contains", conflicts_with = "contains")]
    pub at: Option<String>,

    /// Centre on the first event whose text contains this.
    #[arg(long, value_name = "TEXT")]
    pub contains: Option<String>,

    /// How much to show before the moment.
    #[arg(long, default_value = "10s", value_name = "DURATION")]
    pub before: String,

    /// How much to show after the moment.
    #[arg(long, default_value = "30s", value_name = "DURATION")]
    pub after: String,

    /// List every DOM mutation instead of a summary line.
    #[arg(long)]
    pub all: bool,

    /// Print JSON (schema: docs/inspect.md).
    #[arg(long)]
    pub json: bool,
}

fn duration(s: &str) -> anyhow::Result<f64> {
    let o = parse_offset(s).ok_or_else(|| reprise::Error::Usage(format!("cannot read duration `{s}` (e.g. 5s, 500ms, 1:00)")))?;
    Ok(o.ms().abs())
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let rec = args.source.load()?;
    let events = normalize(&rec);
    let (at, anchor) = match (&args.at, &args.contains) {
        (Some(t), _) => (TimeSpec::parse(t)?.resolve(&rec).ms(), None),
        (None, Some(q)) => {
            let filter = Filter { contains: Some(q.clone()), ..Filter::default() };
            let e = events
                .iter()
                .find(|e| filter.matches(e))
                .ok_or_else(|| reprise::Error::Usage(format!("no event contains `{q}`")))?;
            (e.offset_ms, Some(e))
        }
        (None, None) => unreachable!("clap requires --at or --contains"),
    };
    let w = window(&events, at, duration(&args.before)?, duration(&args.after)?, anchor);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &w)?;
        writeln!(out)?;
        return Ok(exit::OK);
    }
    writeln!(out, "window {} .. {} around {}", Offset(w.from_offset_ms), Offset(w.to_offset_ms), Offset(w.at_ms))?;
    if let Some(a) = &w.anchor {
        writeln!(out, "anchor {}", line(a))?;
    }
    for g in &w.groups {
        writeln!(out, "\n{} ({})", g.group.title(), g.count)?;
        if g.group == WindowGroup::DomMutations && !args.all && g.count > 5 {
            let first = &g.events[0];
            let last = &g.events[g.events.len() - 1];
            writeln!(out, "  {} mutations from {} to {} (--all lists them)", g.count, Offset(first.offset_ms), Offset(last.offset_ms))?;
            continue;
        }
        for e in &g.events {
            writeln!(out, "  {}", line(e))?;
        }
    }
    Ok(exit::OK)
}

pub fn line(e: &Evidence) -> String {
    let mut s = format!("{:<10} {:<10} {:<6}", Offset(e.offset_ms).to_string(), e.kind.name(), format!("{}:{}", e.segment_id, e.frame_index));
    let mut add = |x: &str| {
        s.push(' ');
        s.push_str(x);
    };
    match (&e.label, &e.text) {
        (_, Some(t)) => add(&format!("{t:?}{}", if e.masked { " (masked)" } else { "" })),
        (Some(l), None) => add(&l.chars().take(120).collect::<String>().replace('\n', " ")),
        _ => {}
    }
    if let Some(sel) = &e.selector {
        if e.label.as_deref() != Some(sel) {
            add(&format!("[{}]", sel.chars().take(100).collect::<String>()));
        }
    }
    s
}
