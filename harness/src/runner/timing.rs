//! When a checkpoint is: an offset, or an anchor on a normalized event plus a delay.

use crate::clock::{parse_offset, TimeSpec};
use crate::error::{Error, Result};
use crate::events::Filter;
use crate::model::{Event, EventKind, Offset, Recording};
use crate::scenario::{At, TimeWindow};

/// The offset of `at`, with a sentence describing how it was found.
pub fn resolve_at(at: &At, rec: &Recording, events: &[Event]) -> Result<(Offset, String)> {
    match at {
        At::Offset(s) => Ok((TimeSpec::parse(s)?.resolve(rec), s.clone())),
        At::Anchor(a) => {
            let kind = EventKind::parse(&a.event).ok_or_else(|| Error::Usage(format!("anchor: unknown event kind `{}`", a.event)))?;
            let filter = Filter {
                kinds: vec![kind],
                contains: a.contains.clone(),
                selector: a.selector.clone(),
                url: a.url.clone(),
                ..Filter::default()
            };
            let nth = a.nth.max(1);
            let found = events.iter().filter(|e| filter.matches(e)).nth(nth - 1).ok_or_else(|| {
                let n = events.iter().filter(|e| filter.matches(e)).count();
                Error::Usage(format!("anchor: wanted {} {} event(s) matching it, the recording has {n}", ordinal(nth), a.event))
            })?;
            let base = match kind {
                EventKind::Network => found.offset_ms + found.detail.duration_ms.unwrap_or(0.0),
                _ => found.offset_ms,
            };
            let delay = match &a.delay {
                Some(d) => parse_offset(d).ok_or_else(|| Error::Usage(format!("anchor delay `{d}`: expected e.g. 500ms, -1ms, 2s")))?.ms(),
                None => 0.0,
            };
            let what = format!("{} {} (segment {}, frame {})", ordinal(nth), a.event, found.segment_id, found.frame_index);
            Ok((Offset(base + delay), what))
        }
    }
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A window as (from, to) offsets; missing ends are the recording's ends.
pub fn resolve_window(w: Option<&TimeWindow>, rec: &Recording) -> Result<(f64, f64)> {
    let end = rec.duration().ms() + 1.0;
    let Some(w) = w else { return Ok((f64::NEG_INFINITY, end)) };
    let from = w.from.as_deref().map(|s| TimeSpec::parse(s).map(|t| t.resolve(rec).ms())).transpose()?;
    let to = w.to.as_deref().map(|s| TimeSpec::parse(s).map(|t| t.resolve(rec).ms())).transpose()?;
    Ok((from.unwrap_or(f64::NEG_INFINITY), to.unwrap_or(end)))
}
