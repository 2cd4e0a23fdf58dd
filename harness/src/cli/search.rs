//! `reprise search`: fuzzy search with evidence pointers.

use super::exit;
use super::source::SourceArgs;
use clap::Args as ClapArgs;
use reprise::events::normalize;
use reprise::inspect::search;
use reprise::model::Offset;
use std::io::Write;

/// Search a recording: selectors, typed text, visible page text, page and request URLs, breadcrumb,
/// console and error messages, span descriptions. Every hit carries its replay id, segment, frame,
/// timestamp and offset. Masked text is never matched: it is counted and reported as masked.
///
/// Examples:
///   reprise search session.json "add to cart"
///   reprise search ./bundle /api/plants --limit 5
///   reprise search replay.envelope TypeError --json
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub source: SourceArgs,

    /// What to look for (case-insensitive; close matches count too).
    pub query: String,

    /// At most this many hits.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,

    /// Print JSON (schema: docs/inspect.md).
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let rec = args.source.load()?;
    let events = normalize(&rec);
    let result = search(&rec, &events, &args.query, args.limit);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &result)?;
        writeln!(out)?;
        return Ok(exit::OK);
    }
    writeln!(out, "{} hit(s) for {:?}{}", result.total, result.query, if result.total > result.hits.len() { format!(", showing {}", result.hits.len()) } else { String::new() })?;
    for h in &result.hits {
        let kind = h.kind.map(|k| k.name()).unwrap_or("page");
        writeln!(out, "{:<10} {:<10} {:<7} {:<11} {:>3}  {}", Offset(h.offset_ms).to_string(), kind, format!("{}:{}", h.segment_id, h.frame_index), h.field, h.score, h.text)?;
    }
    let m = &result.masked;
    if m.inputs + m.text_nodes > 0 {
        writeln!(
            out,
            "masked: {} input event(s) and {} text node(s) were masked by the recorder; their text is unknown, not absent{}",
            m.inputs,
            m.text_nodes,
            if m.first_inputs.is_empty() { String::new() } else { format!(" (first inputs: {})", m.first_inputs.join("; ")) }
        )?;
    }
    Ok(exit::OK)
}
