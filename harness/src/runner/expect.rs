//! Evaluating `expect` entries: DOM assertions on a checkpoint's state, and event assertions over
//! a window of the normalized events.

use super::canonical::{text_of, value_of};
use super::dom_view::DomView;
use super::timing::resolve_window;
use crate::error::Result;
use crate::model::{Event, EventKind, Offset, Recording};
use crate::scenario::Expectation;

/// A one-line description of the expectation, for reports.
pub fn describe(e: &Expectation) -> String {
    let sel = e.selector.as_deref().unwrap_or("");
    let at = e.at.as_deref().unwrap_or("");
    if let Some(p) = e.present {
        return format!("`{sel}` {} at {at}", if p { "present" } else { "absent" });
    }
    if let Some(t) = &e.text {
        return format!("text of `{sel}` equals {t:?} at {at}");
    }
    if let Some(t) = &e.text_matches {
        return format!("text of `{sel}` matches /{t}/ at {at}");
    }
    if let Some(n) = e.count {
        return format!("{n} match(es) of `{sel}` at {at}");
    }
    if let Some(v) = &e.value {
        return format!("value of `{sel}` is {v:?} at {at}");
    }
    if e.no_console_error.is_some() {
        return "no console error".into();
    }
    if e.no_error_event.is_some() {
        return "no error event".into();
    }
    "no failed request".into()
}

/// Checks a DOM expectation against a view: Ok(None) when it holds, Ok(Some(why)) when not.
pub fn check_dom(e: &Expectation, view: &DomView) -> Result<Option<String>> {
    let sel = e.selector.as_deref().unwrap_or("");
    let ids = view.select(sel)?;
    if let Some(p) = e.present {
        return Ok((p != !ids.is_empty()).then(|| format!("`{sel}` matched {} node(s)", ids.len())));
    }
    if let Some(n) = e.count {
        return Ok((n != ids.len()).then(|| format!("`{sel}` matched {} node(s), expected {n}", ids.len())));
    }
    let Some(&first) = ids.first() else { return Ok(Some(format!("`{sel}` matched nothing"))) };
    if let Some(t) = &e.text {
        let actual = text_of(&view.text, first).unwrap_or_default();
        return Ok((actual != t.split_whitespace().collect::<Vec<_>>().join(" ")).then(|| format!("text is {actual:?}")));
    }
    if let Some(r) = &e.text_matches {
        let actual = text_of(&view.text, first).unwrap_or_default();
        let re = regex::Regex::new(r).map_err(|err| crate::Error::Usage(format!("textMatches: {err}")))?;
        return Ok((!re.is_match(&actual)).then(|| format!("text is {actual:?}")));
    }
    if let Some(v) = &e.value {
        let actual = value_of(&view.text, first);
        return Ok((actual.as_deref() != Some(v.as_str())).then(|| match actual {
            Some(a) => format!("value is {a:?}"),
            None => "the node has no input value".to_string(),
        }));
    }
    Ok(None)
}

/// Checks an event expectation: the offending events, if any.
pub fn check_events<'a>(e: &Expectation, rec: &Recording, events: &'a [Event]) -> Result<Vec<&'a Event>> {
    let (window, pred): (_, fn(&Event) -> bool) = if let Some(w) = &e.no_console_error {
        (w, |ev| ev.kind == EventKind::Console && ev.detail.level.as_deref() == Some("error"))
    } else if let Some(w) = &e.no_error_event {
        (w, |ev| ev.kind == EventKind::Error)
    } else if let Some(w) = &e.no_failed_request {
        (w, |ev| ev.kind == EventKind::Network && ev.detail.status.is_some_and(|s| s >= 400 || s == 0))
    } else {
        return Ok(Vec::new());
    };
    let (from, to) = resolve_window(Some(window), rec)?;
    Ok(events.iter().filter(|ev| ev.offset_ms >= from && ev.offset_ms <= to && pred(ev)).collect())
}

pub fn pointer_line(ev: &Event) -> String {
    format!(
        "{} at {} (segment {}, frame {}): {}",
        ev.kind,
        Offset(ev.offset_ms),
        ev.segment_id,
        ev.frame_index,
        ev.label.as_deref().unwrap_or(&ev.category)
    )
}
