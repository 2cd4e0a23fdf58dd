//! One fetch, start to end: serve a final bundle from the cache, or read the detail and every
//! page into a bundle whose `metadata.json` says `complete` only once all pages were read.

use super::client::{Client, RetryPolicy};
use super::link::{self, Next};
use super::pages::{parse_page, Detail, Page};
use super::{ApiBase, AuthToken, Progress, SegmentSet};
use crate::cache::{is_final, is_slug, BundleStatus, BundleWriter, Cache, ReplayRef, Stamp, State};
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

    let mut warnings = Vec::new();
    let mut cursor: Option<String> = None;
    let mut download = false;
    let mut pages = 0u32;
    let mut next_id = 0u32;
    let mut written = BTreeSet::new();
    let mut video_segments = Vec::new();
    let mut all_read = false;
    let per_page = opts.per_page.clamp(1, 100);
    let check_page = |b: &[u8]| parse_page(b).map(|_| ());
    loop {
        let url = opts.base.segments(org, project, id, per_page, cursor.as_deref(), download);
        let what = format!("page {} of the recording segments", pages + 1);
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
        pages += 1;
        let n = items.len() as u32;
        for (i, raw) in items.iter().enumerate() {
            let seg = next_id + i as u32;
            if opts.segments.as_ref().is_none_or(|s| s.contains(seg)) {
                let text = if raw.get().trim() == "null" { "[]" } else { raw.get() };
                writer.segment(seg, text.as_bytes())?;
                written.insert(seg);
                if has_video_frame(text) {
                    video_segments.push(seg);
                }
            }
        }
        next_id += n;
        notify(Progress::Page { page: pages, segments: next_id, expected });
        match reply.link.as_deref().and_then(link::next) {
            Some(Next::End) => {
                all_read = true;
                break;
            }
            Some(Next::Cursor(c)) => {
                if n == 0 || cursor.as_deref() == Some(c.as_str()) {
                    warnings.push(format!("page {pages} announced more results but {}; stopped there",
                        if n == 0 { "held none" } else { "repeated its own cursor" }));
                    break;
                }
                cursor = Some(c);
            }
            None if n < per_page => {
                all_read = true;
                break;
            }
            // Without a Link header, ask for the next offset as Sentry's cursors spell it.
            None => cursor = Some(format!("0:{next_id}:0")),
        }
        if opts.segments.as_ref().is_some_and(|s| next_id > s.max()) {
            break;
        }
        if pages >= MAX_PAGES {
            warnings.push(format!("stopped after {MAX_PAGES} pages"));
            break;
        }
    }
    if all_read && opts.segments.is_none() {
        writer.retain_segments(&written)?;
        if let Some(hint) = expected.filter(|&c| c != u64::from(next_id)) {
            warnings.push(format!(
                "the server's count_segments says {hint} but its pages held {next_id} segments; kept all {next_id}"
            ));
        }
    }
    if let Some(sel) = &opts.segments {
        let absent: Vec<String> = sel.ids().filter(|s| !written.contains(s)).map(|s| s.to_string()).collect();
        if !absent.is_empty() {
            let list = if absent.len() > 10 { format!("{}, …", absent[..10].join(", ")) } else { absent.join(", ") };
            warnings.push(format!("the server has no segment {list} (it listed {next_id})"));
        }
    }

    let mut videos = 0;
    for seg in video_segments {
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

    stamp.complete = all_read && opts.segments.is_none();
    stamp.warnings = warnings.clone();
    writer.metadata(&meta, &stamp)?;
    Ok(Outcome {
        path: dir,
        from_cache: false,
        complete: stamp.complete,
        segments: written.len(),
        pages,
        count_segments: expected,
        videos,
        errors,
        warnings,
    })
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
        Some(sel) => status.state != State::Interrupted && sel.ids().all(|s| status.segments.contains(&s)),
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
