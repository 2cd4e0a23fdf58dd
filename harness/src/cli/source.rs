//! The `<source>` argument shared by every command that reads a recording.

use clap::Args as ClapArgs;
use reprise::ingest::{self, LoadOptions};
use reprise::model::Recording;
use std::path::PathBuf;

#[derive(ClapArgs, Debug, Clone)]
pub struct SourceArgs {
    /// A recording: rrweb JSON/JSONL (plain, gzip or zlib), a Sentry recording-segments response,
    /// an envelope file or folder, a replay_video item, a replay bundle folder, or a Sentry
    /// segment blob. The format is detected from the content.
    pub source: PathBuf,

    /// For PostHog sources with several browser windows: which window (default: the first).
    #[arg(long, value_name = "ID")]
    pub window: Option<String>,

    /// Keep going when a segment is unreadable; it is reported as a gap.
    #[arg(long)]
    pub lenient: bool,
}

impl SourceArgs {
    pub fn load(&self) -> anyhow::Result<Recording> {
        let opts = LoadOptions { window: self.window.clone(), lenient: self.lenient };
        Ok(ingest::load(&self.source, &opts)?)
    }
}
