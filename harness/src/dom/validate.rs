//! `validate`: checks a recording against the model and reports drift or corruption, each
//! finding with a pointer (segment, frame): missing or late full snapshots, checkouts without a
//! snapshot, timestamps going backwards within a segment, segment gaps, unknown event types,
//! mutations naming unknown nodes, adds that never resolve, and what rrweb itself fails on.

use super::engine::Engine;
use super::warning::WarningKind;
use crate::model::{CustomFrame, FrameData, Incremental, Node, NodeKind, Pointer, Recording};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One kind of problem, with every place it occurs (the first `MAX_POINTERS` of them).
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub count: usize,
    pub pointers: Vec<Pointer>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// What the stream says about its producer: format, recorder hints, options.
    pub info: Vec<(String, String)>,
}

impl Report {
    pub fn clean(&self) -> bool {
        self.findings.is_empty()
    }
}

const MAX_POINTERS: usize = 20;

#[derive(Default)]
struct Collector {
    by_code: BTreeMap<&'static str, Finding>,
}

impl Collector {
    fn add(&mut self, severity: Severity, code: &'static str, message: impl Into<String>, at: Option<Pointer>) {
        let f = self.by_code.entry(code).or_insert_with(|| Finding {
            severity,
            code,
            message: message.into(),
            count: 0,
            pointers: Vec::new(),
        });
        f.count += 1;
        if let Some(p) = at {
            if f.pointers.len() < MAX_POINTERS {
                f.pointers.push(p);
            }
        }
    }
}

pub fn validate(rec: &Recording) -> Report {
    let mut c = Collector::default();
    let mut info = Vec::new();
    info.push(("format".to_string(), rec.format.map(|f| f.name().to_string()).unwrap_or_else(|| "unknown".into())));
    stream_checks(rec, &mut c);
    fold_checks(rec, &mut c);
    producer_info(rec, &mut info);
    let mut findings: Vec<Finding> = c.by_code.into_values().collect();
    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.code.cmp(b.code)));
    Report { findings, info }
}

fn stream_checks(rec: &Recording, c: &mut Collector) {
    for s in rec.segments.iter().filter(|s| s.gap.is_some()) {
        c.add(Severity::Error, "segment-gap", "segments are missing, empty or unreadable: the replay has a hole", Some(Pointer::new(s.id, 0)));
    }
    let first_snapshot = rec.frames.iter().position(|f| matches!(f.data, FrameData::FullSnapshot { .. }));
    match first_snapshot {
        None if !rec.videos.is_empty() => {}
        None if !rec.frames.is_empty() => {
            c.add(Severity::Error, "missing-snapshot", "no full snapshot: nothing can be rebuilt (rrweb shows a blank page)", None)
        }
        Some(i) => {
            for f in &rec.frames[..i] {
                if matches!(f.data, FrameData::Incremental(_)) {
                    c.add(
                        Severity::Warning,
                        "late-snapshot",
                        "incremental frames before the first full snapshot: they apply to nothing",
                        Some(f.pointer),
                    );
                }
            }
        }
        None => {}
    }
    // A Meta (checkout) must be followed by a full snapshot before the next incremental frame.
    let mut open_meta: Option<Pointer> = None;
    for f in &rec.frames {
        match &f.data {
            FrameData::Meta { .. } if rec.videos.is_empty() => open_meta = Some(f.pointer),
            FrameData::FullSnapshot { .. } => open_meta = None,
            FrameData::Incremental(_) => {
                if let Some(p) = open_meta.take() {
                    c.add(Severity::Warning, "meta-without-snapshot", "a Meta frame is not followed by its full snapshot", Some(p));
                }
            }
            _ => {}
        }
    }
    // Timestamps must not go backwards within a segment, in delivery order. Custom frames take
    // their payload's time, so they are left out.
    let mut delivered: Vec<(Pointer, f64)> = rec
        .frames
        .iter()
        .filter(|f| !matches!(f.data, FrameData::Custom(_)))
        .map(|f| (f.pointer, f.timestamp.0))
        .collect();
    delivered.sort_by_key(|(p, _)| *p);
    for w in delivered.windows(2) {
        let ((pa, ta), (pb, tb)) = (w[0], w[1]);
        if pa.segment == pb.segment && tb < ta {
            c.add(Severity::Warning, "non-monotonic", "timestamp goes backwards within a segment", Some(pb));
        }
    }
    for f in &rec.frames {
        match &f.data {
            FrameData::Unknown { event_type, .. } => {
                c.add(Severity::Warning, "unknown-event-type", format!("unknown event type (first: {event_type})"), Some(f.pointer))
            }
            FrameData::Incremental(Incremental::Unknown { source, .. }) => {
                c.add(Severity::Warning, "unknown-source", format!("unknown incremental source (first: {source})"), Some(f.pointer))
            }
            _ => {}
        }
    }
}

