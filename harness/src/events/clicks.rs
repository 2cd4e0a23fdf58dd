//! Sentry's click breadcrumbs describe rrweb's clicks: the selector and text of the target, and
//! whether the click was slow, dead, rage or multi (sentry.md §5). This merges them in.

use crate::model::{Event, EventKind};

/// How far apart (ms) a breadcrumb and the rrweb click on the same node may be.
const WINDOW_MS: f64 = 1000.0;
/// Sentry reports the closest `button`/`a` ancestor, not rrweb's target: a click on another node
/// this close in time is the same DOM click.
const SAME_CLICK_MS: f64 = 100.0;

pub fn enrich_clicks(events: &mut [Event]) {
    let clicks: Vec<usize> = (0..events.len()).filter(|&i| events[i].kind == EventKind::Click).collect();
    if clicks.is_empty() {
        return;
    }
    for i in 0..events.len() {
        let e = &events[i];
        let is_click_crumb = matches!(e.category.as_str(), "ui.click" | "ui.slowClickDetected" | "ui.multiClick");
        if e.kind != EventKind::Breadcrumb || !is_click_crumb {
            continue;
        }
        let (node, at) = (e.node_id, e.offset_ms);
        let nearest = |same_node: bool, window: f64| {
            clicks
                .iter()
                .copied()
                .filter(|&c| !same_node || (events[c].node_id == node && node.is_some()))
                .filter(|&c| (events[c].offset_ms - at).abs() <= window)
                .min_by(|&a, &b| (events[a].offset_ms - at).abs().total_cmp(&(events[b].offset_ms - at).abs()))
        };
        let best = nearest(true, WINDOW_MS).or_else(|| nearest(false, SAME_CLICK_MS));
        let Some(c) = best else { continue };
        let crumb = events[i].clone();
        let click = &mut events[c];
        if click.selector.is_none() {
            click.selector = crumb.selector.clone();
        }
        if click.label.is_none() && crumb.label.is_some() && crumb.label != crumb.selector {
            click.label = crumb.label.clone();
            click.masked |= crumb.masked;
        }
        let (d, cd) = (&mut click.detail, &crumb.detail);
        d.click_count = cd.click_count.or(d.click_count);
        d.slow_click = cd.slow_click.or(d.slow_click);
        d.dead_click = cd.dead_click.or(d.dead_click);
        d.rage_click = cd.rage_click.or(d.rage_click);
        d.multi_click = cd.multi_click.or(d.multi_click);
        d.time_after_click_ms = cd.time_after_click_ms.or(d.time_after_click_ms);
        d.end_reason = cd.end_reason.clone().or(d.end_reason.take());
    }
}
