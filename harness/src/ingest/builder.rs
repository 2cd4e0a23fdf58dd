//! Assembles a Recording from segments as they are read: keeps buffers, records gaps, normalizes
//! time once (sentry.md §3.5; CANONICAL.md §1.1) and stably sorts the frames.

use super::events::{decode_array, split_array, Decoded};
use super::liveness;
use crate::error::{Error, Location, Result};
use crate::model::{FrameData, Incremental, Recording, SegmentInfo, SourceFormat, Timestamp};
use std::collections::BTreeMap;

pub struct Builder {
    pub rec: Recording,
    segments: BTreeMap<u32, Slot>,
    lenient: bool,
    /// Sources with real Sentry segment ids report missing ids as gaps.
    segmented: bool,
    /// Strings are interned while the recording is being built.
    _intern: super::intern::Session,
}

enum Slot {
    Frames(Vec<Decoded>),
    Gap(String),
}

impl Builder {
    pub fn new(origin: &str, format: SourceFormat, lenient: bool) -> Builder {
        let rec = Recording { origin: origin.to_string(), format: Some(format), ..Recording::default() };
        Builder { rec, segments: BTreeMap::new(), lenient, segmented: false, _intern: super::intern::Session::start() }
    }

    pub fn segmented(&mut self) {
        self.segmented = true;
    }

    pub fn has_segment(&self, id: u32) -> bool {
        self.segments.contains_key(&id)
    }

    /// Keeps `text` as a buffer of the recording and returns its index.
    pub fn add_buffer(&mut self, text: String) -> u32 {
        self.rec.buffers.push(text);
        (self.rec.buffers.len() - 1) as u32
    }

    /// Parses a whole buffer as one segment's event array.
    pub fn segment_from_buffer(&mut self, segment: u32, buffer: u32, loc: &Location) -> Result<()> {
        let buf = &self.rec.buffers[buffer as usize];
        let parsed = split_array(buf, &loc.clone().segment(segment))
            .and_then(|items| decode_array(buf, &items, buffer, segment, loc));
        self.accept(segment, parsed)
    }

    /// Records the outcome of decoding one segment: frames, or (with --lenient) a gap.
    pub fn accept(&mut self, segment: u32, parsed: Result<Vec<Decoded>>) -> Result<()> {
        if self.segments.contains_key(&segment) {
            self.rec.warn(format!("segment {segment}"), "duplicate segment: the first copy is kept");
            return Ok(());
        }
        match parsed {
            Ok(frames) => {
                self.segments.insert(segment, Slot::Frames(frames));
                Ok(())
            }
            Err(e) => self.fail(segment, e),
        }
    }

    /// A segment that could not be read: fatal, or a gap under --lenient.
    pub fn fail(&mut self, segment: u32, e: Error) -> Result<()> {
        if !self.lenient {
            return Err(e);
        }
        self.rec.warn(format!("segment {segment}"), format!("unreadable, kept as a gap: {e}"));
        self.segments.entry(segment).or_insert(Slot::Gap(e.to_string()));
        Ok(())
    }

    pub fn gap(&mut self, segment: u32, reason: &str) {
        self.segments.entry(segment).or_insert(Slot::Gap(reason.to_string()));
    }

    pub fn finish(mut self) -> Recording {
        if self.segmented {
            if let Some(&max) = self.segments.keys().next_back() {
                for id in 0..max {
                    self.segments.entry(id).or_insert_with(|| Slot::Gap("missing".into()));
                }
            }
        }
        let mut decoded = Vec::new();
        for (id, slot) in std::mem::take(&mut self.segments) {
            match slot {
                Slot::Frames(frames) => {
                    let gap = frames.is_empty().then(|| "empty".to_string());
                    self.rec.segments.push(SegmentInfo { id, frames: frames.len(), gap });
                    decoded.extend(frames);
                }
                Slot::Gap(reason) => self.rec.segments.push(SegmentInfo { id, frames: 0, gap: Some(reason) }),
            }
        }
        normalize_times(&mut decoded);
        let mut frames: Vec<_> = decoded.into_iter().map(|d| d.frame).collect();
        // Stable: ties keep delivery order (segment, then index), as rrweb's own sort does.
        frames.sort_by(|a, b| a.timestamp.0.total_cmp(&b.timestamp.0));
        liveness::mark_dead_adds(&mut frames);
        self.rec.frames = frames;
        link_errors(&mut self.rec);
        super::network::extract_exchanges(&mut self.rec);
        count_unknowns(&mut self.rec);
        self.rec
    }
}

/// Outer timestamps follow the oracle's rule: when a list mixes epoch-ms and epoch-seconds values,
/// the seconds are multiplied by 1000. Custom frames then take their payload's own time.
fn normalize_times(frames: &mut [Decoded]) {
    const S_LIMIT: f64 = 9_999_999_999.0;
    let any_ms = frames.iter().any(|d| d.frame.timestamp.0 > S_LIMIT);
    let any_s = frames.iter().any(|d| d.frame.timestamp.0 <= S_LIMIT);
    for d in frames.iter_mut() {
        if any_ms && any_s && d.frame.timestamp.0 <= S_LIMIT {
            d.frame.timestamp = Timestamp(d.frame.timestamp.0 * 1000.0);
        }
        if let Some(t) = d.payload_time.filter(|t| t.is_finite()) {
            d.frame.timestamp = Timestamp(t);
        }
    }
}

/// Keeps the error events that belong to this replay: listed in a replay_event's `error_ids`, or
/// sent in an envelope whose trace names this replay.
fn link_errors(rec: &mut Recording) {
    let before = rec.errors.len();
    let (ids, replay) = (&rec.meta.error_ids, &rec.replay_id);
    rec.errors.retain(|e| ids.contains(&e.id) || (e.replay_id.is_some() && e.replay_id == *replay));
    rec.errors.sort_by(|a, b| a.timestamp.0.total_cmp(&b.timestamp.0).then(a.id.cmp(&b.id)));
    let dropped = before - rec.errors.len();
    if dropped > 0 {
        rec.warn(rec.origin.clone(), format!("{dropped} error event(s) not linked to this replay were ignored"));
    }
}

fn count_unknowns(rec: &mut Recording) {
    let mut unknown: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for f in &rec.frames {
        let key = match &f.data {
            FrameData::Unknown { event_type, .. } => format!("event type {event_type}"),
            FrameData::Incremental(Incremental::Unknown { source, .. }) => format!("incremental source {source}"),
            _ => continue,
        };
        let entry = unknown.entry(key).or_insert((0, f.pointer.to_string()));
        entry.0 += 1;
    }
    for (what, (n, first)) in unknown {
        rec.warn(first, format!("{n} frame(s) of unknown {what} kept as raw JSON"));
    }
}
