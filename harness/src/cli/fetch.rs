//! `reprise fetch`: a Sentry replay into the cache (or a folder of its own), with a progress line
//! on a terminal. The token comes from `--auth-token` or `SENTRY_AUTH_TOKEN` and is never shown.

use super::exit;
use clap::Args as ClapArgs;
use reprise::cache::{private_dir_all, Cache, ReplayRef};
use reprise::fetch::{fetch, ApiBase, AuthToken, FetchOptions, Outcome, Progress, RetryPolicy, SegmentSet, Target, DEFAULT_URL};
use reprise::model::Timestamp;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

/// Fetch a Sentry Session Replay into the local cache as a replay bundle, and print its path.
///
/// Reads the replay's details and every recording-segments page (following the `Link` cursors;
/// `count_segments` is only a hint), the videos of mobile segments, and with `--include errors`
/// the linked error events. The bundle is cached under
/// $XDG_CACHE_HOME/reprise/replays/<host>/<org>/<project>/<replay-id>/ and every <source>
/// argument accepts `org/project/replay-id` for it. A complete bundle of a replay that had ended
/// when it was fetched (last activity over an hour before) is served from the cache without the
/// network; recent replays are fetched again. See docs/fetch.md.
///
/// Environment: SENTRY_AUTH_TOKEN (scopes org:read, project:read, event:read), SENTRY_URL
/// (self-hosted servers), XDG_CACHE_HOME or REPRISE_CACHE_DIR (the cache), and
/// REPRISE_FETCH_BACKOFF_MS (the first retry's wait; 500 by default).
///
/// Examples:
///   reprise fetch acme/web-app/4edd51890ee1464d92875f4d80ed65eb
///   reprise fetch acme/web-app/4edd51890ee1464d92875f4d80ed65eb --include errors
///   reprise fetch acme/web-app/4edd51890ee1464d92875f4d80ed65eb --url https://sentry.example.com
///   reprise fetch acme/web-app/4edd51890ee1464d92875f4d80ed65eb --segments 0-9 --force
///   reprise fetch acme/web-app/4edd51890ee1464d92875f4d80ed65eb --no-cache
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The replay: <org>/<project>/<replay-id>.
    #[arg(value_name = "ORG/PROJECT/REPLAY_ID")]
    pub replay: String,

    /// Sentry auth token (default: $SENTRY_AUTH_TOKEN). Never printed, logged or stored.
    #[arg(long, value_name = "TOKEN", value_parser = secret)]
    pub auth_token: Option<Secret>,

    /// Sentry server (default: $SENTRY_URL, else https://sentry.io).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,

    /// Also fetch these linked records (comma-separated): `errors` (error events into errors/).
    #[arg(long, value_delimiter = ',', value_name = "WHAT,...")]
    pub include: Vec<Include>,

    /// Only these segments, e.g. `0-9` or `3,5,7-8` (the bundle is then partial).
    #[arg(long, value_name = "RANGE")]
    pub segments: Option<SegmentSet>,

    /// Ask the server even when the cache holds a final bundle.
    #[arg(long)]
    pub force: bool,

    /// Leave the cache untouched: fetch into a new temporary folder and print its path.
    #[arg(long)]
    pub no_cache: bool,

    /// The cache folder (default: $REPRISE_CACHE_DIR, else $XDG_CACHE_HOME/reprise/replays, else
    /// ~/.cache/reprise/replays).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Seconds to wait to connect and for each read before a try counts as failed.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub timeout: u64,

    /// Segments per page (Sentry allows 1 to 100).
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=100), hide = true)]
    pub per_page: u32,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Include {
    Errors,
}

