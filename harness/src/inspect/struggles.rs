//! Friction findings, ranked and deterministic: errors, failed and slow requests, dead, rage and
//! repeated clicks, clicks with no effect, console errors, poor web vitals, mutation bursts, long
//! idle after an interaction, repeated focus, back-and-forth navigation. Works from rrweb-only
//! recordings too: what Sentry's click detector would say is derived from the stream (sentry.md §5).

use super::stats::{click_target, is_failed_request, is_interaction, mutation_bursts};
use super::Evidence;
use crate::model::{Event, EventKind};
use serde::Serialize;

/// Sentry's click detector: a mutation within this long means the click did something.
pub const CLICK_EFFECT_MS: f64 = 3000.0;
/// A scroll within this long also counts as an effect.
pub const CLICK_SCROLL_MS: f64 = 300.0;
pub const SLOW_REQUEST_MS: f64 = 3000.0;
pub const LONG_IDLE_MS: f64 = 10_000.0;
pub const BURST_CHANGES: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    High,
    Medium,
    Low,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FindingWindow {
    pub from_offset_ms: f64,
    pub to_offset_ms: f64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub rank: usize,
    /// A stable machine name: error, failed-request, slow-request, dead-click, rage-click, ...
    pub kind: &'static str,
    pub title: String,
    pub severity: Severity,
    /// Where the finding came from: `sentry` (the SDK's own detector) or `derived` (reprise).
    pub origin: &'static str,
    pub window: FindingWindow,
    pub evidence: Vec<Evidence>,
    pub next_command: String,
}

struct Draft {
    kind: &'static str,
    title: String,
    severity: Severity,
    origin: &'static str,
    evidence: Vec<Evidence>,
}

