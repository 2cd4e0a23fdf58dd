//! `reprise validate`: drift and corruption in a recording, with pointers to the evidence.

use super::exit;
use super::source::SourceArgs;
use clap::Args as ClapArgs;
use reprise::dom::validate::{validate, Report, Severity};
use std::io::Write;

/// Check a recording against the model: missing or late full snapshots, checkouts without a
/// snapshot, timestamps going backwards within a segment, segment gaps, unknown event types and
/// sources, mutations naming unknown nodes, adds that never resolve, batches rrweb aborts.
/// Also reports what the stream says about its recorder.
///
/// Exit status: 0 clean, 1 findings (or an unreadable source), 2 usage.
///
/// Examples:
///   reprise validate session.json
///   reprise validate ./bundle --json
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub source: SourceArgs,

    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let rec = args.source.load()?;
    let report = validate(&rec);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &to_json(&rec.origin, &report))?;
        writeln!(out)?;
    } else {
        writeln!(out, "source     {}", rec.origin)?;
        for (k, v) in &report.info {
            writeln!(out, "{k:<10} {v}")?;
        }
        for w in &rec.warnings {
            writeln!(out, "ingest     {}: {}", w.location, w.message)?;
        }
        writeln!(out, "findings   {}", report.findings.len())?;
        for f in &report.findings {
            let sev = if f.severity == Severity::Error { "error" } else { "warning" };
            let at: Vec<String> = f.pointers.iter().map(|p| p.to_string()).collect();
            let more = f.count.saturating_sub(f.pointers.len());
            let more = if more > 0 && !at.is_empty() { format!(", … (+{more} more)") } else { String::new() };
            let at = if at.is_empty() { String::new() } else { format!(" at {}{more}", at.join(", ")) };
            writeln!(out, "  {sev:<7} {} ×{}: {}{at}", f.code, f.count, f.message)?;
        }
    }
    Ok(if report.clean() { exit::OK } else { exit::ERROR })
}

fn to_json(origin: &str, r: &Report) -> serde_json::Value {
    serde_json::json!({
        "source": origin,
        "clean": r.clean(),
        "info": r.info.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect::<serde_json::Map<_, _>>(),
        "findings": r.findings.iter().map(|f| serde_json::json!({
            "severity": if f.severity == Severity::Error { "error" } else { "warning" },
            "code": f.code,
            "message": f.message,
            "count": f.count,
            "at": f.pointers.iter().map(|p| serde_json::json!({"segment": p.segment, "frame": p.frame})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
