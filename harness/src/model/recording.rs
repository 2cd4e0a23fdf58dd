//! A whole recording as ingested: frames in time order, segments, side data, warnings.

use super::{Frame, Offset, Timestamp};
use serde_json::Value;
use std::fmt;

/// Which wire form a source was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    RrwebJson,
    RrwebJsonl,
    WebExtension,
    PostHog,
    SentrySegments,
    SentryEnvelope,
    SentryReplayVideo,
    Bundle,
    SentryBlob,
}

impl SourceFormat {
    pub fn name(self) -> &'static str {
        match self {
            SourceFormat::RrwebJson => "rrweb-json",
            SourceFormat::RrwebJsonl => "rrweb-jsonl",
            SourceFormat::WebExtension => "rrweb-web-extension",
            SourceFormat::PostHog => "posthog",
            SourceFormat::SentrySegments => "sentry-recording-segments",
            SourceFormat::SentryEnvelope => "sentry-envelope",
            SourceFormat::SentryReplayVideo => "sentry-replay-video",
            SourceFormat::Bundle => "replay-bundle",
            SourceFormat::SentryBlob => "sentry-segment-blob",
        }
    }
}

impl fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A byte range of a frame's original JSON inside one of the recording's buffers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    pub buffer: u32,
    pub start: u32,
    pub end: u32,
}

/// One delivered segment; `gap` marks a segment that was missing, empty or unreadable.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentInfo {
    pub id: u32,
    pub frames: usize,
    pub gap: Option<String>,
}

/// Something odd but survivable in the input, with where it was seen.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub location: String,
    pub message: String,
}

/// An error event from an envelope, linked to the replay through `error_ids`.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorEvent {
    pub id: String,
    pub timestamp: Timestamp,
    pub message: Option<String>,
    pub exception_type: Option<String>,
    pub exception_value: Option<String>,
    pub level: Option<String>,
    pub url: Option<String>,
    /// The envelope file it came from and the item index inside it.
    pub origin: String,
    /// The replay its envelope header named (`trace.replay_id`), if any.
    pub replay_id: Option<String>,
}

/// The replay_event side of a Sentry replay, merged over segments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReplayMeta {
    pub replay_type: Option<String>,
    pub platform: Option<String>,
    pub release: Option<String>,
    pub environment: Option<String>,
    pub urls: Vec<String>,
    pub error_ids: Vec<String>,
    pub trace_ids: Vec<String>,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
    /// The raw merged replay_event, for `--raw` and for fields reprise does not type.
    pub raw: Option<Value>,
}

/// A native/mobile replay video kept from a `replay_video` item or a packed blob.
#[derive(Debug, Clone, PartialEq)]
pub struct Video {
    pub segment: u32,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Default)]
pub struct Recording {
    pub replay_id: Option<String>,
    pub format: Option<SourceFormat>,
    /// Human-readable origin, usually the path given on the command line.
    pub origin: String,
    /// For multi-window sources (PostHog), the windows present and the one chosen.
    pub windows: Vec<String>,
    pub window: Option<String>,
    pub segments: Vec<SegmentInfo>,
    /// Stably sorted by timestamp; ties keep delivery order.
    pub frames: Vec<Frame>,
    pub meta: ReplayMeta,
    pub errors: Vec<ErrorEvent>,
    pub videos: Vec<Video>,
    /// HTTP exchanges with their recorded responses (Sentry network spans), in time order.
    pub exchanges: Vec<super::Exchange>,
    pub warnings: Vec<Warning>,
    /// The decompressed JSON text the frames were parsed from (see `Frame::raw`).
    pub buffers: Vec<String>,
}

impl Recording {
    /// Timestamp of the first frame: offset zero.
    pub fn start(&self) -> Timestamp {
        self.frames.first().map(|f| f.timestamp).unwrap_or_default()
    }

    pub fn end(&self) -> Timestamp {
        self.frames.last().map(|f| f.timestamp).unwrap_or_default()
    }

    pub fn duration(&self) -> Offset {
        Offset(self.end().0 - self.start().0)
    }

    pub fn offset_of(&self, t: Timestamp) -> Offset {
        Offset(t.0 - self.start().0)
    }

    pub fn timestamp_at(&self, o: Offset) -> Timestamp {
        Timestamp(self.start().0 + o.0)
    }

    /// The original JSON text of a frame, exactly as delivered (after decompression).
    pub fn raw(&self, frame: &Frame) -> &str {
        let span = frame.raw;
        self.buffers
            .get(span.buffer as usize)
            .and_then(|b| b.get(span.start as usize..span.end as usize))
            .unwrap_or("null")
    }

    /// Frees the original JSON text (often the largest part of a loaded recording) when nothing
    /// will ask for `raw` again; `raw` then answers `null` for every frame.
    pub fn release_raw(&mut self) {
        self.buffers = Vec::new();
    }

    pub fn warn(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning { location: location.into(), message: message.into() });
    }
}
