//! `reprise cache list|clear`: what the replay cache holds, and removing it.

use super::exit;
use clap::{Args as ClapArgs, Subcommand};
use reprise::cache::{Cache, Entry, State};
use std::io::Write;
use std::path::PathBuf;

/// Inspect or clear the local cache of fetched replays (see `reprise fetch`).
///
/// Examples:
///   reprise cache list
///   reprise cache list --json
///   reprise cache clear 4edd51890ee1464d92875f4d80ed65eb
///   reprise cache clear
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(subcommand)]
    pub command: CacheCommand,

    /// The cache folder (default: $REPRISE_CACHE_DIR, else $XDG_CACHE_HOME/reprise/replays, else
    /// ~/.cache/reprise/replays).
    #[arg(long, value_name = "DIR", global = true)]
    pub cache_dir: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum CacheCommand {
    List(ListArgs),
    Clear(ClearArgs),
}

/// List the cached replays: replay id, host/org/project, segments, size, complete, fetched at.
///
/// Examples:
///   reprise cache list
///   reprise cache list --json
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct ListArgs {
    /// Print a JSON array.
    #[arg(long)]
    pub json: bool,
}

/// Remove cached replays: all of them, or one.
///
/// Examples:
///   reprise cache clear
///   reprise cache clear 4edd51890ee1464d92875f4d80ed65eb
///   reprise cache clear acme/web-app/4edd51890ee1464d92875f4d80ed65eb
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct ClearArgs {
    /// A replay id or org/project/replay-id (default: every cached replay).
    #[arg(value_name = "REPLAY")]
    pub replay: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let cache = match &args.cache_dir {
        Some(dir) => Cache::new(dir),
        None => Cache::from_env()?,
    };
    match args.command {
        CacheCommand::List(a) => list(&cache, a.json),
        CacheCommand::Clear(a) => clear(&cache, a.replay.as_deref()),
    }
}

fn list(cache: &Cache, json: bool) -> anyhow::Result<u8> {
    let entries = cache.list()?;
    let mut out = std::io::stdout().lock();
    if json {
        let rows: Vec<_> = entries.iter().map(row_json).collect();
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
        return Ok(exit::OK);
    }
    if entries.is_empty() {
        eprintln!("the cache at {} holds no replays", cache.root().display());
        return Ok(exit::OK);
    }
    writeln!(out, "{:<32}  {:<40}  {:>8}  {:>10}  {:<11}  FETCHED_AT", "REPLAY", "SOURCE", "SEGMENTS", "SIZE", "STATE")?;
    for e in &entries {
        writeln!(
            out,
            "{:<32}  {:<40}  {:>8}  {:>10}  {:<11}  {}",
            e.key.replay_id,
            e.key.source(),
            e.status.segments.len(),
            human_size(e.status.size),
            e.status.state.name(),
            e.status.fetched_at.as_deref().unwrap_or("-")
        )?;
    }
    Ok(exit::OK)
}

fn row_json(e: &Entry) -> serde_json::Value {
    serde_json::json!({
        "replay": e.key.replay_id,
        "host": e.key.host,
        "org": e.key.org,
        "project": e.key.project,
        "source": e.key.source(),
        "path": e.status.path,
        "segments": e.status.segments.len(),
        "countSegments": e.status.count_segments,
        "size": e.status.size,
        "complete": e.status.state == State::Complete,
        "state": e.status.state.name(),
        "fetchedAt": e.status.fetched_at,
    })
}

fn clear(cache: &Cache, filter: Option<&str>) -> anyhow::Result<u8> {
    let removed = cache.clear(filter)?;
    for e in &removed {
        eprintln!("removed {} ({})", e.key, human_size(e.status.size));
    }
    match (filter, removed.is_empty()) {
        (Some(f), true) => anyhow::bail!("no cached replay matches `{f}` (see `reprise cache list`)"),
        (None, true) => eprintln!("the cache at {} holds no replays", cache.root().display()),
        _ => {}
    }
    Ok(exit::OK)
}

fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut v = bytes as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}
