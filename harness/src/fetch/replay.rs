//! One fetch, start to end: serve a final bundle from the cache, or read the detail and every
//! page into a bundle whose `metadata.json` says `complete` only once all pages were read.

use super::client::{Client, RetryPolicy};
use super::link::{self, Next};
use super::pages::{parse_page, Detail, Page};
use super::{ApiBase, AuthToken, Progress, SegmentSet};
use crate::cache::{is_final, is_slug, BundleStatus, BundleWriter, Cache, ReplayKey, ReplayRef, Stamp, State};
use crate::error::{Error, Result};
use crate::model::{CustomFrame, FrameData, Timestamp};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

/// A loop guard: no replay has this many pages (Sentry caps sessions at 60 minutes).
const MAX_PAGES: u32 = 10_000;

#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub base: ApiBase,
    /// Needed only when the server must be asked.
    pub token: Option<AuthToken>,
    pub replay: ReplayRef,
    /// Only these segments (a partial bundle).
    pub segments: Option<SegmentSet>,
    /// Also fetch the linked error events into `errors/`.
    pub include_errors: bool,
    /// Segments per page (Sentry allows at most 100).
    pub per_page: u32,
    /// Ask the server even when the cache holds a final bundle.
    pub force: bool,
    /// The wall-clock time of the fetch (`fetched_at`, and whether a cached replay is final).
    pub now: Timestamp,
    pub retry: RetryPolicy,
    /// Connect and per-read timeout.
    pub timeout: Duration,
}