/// A command-line secret: kept out of `Debug` and out of clap's error messages.
#[derive(Clone)]
pub struct Secret(String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

fn secret(s: &str) -> Result<Secret, String> {
    Ok(Secret(s.to_owned()))
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let replay = ReplayRef::parse(&args.replay)?;
    if replay.host.is_some() {
        anyhow::bail!("`{}`: name the server with --url or SENTRY_URL, and the replay as org/project/id", args.replay);
    }
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    let base = ApiBase::parse(&args.url.clone().or_else(|| env("SENTRY_URL")).unwrap_or_else(|| DEFAULT_URL.into()))?;
    let token = match args.auth_token.as_ref().map(|s| s.0.clone()).or_else(|| env("SENTRY_AUTH_TOKEN")) {
        Some(t) => Some(t.parse::<AuthToken>()?),
        None => None,
    };
    let mut retry = RetryPolicy::default();
    if let Some(ms) = env("REPRISE_FETCH_BACKOFF_MS") {
        let ms: u64 = ms.trim().parse().map_err(|_| anyhow::anyhow!("REPRISE_FETCH_BACKOFF_MS must be milliseconds, not `{ms}`"))?;
        retry.base = Duration::from_millis(ms);
    }
    let target = if args.no_cache {
        Target::Dir(temp_bundle_dir(&replay.replay_id)?)
    } else {
        Target::Cache(match &args.cache_dir {
            Some(dir) => Cache::new(dir),
            None => Cache::from_env()?,
        })
    };
    let opts = FetchOptions {
        base,
        token,
        replay: replay.clone(),
        segments: args.segments.clone(),
        include_errors: args.include.contains(&Include::Errors),
        per_page: args.per_page,
        force: args.force,
        now: now(),
        retry,
        timeout: Duration::from_secs(args.timeout.max(1)),
    };
    let mut line = ProgressLine::new();
    let outcome = fetch(&opts, &target, &mut |p| line.show(&p));
    line.clear();
    if let (Err(_), Target::Dir(dir)) = (&outcome, &target) {
        // Nobody learns the path of a failed --no-cache fetch: leave nothing behind.
        let _ = std::fs::remove_dir_all(dir);
    }
    let outcome = outcome?;
    report(&replay, &outcome);
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", outcome.path.display())?;
    Ok(exit::OK)
}

fn report(replay: &ReplayRef, o: &Outcome) {
    for w in &o.warnings {
        eprintln!("warning: {w}");
    }
    if o.from_cache {
        eprintln!("{replay}: served from the cache without the network ({} segments; --force fetches again)", o.segments);
        return;
    }
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut extra = String::new();
    if o.videos > 0 {
        extra.push_str(&format!(", {}", plural(o.videos, "video", "videos")));
    }
    if o.errors > 0 {
        extra.push_str(&format!(", {}", plural(o.errors, "error event", "error events")));
    }
    let state = if o.complete { "complete" } else { "partial" };
    eprintln!(
        "{replay}: fetched {} in {}{extra} ({state})",
        plural(o.segments, "segment", "segments"),
        plural(o.pages as usize, "page", "pages")
    );
}

/// A fresh private folder under the system's temporary folder, for `--no-cache`.
fn temp_bundle_dir(replay_id: &str) -> anyhow::Result<PathBuf> {
    let tmp = std::env::temp_dir();
    for n in 0..1000 {
        let dir = tmp.join(format!("reprise-{replay_id}-{}-{n}", std::process::id()));
        match std::fs::create_dir(&dir) {
            Ok(()) => {
                private_dir_all(&dir)?;
                return Ok(dir);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(anyhow::anyhow!("{}: {e}", dir.display())),
        }
    }
    anyhow::bail!("cannot create a temporary folder in {}", tmp.display())
}

fn now() -> Timestamp {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    Timestamp(since.as_millis() as f64)
}

/// One self-rewriting line on stderr when stderr is a terminal; nothing otherwise. Retries are
/// always reported, on a line of their own.
struct ProgressLine {
    tty: bool,
    shown: bool,
}

impl ProgressLine {
    fn new() -> ProgressLine {
        ProgressLine { tty: std::io::stderr().is_terminal(), shown: false }
    }

    fn show(&mut self, p: &Progress) {
        let text = match p {
            Progress::Detail => "reading the replay…".to_string(),
            Progress::Page { page, segments, expected: Some(n) } => format!("page {page}: {segments} of ~{n} segments"),
            Progress::Page { page, segments, expected: None } => format!("page {page}: {segments} segments"),
            Progress::Video { segment } => format!("video of segment {segment}"),
            Progress::ErrorEvent { done, of } => format!("error events: {done} of {of}"),
            Progress::Retry { url, attempt, attempts, wait, reason } => {
                self.clear();
                let wait = if wait.as_secs() >= 1 {
                    format!("{:.1} s", wait.as_secs_f64())
                } else {
                    format!("{} ms", wait.as_millis())
                };
                eprintln!("note: GET {url}: {reason}; trying again in {wait} (attempt {} of {attempts})", attempt + 1);
                return;
            }
        };
        if self.tty {
            eprint!("\r\x1b[2K{text}");
            let _ = std::io::stderr().flush();
            self.shown = true;
        }
    }

    fn clear(&mut self) {
        if self.shown {
            eprint!("\r\x1b[2K");
            self.shown = false;
        }
    }
}
