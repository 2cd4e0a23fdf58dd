//! The `<source>` argument shared by every command that reads a recording. A source that is no
//! path on disk but reads as `org/project/replay-id` is that replay's bundle in the fetch cache.

use clap::Args as ClapArgs;
use reprise::cache::{Cache, ReplayRef, State};
use reprise::fetch::ApiBase;
use reprise::ingest::{self, LoadOptions};
use reprise::model::Recording;
use std::path::PathBuf;

#[derive(ClapArgs, Debug, Clone)]
pub struct SourceArgs {
    /// A recording: rrweb JSON/JSONL (plain, gzip or zlib), a Sentry recording-segments response,
    /// an envelope file or folder, a replay_video item, a replay bundle folder, or a Sentry
    /// segment blob. The format is detected from the content. `org/project/replay-id` names a
    /// replay fetched with `reprise fetch`.
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
        let path = self.resolve()?;
        Ok(ingest::load(&path, &opts)?)
    }

    /// The path to read: the source itself, or the cached bundle it names.
    fn resolve(&self) -> anyhow::Result<PathBuf> {
        if self.source.exists() {
            return Ok(self.source.clone());
        }
        let Some(replay) = self.source.to_str().and_then(|s| ReplayRef::parse(s).ok()) else {
            return Ok(self.source.clone());
        };
        let cache = Cache::from_env()?;
        let mut found = cache.find(&replay)?;
        if found.len() > 1 {
            // Several servers have it: the one SENTRY_URL names, if any.
            let host = std::env::var("SENTRY_URL").ok().and_then(|u| ApiBase::parse(&u).ok()).map(|b| b.host_dir());
            found.retain(|e| host.as_deref() == Some(e.key.host.as_str()));
            if found.len() != 1 {
                let hosts: Vec<String> = cache.find(&replay)?.iter().map(|e| e.key.host.clone()).collect();
                anyhow::bail!(
                    "{replay} is cached from several servers ({}); name one, e.g. `{}/{replay}`",
                    hosts.join(", "),
                    hosts[0]
                );
            }
        }
        let Some(entry) = found.pop() else {
            anyhow::bail!("{replay}: not in the cache ({}); run `reprise fetch {replay}`", cache.root().display());
        };
        let status = &entry.status;
        match status.state {
            State::Complete => {}
            State::Partial if !status.segments.is_empty() => eprintln!(
                "warning: the cached bundle of {replay} is partial: {}; run `reprise fetch {replay}` to complete it",
                status.why_partial()
            ),
            State::Partial => anyhow::bail!(
                "{replay}: the cached bundle holds no segments yet ({}); run `reprise fetch {replay}`",
                status.why_partial()
            ),
            State::Interrupted => anyhow::bail!(
                "{replay}: the cached bundle is unusable ({}); run `reprise fetch {replay}`",
                status.why_partial()
            ),
        }
        Ok(status.path.clone())
    }
}
