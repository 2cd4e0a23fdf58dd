//! state(t): rrweb's `pause(t)` as a pure fold (CANONICAL.md §1.2), and a seek index that answers
//! it for any t with a bounded replay from the nearest checkpoint of the same Meta epoch.

use super::arena::Dom;
use super::engine::Engine;
use crate::model::{Frame, FrameData, Incremental, Node as SNode, Recording};

/// Where a cut falls: frames `start..end` are applied (rrweb's last-Meta rule and strict `<`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// The frames applied for an absolute cut timestamp (epoch ms).
pub fn span_at(frames: &[Frame], cut: f64) -> Span {
    let end = frames.partition_point(|f| f.timestamp.0 < cut);
    let upto = frames.partition_point(|f| f.timestamp.0 <= cut);
    let start = frames[..upto].iter().rposition(|f| matches!(f.data, FrameData::Meta { .. })).unwrap_or(0);
    Span { start, end: end.max(start) }
}

/// The recording's first full snapshot: rrweb's poster.
pub fn first_snapshot(rec: &Recording) -> Option<(&SNode, (f64, f64))> {
    rec.frames.iter().find_map(|f| match &f.data {
        FrameData::FullSnapshot { node, initial_offset } => Some((node, *initial_offset)),
        _ => None,
    })
}

/// The DOM at an absolute cut (epoch ms), by a straight fold from the epoch's start.
pub fn state_at(rec: &Recording, cut: f64) -> Dom<'_> {
    fold_at(rec, cut, false).into_dom()
}

/// The straight fold for a cut, returning the engine (with warnings when asked).
pub fn fold_at(rec: &Recording, cut: f64, collect_warnings: bool) -> Engine<'_> {
    let span = span_at(&rec.frames, cut);
    let mut e = Engine::new(collect_warnings);
    e.skip_dead_before(span.end);
    for f in &rec.frames[span.start..span.end] {
        e.apply(f);
    }
    e.show_poster(first_snapshot(rec));
    e
}

/// Rough cost of applying a frame, used to space checkpoints.
fn work(f: &Frame) -> usize {
    match &f.data {
        FrameData::FullSnapshot { node, .. } => node.count(),
        FrameData::Incremental(Incremental::Mutation(m)) => {
            1 + m.adds.len() + m.removes.len() + m.texts.len() + m.attributes.len()
        }
        _ => 1,
    }
}

/// Periodic engine checkpoints per Meta epoch. Building it is one straight fold over the whole
/// recording; `state_at` then clones the nearest checkpoint and replays at most one interval.
pub struct SeekIndex<'r> {
    rec: &'r Recording,
    /// Checkpoints by frame index: the engine after applying `epoch_start..index`.
    checkpoints: Vec<(usize, usize, Engine<'r>)>,
    interval: usize,
}

impl<'r> SeekIndex<'r> {
    /// Checkpoints every `interval` units of work (a node built, an add, a remove, ...), or
    /// every DOM size's worth of work when the DOM is larger.
    pub fn with_interval(rec: &'r Recording, interval: usize) -> SeekIndex<'r> {
        let interval = interval.max(1);
        let mut checkpoints = Vec::new();
        let frames = &rec.frames;
        let mut starts: Vec<usize> = vec![0];
        starts.extend(frames.iter().enumerate().filter(|(_, f)| matches!(f.data, FrameData::Meta { .. })).map(|(i, _)| i));
        starts.dedup();
        for (k, &s) in starts.iter().enumerate() {
            let stop = starts.get(k + 1).copied().unwrap_or(frames.len());
            let mut e = Engine::new(false);
            checkpoints.push((s, s, e.clone()));
            let mut since = 0;
            for (i, f) in frames.iter().enumerate().take(stop).skip(s) {
                e.apply(f);
                since += work(f);
                // A seek costs a clone of the checkpoint plus the replay after it: keep the two
                // comparable by spacing checkpoints at least as far apart as the DOM is large.
                if since >= interval.max(e.dom.arena_len()) && i + 1 < stop {
                    checkpoints.push((s, i + 1, e.clone()));
                    since = 0;
                }
            }
        }
        SeekIndex { rec, checkpoints, interval }
    }

    pub fn new(rec: &'r Recording) -> SeekIndex<'r> {
        SeekIndex::with_interval(rec, 5_000)
    }

    pub fn checkpoints(&self) -> usize {
        self.checkpoints.len()
    }

    pub fn interval(&self) -> usize {
        self.interval
    }

    /// The DOM at an absolute cut (epoch ms); equal to `state_at` for every cut.
    pub fn state_at(&self, cut: f64) -> Dom<'r> {
        self.engine_at(cut).into_dom()
    }

    pub fn engine_at(&self, cut: f64) -> Engine<'r> {
        let span = span_at(&self.rec.frames, cut);
        let at = self.checkpoints.partition_point(|(s, i, _)| (*s, *i) <= (span.start, span.end));
        let (s, i, base) = &self.checkpoints[at.saturating_sub(1)];
        debug_assert_eq!(*s, span.start);
        let mut e = base.clone();
        e.skip_dead_before(span.end);
        for f in &self.rec.frames[*i..span.end] {
            e.apply(f);
        }
        e.show_poster(first_snapshot(self.rec));
        e
    }
}
