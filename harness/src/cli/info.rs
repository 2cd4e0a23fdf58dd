//! `reprise info`: what a source is and what it holds.

use super::exit;
use super::source::SourceArgs;
use clap::Args as ClapArgs;
use reprise::model::{CustomFrame, FrameData, Recording};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

/// Show what a recording is: format, replay id, urls, segments and gaps, frames, duration, counts.
///
/// Examples:
///   reprise info session.json
///   reprise info ./bundle --json
///   reprise info replay.envelope --extract-video videos/
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub source: SourceArgs,

    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,

    /// Write the native replay videos (MP4) to this folder as `<segment>.mp4`.
    #[arg(long, value_name = "DIR")]
    pub extract_video: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let rec = args.source.load()?;
    if let Some(dir) = &args.extract_video {
        std::fs::create_dir_all(dir)?;
        for v in &rec.videos {
            let path = dir.join(format!("{}.mp4", v.segment));
            std::fs::write(&path, &v.bytes)?;
            eprintln!("wrote {} ({} bytes)", path.display(), v.bytes.len());
        }
    }
    let info = summarize(&rec);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &info)?;
        writeln!(out)?;
    } else {
        print_text(&mut out, &info)?;
    }
    Ok(exit::OK)
}

fn frame_class(f: &FrameData) -> String {
    match f {
        FrameData::Incremental(inc) => format!("3/{} {}", inc.source(), inc.source_name()),
        FrameData::Custom(CustomFrame::Breadcrumb { .. }) => "5 Custom breadcrumb".into(),
        FrameData::Custom(CustomFrame::PerformanceSpan { .. }) => "5 Custom performanceSpan".into(),
        FrameData::Custom(CustomFrame::Options(_)) => "5 Custom options".into(),
        FrameData::Custom(CustomFrame::Video(_)) => "5 Custom video".into(),
        FrameData::Custom(CustomFrame::Other { tag, .. }) => format!("5 Custom {tag}"),
        FrameData::DomContentLoaded => "0 DomContentLoaded".into(),
        FrameData::Load => "1 Load".into(),
        FrameData::FullSnapshot { .. } => "2 FullSnapshot".into(),
        FrameData::Meta { .. } => "4 Meta".into(),
        FrameData::Plugin { plugin, .. } => format!("6 Plugin {plugin}"),
        FrameData::Asset(_) => "7 Asset".into(),
        FrameData::Unknown { event_type, .. } => format!("{event_type} Unknown"),
    }
}

pub fn summarize(rec: &Recording) -> serde_json::Value {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut urls: Vec<String> = Vec::new();
    for f in &rec.frames {
        *counts.entry(frame_class(&f.data)).or_default() += 1;
        if let FrameData::Meta { href, .. } = &f.data {
            if !href.is_empty() && !urls.contains(href) {
                urls.push(href.clone());
            }
        }
    }
    for u in &rec.meta.urls {
        if !urls.contains(u) {
            urls.push(u.clone());
        }
    }
    let segments: Vec<_> = rec
        .segments
        .iter()
        .map(|s| serde_json::json!({"id": s.id, "frames": s.frames, "gap": s.gap}))
        .collect();
    serde_json::json!({
        "source": rec.origin,
        "format": rec.format.map(|f| f.name()),
        "replayId": rec.replay_id,
        "windows": rec.windows,
        "window": rec.window,
        "urls": urls,
        "start": rec.start().rfc3339(),
        "end": rec.end().rfc3339(),
        "durationMs": rec.duration().ms(),
        "frames": rec.frames.len(),
        "segments": segments,
        "gaps": rec.segments.iter().filter(|s| s.gap.is_some()).map(|s| s.id).collect::<Vec<_>>(),
        "frameCounts": counts,
        "errors": rec.errors.iter().map(|e| serde_json::json!({
            "id": e.id, "type": e.exception_type, "value": e.exception_value, "message": e.message,
            "timestamp": e.timestamp.rfc3339(),
        })).collect::<Vec<_>>(),
        "errorIds": rec.meta.error_ids,
        "traceIds": rec.meta.trace_ids,
        "videos": rec.videos.iter().map(|v| serde_json::json!({"segment": v.segment, "bytes": v.bytes.len()})).collect::<Vec<_>>(),
        "warnings": rec.warnings.iter().map(|w| format!("{}: {}", w.location, w.message)).collect::<Vec<_>>(),
    })
}

fn print_text(out: &mut impl Write, info: &serde_json::Value) -> std::io::Result<()> {
    let s = |k: &str| info[k].as_str().unwrap_or("-").to_string();
    writeln!(out, "source     {}", s("source"))?;
    writeln!(out, "format     {}", s("format"))?;
    writeln!(out, "replay id  {}", s("replayId"))?;
    if let Some(w) = info["windows"].as_array().filter(|w| w.len() > 1) {
        let names: Vec<_> = w.iter().filter_map(|v| v.as_str()).collect();
        writeln!(out, "windows    {} (showing {})", names.join(", "), s("window"))?;
    }
    writeln!(out, "start      {}", s("start"))?;
    let dur = info["durationMs"].as_f64().unwrap_or(0.0);
    writeln!(out, "duration   {} ({dur} ms)", reprise::model::Offset(dur))?;
    writeln!(out, "frames     {}", info["frames"])?;
    let segs = info["segments"].as_array().map(|a| a.len()).unwrap_or(0);
    let gaps: Vec<String> = info["gaps"].as_array().into_iter().flatten().map(|g| g.to_string()).collect();
    let gap_text = if gaps.is_empty() { "no gaps".to_string() } else { format!("gaps: {}", gaps.join(", ")) };
    writeln!(out, "segments   {segs} ({gap_text})")?;
    for u in info["urls"].as_array().into_iter().flatten() {
        writeln!(out, "url        {}", u.as_str().unwrap_or(""))?;
    }
    writeln!(out, "counts")?;
    for (k, v) in info["frameCounts"].as_object().into_iter().flatten() {
        writeln!(out, "  {:>7}  {k}", v.as_u64().unwrap_or(0))?;
    }
    for e in info["errors"].as_array().into_iter().flatten() {
        writeln!(out, "error      {} {}: {}", e["id"].as_str().unwrap_or(""), e["type"].as_str().unwrap_or("-"), e["value"].as_str().unwrap_or("-"))?;
    }
    for v in info["videos"].as_array().into_iter().flatten() {
        writeln!(out, "video      segment {} ({} bytes; export with --extract-video DIR)", v["segment"], v["bytes"])?;
    }
    let warnings = info["warnings"].as_array().cloned().unwrap_or_default();
    writeln!(out, "warnings   {}", warnings.len())?;
    for w in warnings {
        writeln!(out, "  {}", w.as_str().unwrap_or(""))?;
    }
    Ok(())
}