/// One forward fold over every frame with rrweb's warnings collected.
fn fold_checks(rec: &Recording, c: &mut Collector) {
    let mut engine = Engine::new(true);
    for f in &rec.frames {
        engine.apply(f);
        if engine.halted {
            engine.halted = false;
        }
    }
    for w in engine.warnings() {
        let p = Some(w.pointer);
        match &w.kind {
            WarningKind::NodeNotFound { .. } => {
                c.add(Severity::Warning, "unknown-node", "a mutation names a node that does not exist", p)
            }
            WarningKind::AddNeverResolved { .. } => {
                c.add(Severity::Warning, "unresolved-add", "an add's parent or next sibling never appeared: the node is dropped", p)
            }
            WarningKind::LiveIdReadded { orphaned: true, .. } => {
                c.add(Severity::Warning, "duplicate-id", "an add reuses a live id with different data: the old node is orphaned", p)
            }
            WarningKind::BatchAborted { .. } => c.add(Severity::Error, "batch-aborted", "a DOM exception aborted a mutation batch in rrweb", p),
            WarningKind::RemoveFailed { .. } => {
                c.add(Severity::Warning, "remove-failed", "a remove names a parent the node is not a child of", p)
            }
            WarningKind::SnapshotFailed { .. } => {
                c.add(Severity::Error, "snapshot-failed", "rrweb cannot build this full snapshot (e.g. CDATA in HTML)", p)
            }
            WarningKind::LegacyUnresolved { .. } => {
                c.add(Severity::Warning, "legacy-unresolved", "legacy adds with a -1 neighbour never resolved", p)
            }
            WarningKind::Moved { .. } | WarningKind::LiveIdReadded { orphaned: false, .. } => {}
        }
    }
}

fn producer_info(rec: &Recording, info: &mut Vec<(String, String)>) {
    let mut split_css = false;
    let mut is_style = false;
    let mut legacy = false;
    let mut scan = |n: &Node| {
        n.walk(|x, _| match &x.kind {
            NodeKind::Element { attributes, .. }
                if attributes.iter().any(|(k, v)| k == "_cssText" && matches!(v, crate::model::AttrValue::Str(s) if s.contains("/* rr_split */"))) =>
            {
                split_css = true;
            }
            NodeKind::Text { is_style: true, .. } => is_style = true,
            _ => {}
        })
    };
    for f in &rec.frames {
        match &f.data {
            FrameData::FullSnapshot { node, .. } => scan(node),
            FrameData::Incremental(Incremental::Mutation(m)) => {
                for a in &m.adds {
                    scan(&a.node);
                    legacy |= a.previous_id.is_some() || a.next_id == Some(-1);
                }
            }
            FrameData::Meta { href, width, height } if !info.iter().any(|(k, _)| k == "href") => {
                info.push(("href".into(), href.clone()));
                info.push(("viewport".into(), format!("{width}x{height}")));
            }
            FrameData::Custom(CustomFrame::Options(v)) if !info.iter().any(|(k, _)| k == "sentry-options") => {
                info.push(("sentry-options".into(), v.to_string()));
            }
            _ => {}
        }
    }
    let recorder = if legacy {
        "legacy rrweb (pre-2020: previousId / -1 neighbours)"
    } else if split_css {
        "rrweb >= 2.0.0-alpha.18 (_cssText with rr_split markers)"
    } else if is_style {
        "Sentry's rrweb fork or rrweb < 2.0.0-alpha.18 (isStyle text nodes)"
    } else {
        "rrweb (no version marker in the stream)"
    };
    info.push(("recorder".into(), recorder.into()));
    if !rec.videos.is_empty() {
        info.push(("video".into(), format!("{} native replay video segment(s); video-only replays have no DOM", rec.videos.len())));
    }
    info.push(("frames".into(), rec.frames.len().to_string()));
    info.push(("segments".into(), rec.segments.len().to_string()));
}