/// Where the bundle goes.
#[derive(Debug, Clone)]
pub enum Target {
    Cache(Cache),
    /// A folder of its own (`--no-cache`); the cache is neither read nor written.
    Dir(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub path: PathBuf,
    /// Served from the cache without asking the server.
    pub from_cache: bool,
    pub complete: bool,
    /// Segments in the bundle (written by this fetch, or present when served from the cache).
    pub segments: usize,
    pub pages: u32,
    pub count_segments: Option<u64>,
    pub videos: usize,
    pub errors: usize,
    pub warnings: Vec<String>,
}

pub fn fetch(opts: &FetchOptions, target: &Target, notify: &mut dyn FnMut(Progress)) -> Result<Outcome> {
    let key = opts.replay.on(&opts.base.host_dir());
    let (org, project, id) = (&key.org, &key.project, &key.replay_id);
    if let Target::Cache(cache) = target {
        let dir = cache.bundle_dir(&key);
        if !opts.force && dir.is_dir() {
            let status = BundleStatus::read(&dir);
            if servable(&status, opts) {
                return Ok(Outcome {
                    path: dir,
                    from_cache: true,
                    complete: status.state == State::Complete,
                    segments: status.segments.len(),
                    pages: 0,
                    count_segments: status.count_segments,
                    videos: 0,
                    errors: 0,
                    warnings: Vec::new(),
                });
            }
        }
    }
    let token = opts.token.clone().ok_or_else(|| {
        Error::Usage("no auth token: set SENTRY_AUTH_TOKEN or pass --auth-token (scopes org:read, project:read, event:read)".into())
    })?;
    let client = Client::new(token, opts.retry.clone(), opts.timeout);

    notify(Progress::Detail);
    let check_detail = |b: &[u8]| Detail::parse(b).map(|_| ());
    let reply = client.get_checked(&opts.base.detail(org, id), "the replay", notify, &check_detail)?;
    let detail = Detail::parse(&reply.body).map_err(Error::Environment)?;
    if detail.is_archived() {
        return Err(Error::Environment(format!(
            "{}: the server says this replay is archived (deleted or past its retention); it has no recording to fetch",
            opts.replay
        )));
    }
    let expected = detail.count_segments();
    let dir = match target {
        Target::Cache(cache) => cache.create_bundle_dir(&key)?,
        Target::Dir(dir) => dir.clone(),
    };
    let writer = BundleWriter::open(&dir)?;
    let meta = detail.metadata(id);
    let mut stamp = Stamp {
        fetched_at: opts.now.rfc3339(),
        complete: false,
        source: key.source(),
        include: if opts.include_errors { vec!["errors".into()] } else { Vec::new() },
        segments: opts.segments.as_ref().map(ToString::to_string),
        warnings: Vec::new(),
    };
    // Before any segment changes, the bundle stops looking complete.
    writer.metadata(&meta, &stamp)?;

    let paged = read_pages(&client, opts, &key, &writer, expected, notify)?;
    let mut warnings = paged.warnings.clone();
    if paged.all_read && opts.segments.is_none() {
        writer.retain_segments(&paged.written)?;
        if let Some(hint) = expected.filter(|&c| c != u64::from(paged.listed)) {
            let n = paged.listed;
            warnings.push(format!("the server's count_segments says {hint} but its pages held {n} segments; kept all {n}"));
        }
    }
    if let Some(sel) = &opts.segments {
        // Lazily: a selection such as 0-4294967295 is mostly absent.
        let absent: Vec<String> =
            sel.ids().filter(|s| !paged.written.contains(s)).take(11).map(|s| s.to_string()).collect();
        if !absent.is_empty() {
            let list = if absent.len() > 10 { format!("{}, …", absent[..10].join(", ")) } else { absent.join(", ") };
            warnings.push(format!("the server has no segment {list} (it listed {})", paged.listed));
        }
    }

    let mut videos = 0;
    for &seg in &paged.videos {
        notify(Progress::Video { segment: seg });
        let url = opts.base.video(org, project, id, seg);
        match client.get_optional(&url, &format!("the video of segment {seg}"), notify)? {
            Some(reply) => {
                writer.video(seg, &reply.body)?;
                videos += 1;
            }
            None => warnings.push(format!("segment {seg} has a video frame but the server has no video for it ({url})")),
        }
    }

    let mut errors = 0;
    if opts.include_errors {
        let ids = detail.error_ids();
        for (i, event_id) in ids.iter().enumerate() {
            notify(Progress::ErrorEvent { done: i, of: ids.len() });
            if !is_slug(event_id) {
                warnings.push(format!("skipped error id `{event_id}`: not an event id"));
                continue;
            }
            let url = opts.base.event(org, project, event_id);
            match client.get_optional(&url, &format!("error event {event_id}"), notify)? {
                Some(reply) => {
                    writer.error_event(event_id, &reply.body)?;
                    errors += 1;
                }
                None => warnings.push(format!("error event {event_id} is not in {org}/{project} (it may belong to another project)")),
            }
        }
    }

    stamp.complete = paged.all_read && opts.segments.is_none();
    stamp.warnings = warnings.clone();
    writer.metadata(&meta, &stamp)?;
    Ok(Outcome {
        path: dir,
        from_cache: false,
        complete: stamp.complete,
        segments: paged.written.len(),
        pages: paged.pages,
        count_segments: expected,
        videos,
        errors,
        warnings,
    })
}

/// What paging through `recording-segments/` found.
struct Paged {
    pages: u32,
    /// Segments the pages listed (all of them, selected or not).
    listed: u32,
    written: BTreeSet<u32>,
    /// Written segments with a Custom `video` frame.
    videos: Vec<u32>,
    /// The last page said there are no more.
    all_read: bool,
    warnings: Vec<String>,
}

/// Reads every page (or up to the last selected segment) by its `Link` cursor and writes each
/// selected segment as it arrives.
fn read_pages(
    client: &Client,
    opts: &FetchOptions,
    key: &ReplayKey,
    writer: &BundleWriter,
    expected: Option<u64>,
    notify: &mut dyn FnMut(Progress),
) -> Result<Paged> {
    let (org, project, id) = (&key.org, &key.project, &key.replay_id);
    let mut paged = Paged { pages: 0, listed: 0, written: BTreeSet::new(), videos: Vec::new(), all_read: false, warnings: Vec::new() };
    let mut cursor: Option<String> = None;
    let mut download = false;
    let per_page = opts.per_page.clamp(1, 100);
    let check_page = |b: &[u8]| parse_page(b).map(|_| ());
    loop {
        let url = opts.base.segments(org, project, id, per_page, cursor.as_deref(), download);
        let what = format!("page {} of the recording segments", paged.pages + 1);
        let reply = client.get_checked(&url, &what, notify, &check_page)?;
        let items = match parse_page(&reply.body).map_err(Error::Environment)? {
            Page::MetadataOnly if !download => {
                // An older server lists segments without their events unless asked to download.
                download = true;
                continue;
            }
            Page::MetadataOnly => {
                return Err(Error::Environment(format!(
                    "GET {url} answered segment descriptions without events even with download=true"
                )))
            }
            Page::Segments(items) => items,
        };
        paged.pages += 1;
        let n = items.len() as u32;
        for (i, raw) in items.iter().enumerate() {
            let seg = paged.listed + i as u32;
            if opts.segments.as_ref().is_none_or(|s| s.contains(seg)) {
                let text = if raw.get().trim() == "null" { "[]" } else { raw.get() };
                writer.segment(seg, text.as_bytes())?;
                paged.written.insert(seg);
                if has_video_frame(text) {
                    paged.videos.push(seg);
                }
            }
        }
        paged.listed += n;
        notify(Progress::Page { page: paged.pages, segments: paged.listed, expected });
        match reply.link.as_deref().and_then(link::next) {
            Some(Next::End) => {
                paged.all_read = true;
                return Ok(paged);
            }
            Some(Next::Cursor(c)) => {
                if n == 0 || cursor.as_deref() == Some(c.as_str()) {
                    let why = if n == 0 { "held none" } else { "repeated its own cursor" };
                    paged.warnings.push(format!("page {} announced more results but {why}; stopped there", paged.pages));
                    return Ok(paged);
                }
                cursor = Some(c);
            }
            None if n < per_page => {
                paged.all_read = true;
                return Ok(paged);
            }
            // Without a Link header, ask for the next offset as Sentry's cursors spell it.
            None => cursor = Some(format!("0:{}:0", paged.listed)),
        }
        if opts.segments.as_ref().is_some_and(|s| paged.listed > s.max()) {
            return Ok(paged);
        }
        if paged.pages >= MAX_PAGES {
            paged.warnings.push(format!("stopped after {MAX_PAGES} pages"));
            return Ok(paged);
        }
    }
}

/// Whether the cached bundle answers the request without the server: a complete bundle of a
/// replay that had ended when it was fetched, or (segments never change once stored) one that
/// holds every requested segment.
fn servable(status: &BundleStatus, opts: &FetchOptions) -> bool {
    if opts.include_errors && !status.include.iter().any(|i| i == "errors") {
        return false;
    }
    if status.state == State::Complete && is_final(status.finished_at, status.fetched_at_ts()) {
        return true;
    }
    match &opts.segments {
        Some(sel) => {
            status.state != State::Interrupted
                && sel.len() <= status.segments.len() as u64
                && sel.ids().all(|s| status.segments.contains(&s))
        }
        None => false,
    }
}

/// Whether a segment's events hold a Custom `video` frame (a mobile replay segment with video).
fn has_video_frame(segment: &str) -> bool {
    if !segment.contains("\"video\"") {
        return false;
    }
    let opts = crate::ingest::LoadOptions { window: None, lenient: true };
    crate::ingest::load_bytes(segment.as_bytes().to_vec(), "segment", &opts)
        .is_ok_and(|rec| rec.frames.iter().any(|f| matches!(f.data, FrameData::Custom(CustomFrame::Video(_)))))
}