fn shell_quote(s: &str) -> String {
    if s.chars().all(|c| c.is_ascii_alphanumeric() || "/._-:@%+=,".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The tag of the last compound of a selector (`div > button.primary` -> `button`), if named.
fn selector_tag(selector: &str) -> Option<String> {
    let last = selector.rsplit([' ', '>', '+', '~']).find(|s| !s.is_empty())?;
    let tag: String = last.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    (!tag.is_empty()).then(|| tag.to_lowercase())
}

/// Sentry's click detector watches links, buttons and submit/button inputs only: clicking a text
/// field to type into it is not a dead click.
fn is_actionable(e: &Event) -> bool {
    let sel = e.selector.as_deref().unwrap_or("");
    match selector_tag(sel).as_deref() {
        Some("a" | "button") => true,
        Some("input") => sel.contains("type=\"submit\"") || sel.contains("type=\"button\""),
        _ => false,
    }
}

/// Did anything happen after the click at index `i`: DOM change, navigation, request, scroll?
fn had_effect(events: &[Event], i: usize) -> bool {
    let t = events[i].offset_ms;
    events[i + 1..].iter().take_while(|e| e.offset_ms <= t + CLICK_EFFECT_MS).any(|e| match e.kind {
        EventKind::Mutation | EventKind::DomSnapshot | EventKind::Navigation | EventKind::Network => true,
        // Typing into what was clicked is the click's purpose.
        EventKind::Input => true,
        EventKind::Scroll => e.offset_ms <= t + CLICK_SCROLL_MS,
        _ => false,
    })
}

fn short(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 90 {
        format!("{}...", s.chars().take(87).collect::<String>())
    } else {
        s
    }
}

pub fn struggles(events: &[Event], source: &str) -> Vec<Finding> {
    let mut out: Vec<Draft> = Vec::new();
    let push = |out: &mut Vec<Draft>, kind, title: String, severity, origin, evidence: Vec<Evidence>| {
        out.push(Draft { kind, title, severity, origin, evidence });
    };
    // A double click arrives as click, click, dblclick: the dblclick is not a third click.
    let clicks: Vec<usize> =
        (0..events.len()).filter(|&i| events[i].kind == EventKind::Click && events[i].category != "rrweb.dblclick").collect();

    for (i, e) in events.iter().enumerate() {
        let d = &e.detail;
        match e.kind {
            EventKind::Error => {
                let what = e.label.clone().unwrap_or_else(|| "error".into());
                let hydration = e.category == "replay.hydrate-error";
                let mut ev = vec![Evidence::from(e)];
                // The interaction just before often caused it.
                if let Some(c) = events[..i].iter().rev().take_while(|c| c.offset_ms >= e.offset_ms - 5000.0).find(|c| is_interaction(c)) {
                    ev.push(c.into());
                }
                let title = if hydration { "Hydration error".to_string() } else { short(&what) };
                push(&mut out, if hydration { "hydration-error" } else { "error" }, title, Severity::High, "sentry", ev);
            }
            EventKind::Network if is_failed_request(e) => {
                let status = d.status.unwrap_or(0);
                let sev = if status >= 500 || status == 0 { Severity::High } else { Severity::Medium };
                let url = e.url.clone().unwrap_or_default();
                let title = format!("Failed request: {} {} -> {status}", d.method.as_deref().unwrap_or("?"), short(&url));
                push(&mut out, "failed-request", title, sev, "sentry", vec![e.into()]);
            }
            EventKind::Network if d.duration_ms.is_some_and(|ms| ms >= SLOW_REQUEST_MS) => {
                let title = format!("Slow request ({:.0} ms): {}", d.duration_ms.unwrap_or(0.0), short(e.url.as_deref().unwrap_or("")));
                push(&mut out, "slow-request", title, Severity::Medium, "sentry", vec![e.into()]);
            }
            EventKind::WebVital if matches!(d.rating.as_deref(), Some("poor" | "needs-improvement")) => {
                let name = d.name.clone().unwrap_or_default();
                let sev = if d.rating.as_deref() == Some("poor") { Severity::Medium } else { Severity::Low };
                let title = format!("Web vital {} rated {} ({})", name, d.rating.as_deref().unwrap_or(""), d.value.unwrap_or(0.0));
                push(&mut out, "poor-web-vital", title, sev, "sentry", vec![e.into()]);
            }
            EventKind::Breadcrumb if e.category == "replay.mutations" => {
                push(&mut out, "mutation-limit", "The page changed so much that Sentry's recorder hit its mutation limit".into(), Severity::Medium, "sentry", vec![e.into()]);
            }
            _ => {}
        }
    }

    // Console errors, one finding per distinct message.
    let mut seen: Vec<(String, usize)> = Vec::new();
    for e in events.iter().filter(|e| e.kind == EventKind::Console && e.detail.level.as_deref() == Some("error")) {
        let msg = e.detail.message.clone().unwrap_or_default();
        match seen.iter().position(|(m, _)| *m == msg) {
            Some(k) => out[seen[k].1].evidence.push(e.into()),
            None => {
                seen.push((msg.clone(), out.len()));
                push(&mut out, "console-error", format!("Console error: {}", short(&msg)), Severity::Medium, "sentry", vec![e.into()]);
            }
        }
    }

    // Clicks: Sentry's verdicts first, then what reprise derives from the stream.
    let mut rage_done: Vec<usize> = Vec::new();
    for (n, &i) in clicks.iter().enumerate() {
        let e = &events[i];
        let target = click_target(e);
        if e.detail.rage_click == Some(true) {
            push(&mut out, "rage-click", format!("Rage click on {}", short(&target)), Severity::High, "sentry", vec![e.into()]);
            continue;
        }
        if e.detail.dead_click == Some(true) {
            push(&mut out, "dead-click", format!("Dead click on {}", short(&target)), Severity::High, "sentry", vec![e.into()]);
            continue;
        }
        if rage_done.contains(&i) {
            continue;
        }
        // Repeated clicks on one target.
        let burst: Vec<usize> = clicks[n..]
            .iter()
            .copied()
            .take_while(|&j| events[j].offset_ms <= e.offset_ms + 2000.0)
            .filter(|&j| click_target(&events[j]) == target)
            .collect();
        let dead = !had_effect(events, i);
        if burst.len() >= 3 {
            let all_dead = burst.iter().all(|&j| !had_effect(events, j));
            let (kind, sev, word) = if all_dead { ("rage-click", Severity::High, "Rage click") } else { ("repeated-clicks", Severity::Low, "Repeated clicks") };
            let ev = burst.iter().map(|&j| Evidence::from(&events[j])).collect();
            push(&mut out, kind, format!("{word} on {} ({} clicks in 2 s)", short(&target), burst.len()), sev, "derived", ev);
            rage_done.extend(burst);
            continue;
        }
        if dead && e.detail.slow_click.is_none() {
            let (kind, sev, word) = if is_actionable(e) { ("dead-click", Severity::Medium, "Dead click") } else { ("no-effect-click", Severity::Low, "Click with no visible effect") };
            push(&mut out, kind, format!("{word} on {}", short(&target)), sev, "derived", vec![e.into()]);
        }
    }

    // Long idle right after an interaction.
    for (i, e) in events.iter().enumerate().filter(|(_, e)| matches!(e.kind, EventKind::Click | EventKind::Input)) {
        let next = events[i + 1..].iter().find(|n| is_interaction(n) || n.kind == EventKind::Navigation);
        if let Some(n) = next {
            if n.offset_ms - e.offset_ms >= LONG_IDLE_MS {
                let secs = (n.offset_ms - e.offset_ms) / 1000.0;
                push(&mut out, "long-idle", format!("{secs:.0} s without interaction after {}", short(&click_target(e))), Severity::Low, "derived", vec![e.into(), n.into()]);
            }
        }
    }

    // Repeated focus on one field without moving on.
    let focuses: Vec<&Event> = events.iter().filter(|e| e.kind == EventKind::Focus && e.node_id.is_some()).collect();
    let mut reported: Vec<i64> = Vec::new();
    for (k, f) in focuses.iter().enumerate() {
        let id = f.node_id.unwrap_or(-1);
        if reported.contains(&id) {
            continue;
        }
        let again: Vec<&&Event> = focuses[k..].iter().filter(|g| g.node_id == f.node_id && g.offset_ms <= f.offset_ms + 30_000.0).collect();
        if again.len() >= 3 {
            reported.push(id);
            let ev = again.iter().map(|g| Evidence::from(**g)).collect();
            push(&mut out, "repeated-focus", format!("Field focused {} times in 30 s: {}", again.len(), short(&click_target(f))), Severity::Low, "derived", ev);
        }
    }

    // Back-and-forth navigation: A -> B -> A within 15 s.
    let navs: Vec<&Event> = events.iter().filter(|e| e.kind == EventKind::Navigation && e.url.is_some()).collect();
    let mut dedup: Vec<&Event> = Vec::new();
    for n in navs {
        if dedup.last().is_none_or(|l| l.url != n.url) {
            dedup.push(n);
        }
    }
    for w in dedup.windows(3) {
        if w[0].url == w[2].url && w[2].offset_ms - w[0].offset_ms <= 15_000.0 {
            let title = format!("Back and forth: {} -> {} -> back", short(w[0].url.as_deref().unwrap_or("")), short(w[1].url.as_deref().unwrap_or("")));
            push(&mut out, "back-and-forth", title, Severity::Low, "derived", w.iter().map(|e| Evidence::from(*e)).collect());
        }
    }

    for b in mutation_bursts(events, usize::MAX).into_iter().filter(|b| b.changes >= BURST_CHANGES) {
        let title = format!("DOM mutation burst: {} changes in {} mutations within 1 s", b.changes, b.mutations);
        push(&mut out, "mutation-burst", title, Severity::Low, "derived", vec![b.first]);
    }

    let src = shell_quote(source);
    let mut findings: Vec<Finding> = out
        .into_iter()
        .map(|d| {
            let from = d.evidence.iter().map(|e| e.offset_ms).fold(f64::INFINITY, f64::min);
            let to = d.evidence.iter().map(|e| e.offset_ms).fold(f64::NEG_INFINITY, f64::max);
            let at = from.max(0.0).round();
            Finding {
                rank: 0,
                kind: d.kind,
                title: d.title,
                severity: d.severity,
                origin: d.origin,
                window: FindingWindow { from_offset_ms: from, to_offset_ms: to },
                evidence: d.evidence,
                next_command: format!("reprise window {src} --at {at}ms --before 5s --after 10s"),
            }
        })
        .collect();
    findings.sort_by(|a, b| {
        a.severity.cmp(&b.severity).then(a.window.from_offset_ms.total_cmp(&b.window.from_offset_ms)).then(a.kind.cmp(b.kind))
    });
    for (i, f) in findings.iter_mut().enumerate() {
        f.rank = i + 1;
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::{selector_tag, shell_quote};

    #[test]
    fn selector_tags_and_quoting() {
        assert_eq!(selector_tag("div.a > button.primary").as_deref(), Some("button"));
        assert_eq!(selector_tag("#pay").as_deref(), None);
        assert_eq!(selector_tag("a[href]").as_deref(), Some("a"));
        assert_eq!(shell_quote("corpus/x.json"), "corpus/x.json");
        assert_eq!(shell_quote("my file's.json"), "'my file'\\''s.json'");
    }
}
