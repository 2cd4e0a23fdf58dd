//! `reprise events`: the normalized event stream, filtered, as a table, JSON or JSONL.

use super::exit;
use super::source::SourceArgs;
use clap::Args as ClapArgs;
use reprise::clock::TimeSpec;
use reprise::events::{normalize, Filter};
use reprise::model::{Event, EventKind, Offset, Recording};
use std::collections::HashMap;
use std::io::Write;

/// List the normalized events of a recording, with evidence pointers.
///
/// Every event carries its replay id, segment id, frame index, offset (ms since the first frame)
/// and timestamp, so any finding can be cited and re-inspected.
///
/// Kinds: navigation, click, tap, input, focus, blur, scroll, viewport, mutation, dom-snapshot,
/// breadcrumb, network, console, error, span, web-vital, memory, video, mobile.
///
/// Examples:
///   reprise events session.json --kind click,input
///   reprise events ./bundle --from 01:20 --to 83.4s --jsonl
///   reprise events replay.envelope --kind network --contains /api/ --json
///   reprise events session.json --selector '#pay' --limit 5 --raw --jsonl
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub source: SourceArgs,

    /// Only these kinds (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "KIND,...")]
    pub kind: Vec<String>,

    /// Only events at or after this offset (`01:20`, `83.4s`, `83421ms`, `50%`).
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,

    /// Only events at or before this offset.
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,

    /// Only events whose text (label, selector, url, message, typed text...) contains this.
    #[arg(long, value_name = "TEXT")]
    pub contains: Option<String>,

    /// Only events whose target selector contains this.
    #[arg(long, value_name = "CSS")]
    pub selector: Option<String>,

    /// Only events whose URL (page, or request for network events) contains this.
    #[arg(long, value_name = "TEXT")]
    pub url: Option<String>,

    /// At most this many events.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    /// Print a JSON array.
    #[arg(long, conflicts_with = "jsonl")]
    pub json: bool,

    /// Print one JSON object per line, streamed.
    #[arg(long)]
    pub jsonl: bool,

    /// Include the original frame of each event (`raw`) in JSON output.
    #[arg(long)]
    pub raw: bool,
}

pub fn filter_from(rec: &Recording, args: &Args) -> anyhow::Result<Filter> {
    let mut kinds = Vec::new();
    for k in &args.kind {
        let k = k.trim();
        let kind = EventKind::parse(k).ok_or_else(|| {
            let all: Vec<_> = EventKind::ALL.iter().map(|k| k.name()).collect();
            reprise::Error::Usage(format!("unknown kind `{k}`; kinds: {}", all.join(", ")))
        })?;
        kinds.push(kind);
    }
    let time = |s: &Option<String>| -> anyhow::Result<Option<f64>> {
        s.as_deref().map(|s| Ok(TimeSpec::parse(s)?.resolve(rec).ms())).transpose()
    };
    Ok(Filter {
        kinds,
        from_ms: time(&args.from)?,
        to_ms: time(&args.to)?,
        contains: args.contains.clone(),
        selector: args.selector.clone(),
        url: args.url.clone(),
        limit: args.limit,
    })
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let mut rec = args.source.load()?;
    if !args.raw {
        // The original JSON is as large as the recording itself; only --raw reads it.
        rec.release_raw();
    }
    let filter = filter_from(&rec, &args)?;
    let events = normalize(&rec);
    let selected = filter.apply(&events);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let frame_at: HashMap<(u32, u32), usize> = if args.raw {
        // The first frame with a pointer wins, as before.
        rec.frames.iter().enumerate().rev().map(|(i, f)| ((f.pointer.segment, f.pointer.frame), i)).collect()
    } else {
        HashMap::new()
    };
    let with_raw = |e: &Event| -> anyhow::Result<Event> {
        let mut e = e.clone();
        if args.raw && e.raw_type >= 0 {
            e.raw = frame_at
                .get(&(e.segment_id, e.frame_index))
                .map(|&i| serde_json::value::RawValue::from_string(rec.raw(&rec.frames[i]).to_string()).map(reprise::model::RawJson))
                .transpose()?;
        }
        Ok(e)
    };
    if args.jsonl {
        for e in selected {
            serde_json::to_writer(&mut out, &with_raw(e)?)?;
            out.write_all(b"\n")?;
        }
    } else if args.json {
        let all: Vec<Event> = selected.into_iter().map(with_raw).collect::<anyhow::Result<_>>()?;
        serde_json::to_writer_pretty(&mut out, &all)?;
        out.write_all(b"\n")?;
    } else {
        print_table(&mut out, &selected)?;
    }
    out.flush()?;
    Ok(exit::OK)
}

/// One line per event: offset, kind, pointer, then the most telling detail.
fn print_table(out: &mut impl Write, events: &[&Event]) -> std::io::Result<()> {
    writeln!(out, "{:<11} {:<12} {:<10} {:<20} DETAIL", "OFFSET", "KIND", "SEG:FRAME", "CATEGORY")?;
    for e in events {
        let d = &e.detail;
        let mut detail = String::new();
        let mut push = |s: String| {
            if !s.is_empty() {
                if !detail.is_empty() {
                    detail.push_str("  ");
                }
                detail.push_str(&s);
            }
        };
        match e.kind {
            EventKind::Input => {
                let text = d.text.clone().unwrap_or_default();
                push(if e.masked { format!("{text:?} (masked)") } else { format!("{text:?}") });
                if d.checked == Some(true) {
                    push("checked".into());
                }
            }
            EventKind::Mutation => push(format!(
                "+{} -{} text {} attr {}",
                d.adds.unwrap_or(0),
                d.removes.unwrap_or(0),
                d.texts.unwrap_or(0),
                d.attributes.unwrap_or(0)
            )),
            EventKind::Scroll => push(format!("({}, {})", d.x.unwrap_or(0.0), d.y.unwrap_or(0.0))),
            EventKind::Viewport => push(format!("{}x{}", d.width.unwrap_or(0.0), d.height.unwrap_or(0.0))),
            _ => push(e.label.clone().unwrap_or_default()),
        }
        if let Some(s) = &e.selector {
            if e.label.as_deref() != Some(s) {
                push(s.clone());
            }
        }
        if let Some(id) = e.node_id {
            push(format!("#{id}"));
        }
        for (flag, on) in [("dead", d.dead_click), ("rage", d.rage_click), ("slow", d.slow_click), ("multi", d.multi_click)] {
            if on == Some(true) {
                push(format!("[{flag}]"));
            }
        }
        if e.kind == EventKind::Network {
            if let Some(ms) = d.duration_ms {
                push(format!("{ms:.0} ms"));
            }
        }
        let detail: String = detail.chars().take(160).collect();
        writeln!(
            out,
            "{:<11} {:<12} {:<10} {:<20} {}",
            Offset(e.offset_ms).to_string(),
            e.kind.name(),
            format!("{}:{}", e.segment_id, e.frame_index),
            e.category,
            detail.replace('\n', " ")
        )?;
    }
    Ok(())
}
