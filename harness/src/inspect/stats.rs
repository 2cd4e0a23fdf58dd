//! The shape of a session in numbers: time per page, activity, clicks, requests, errors, bursts.

use super::Evidence;
use crate::model::{Event, EventKind};
use serde::Serialize;
use std::collections::BTreeMap;

/// A gap between user interactions longer than this counts as idle (beyond this much).
pub const IDLE_AFTER_MS: f64 = 5000.0;
/// Mutation bursts are counted in windows of this size.
pub const BURST_WINDOW_MS: f64 = 1000.0;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteTime {
    pub url: String,
    pub ms: f64,
    pub visits: usize,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Count {
    pub key: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Burst {
    pub from_offset_ms: f64,
    pub to_offset_ms: f64,
    pub mutations: usize,
    /// Sum of adds, removes, text and attribute changes.
    pub changes: usize,
    pub first: Evidence,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    pub duration_ms: f64,
    pub events: usize,
    pub counts: BTreeMap<String, usize>,
    pub time_per_route: Vec<RouteTime>,
    pub active_ms: f64,
    pub idle_ms: f64,
    pub most_clicked: Vec<Count>,
    pub slowest_requests: Vec<Evidence>,
    pub failed_requests: Vec<Evidence>,
    pub console_errors: usize,
    pub errors: usize,
    pub dead_clicks: Vec<Evidence>,
    pub rage_clicks: Vec<Evidence>,
    pub largest_mutation_bursts: Vec<Burst>,
    pub poor_web_vitals: Vec<Evidence>,
}

pub fn is_interaction(e: &Event) -> bool {
    matches!(e.kind, EventKind::Click | EventKind::Tap | EventKind::Input | EventKind::Scroll | EventKind::Focus)
}

pub fn is_failed_request(e: &Event) -> bool {
    e.kind == EventKind::Network && e.detail.status.is_some_and(|s| s >= 400 || s == 0)
}

pub fn changes(e: &Event) -> usize {
    let d = &e.detail;
    d.adds.unwrap_or(0) + d.removes.unwrap_or(0) + d.texts.unwrap_or(0) + d.attributes.unwrap_or(0)
}

/// Who was clicked: the selector, else the node id, else the label.
pub fn click_target(e: &Event) -> String {
    e.selector
        .clone()
        .or_else(|| e.node_id.map(|id| format!("node {id}")))
        .or_else(|| e.label.clone())
        .unwrap_or_else(|| "?".into())
}

/// Mutation bursts: fixed windows from each burst's first mutation, largest first.
pub fn mutation_bursts(events: &[Event], top: usize) -> Vec<Burst> {
    let muts: Vec<&Event> = events.iter().filter(|e| e.kind == EventKind::Mutation).collect();
    let mut bursts = Vec::new();
    let mut i = 0;
    while i < muts.len() {
        let start = muts[i].offset_ms;
        let mut j = i;
        let mut total = 0;
        while j < muts.len() && muts[j].offset_ms < start + BURST_WINDOW_MS {
            total += changes(muts[j]);
            j += 1;
        }
        bursts.push(Burst {
            from_offset_ms: start,
            to_offset_ms: muts[j - 1].offset_ms,
            mutations: j - i,
            changes: total,
            first: muts[i].into(),
        });
        i = j;
    }
    bursts.sort_by(|a, b| b.changes.cmp(&a.changes).then(a.from_offset_ms.total_cmp(&b.from_offset_ms)));
    bursts.truncate(top);
    bursts
}

pub fn stats(events: &[Event], duration_ms: f64) -> Stats {
    let mut counts = BTreeMap::new();
    for e in events {
        *counts.entry(e.kind.name().to_string()).or_insert(0) += 1;
    }
    // Time per route: each page URL holds until the next navigation.
    let mut routes: Vec<RouteTime> = Vec::new();
    let navs: Vec<&Event> = events.iter().filter(|e| e.kind == EventKind::Navigation && e.url.is_some()).collect();
    for (i, n) in navs.iter().enumerate() {
        let end = navs.get(i + 1).map_or(duration_ms, |m| m.offset_ms);
        let url = n.url.clone().unwrap_or_default();
        match routes.iter_mut().find(|r| r.url == url) {
            Some(r) => {
                r.ms += end - n.offset_ms;
                r.visits += 1;
            }
            None => routes.push(RouteTime { url, ms: end - n.offset_ms, visits: 1 }),
        }
    }
    routes.retain(|r| r.ms > 0.0 || r.visits > 1);
    routes.sort_by(|a, b| b.ms.total_cmp(&a.ms).then(a.url.cmp(&b.url)));
    // Active time: gaps between interactions count up to IDLE_AFTER_MS.
    let times: Vec<f64> = events.iter().filter(|e| is_interaction(e)).map(|e| e.offset_ms).collect();
    let mut active = 0.0;
    for w in times.windows(2) {
        active += (w[1] - w[0]).min(IDLE_AFTER_MS);
    }
    if let Some(last) = times.last() {
        active += (duration_ms - last).clamp(0.0, IDLE_AFTER_MS);
    }
    let active = active.min(duration_ms);
    let mut clicked: BTreeMap<String, usize> = BTreeMap::new();
    for e in events.iter().filter(|e| (e.kind == EventKind::Click && e.category != "rrweb.dblclick") || e.kind == EventKind::Tap) {
        *clicked.entry(click_target(e)).or_insert(0) += 1;
    }
    let mut most_clicked: Vec<Count> = clicked.into_iter().map(|(key, count)| Count { key, count }).collect();
    most_clicked.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
    most_clicked.truncate(10);
    let mut requests: Vec<&Event> = events.iter().filter(|e| e.kind == EventKind::Network).collect();
    requests.sort_by(|a, b| b.detail.duration_ms.unwrap_or(0.0).total_cmp(&a.detail.duration_ms.unwrap_or(0.0)));
    let pick = |f: &dyn Fn(&Event) -> bool| events.iter().filter(|e| f(e)).map(Evidence::from).collect::<Vec<_>>();
    Stats {
        duration_ms,
        events: events.len(),
        counts,
        time_per_route: routes,
        active_ms: active,
        idle_ms: (duration_ms - active).max(0.0),
        most_clicked,
        slowest_requests: requests.iter().take(5).map(|e| Evidence::from(*e)).collect(),
        failed_requests: pick(&is_failed_request),
        console_errors: events.iter().filter(|e| e.kind == EventKind::Console && e.detail.level.as_deref() == Some("error")).count(),
        errors: events.iter().filter(|e| e.kind == EventKind::Error).count(),
        dead_clicks: pick(&|e| e.kind == EventKind::Click && e.detail.dead_click == Some(true)),
        rage_clicks: pick(&|e| e.kind == EventKind::Click && e.detail.rage_click == Some(true)),
        largest_mutation_bursts: mutation_bursts(events, 5),
        poor_web_vitals: pick(&|e| e.kind == EventKind::WebVital && matches!(e.detail.rating.as_deref(), Some("poor" | "needs-improvement"))),
    }
}
